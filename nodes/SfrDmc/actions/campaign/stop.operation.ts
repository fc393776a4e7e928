import type { INodeProperties } from 'n8n-workflow';

import { controlExecute } from './campaignControl';
import { campaignIdParameter } from './campaignInput';

export const description: INodeProperties[] = [
	{
		displayName:
			'Stopping is final: DMC ends the campaign, contacts not yet reached get CRA_BROADCASTTERMINATED, and it cannot be resumed. Use Pause to hold it.',
		name: 'stopFinalNotice',
		type: 'notice',
		default: '',
	},
	campaignIdParameter,
];

/** terminateBroadcast: final (§2.3.13); the contacts not yet reached are never sent. */
export const execute = controlExecute('terminate');
