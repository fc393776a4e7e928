import type { INodeProperties } from 'n8n-workflow';

import { controlExecute } from './campaignControl';
import { campaignIdParameter } from './campaignInput';

export const description: INodeProperties[] = [campaignIdParameter];

/** pauseBroadcast: the campaign stops sending until Resume; contacts not yet sent wait. */
export const execute = controlExecute('pause');
