import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseCampaignId, toCampaign, type Campaign } from '../../domain/campaigns';
import { InputError } from '../../domain/inputError';
import type { BroadcastClient } from '../../transport/BroadcastClient';
import { DmcApiError } from '../../transport/DmcClient';
import { setupHintFor } from '../../transport/dmcHints';

/** The campaign a per-campaign operation acts on, item by item. */
export const campaignIdParameter: INodeProperties = {
	displayName: 'Campaign ID',
	name: 'campaignId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 61920',
	description: 'The campaignId that Create or Get Many output, usually an expression reading it from the input item',
};

export function readCampaignId(context: IExecuteFunctions, itemIndex: number): string {
	return parseCampaignId(context.getNodeParameter('campaignId', itemIndex, ''));
}

/**
 * The campaign as BroadcastWS/getBroadcast has it now: outside the once-a-minute rule, so
 * the control operations check a campaign's state before and after acting at no minute's
 * cost. DMC refusing to read it (an unknown id, another service's campaign) is the item's
 * fault, named with its id; a refused login stays the credential's error.
 */
export async function currentCampaign(client: BroadcastClient, campaignId: string): Promise<Campaign> {
	const answer = await client.getBroadcast(campaignId).then(
		(record) => ({ record }),
		(error: unknown) => ({ error }),
	);
	if ('record' in answer) return toCampaign(answer.record);
	const { error } = answer;
	if (!(error instanceof DmcApiError) || error.outcome !== 'refused' || setupHintFor(error.errorCode) !== undefined) throw error;
	throw new InputError(
		`DMC has no campaign ${campaignId} for this service (${error.errorCode}${error.description ? `: ${error.description}` : ''})`,
		campaignId,
	);
}
