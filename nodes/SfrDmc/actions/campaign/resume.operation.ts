import type { INodeProperties } from 'n8n-workflow';

import { controlExecute } from './campaignControl';
import { campaignIdParameter } from './campaignInput';

export const description: INodeProperties[] = [campaignIdParameter];

/** restartBroadcast: a paused campaign sends again, inside its planning and dates. */
export const execute = controlExecute('restart');
