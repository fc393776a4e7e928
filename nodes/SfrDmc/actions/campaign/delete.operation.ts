import type { INodeProperties } from 'n8n-workflow';

import { controlExecute } from './campaignControl';
import { campaignIdParameter } from './campaignInput';

export const description: INodeProperties[] = [campaignIdParameter];

/** dropBroadcast: removes a campaign still in edition, or one that has ended. */
export const execute = controlExecute('drop');
