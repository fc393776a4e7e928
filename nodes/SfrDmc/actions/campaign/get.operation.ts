import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { toCampaign } from '../../domain/campaigns';
import { connectBroadcasts } from '../../transport/connectDmc';
import { outputPerItem, readItems } from '../itemErrors';
import { campaignIdParameter, currentCampaign, readCampaignId } from './campaignInput';

export const description: INodeProperties[] = [
	{
		displayName:
			'DMC answers campaign details once a minute per account: each campaign after the first waits about a minute. Get Many reads every campaign in one call.',
		name: 'detailMinuteNotice',
		type: 'notice',
		default: '',
	},
	campaignIdParameter,
];

/**
 * One item per input item: the campaign from SupervisionWS/getBroadcastDetail (its status
 * code and how many contacts are running and ended), read at the service's once-a-minute
 * turn. The id is checked first with getBroadcast, outside the rule, so an unknown id is
 * named as the item's error without spending a turn.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const inputs = readItems(this, (itemIndex) => readCampaignId(this, itemIndex));
	const client = await connectBroadcasts(this);
	const output = await outputPerItem(this, inputs, async (campaignId) => {
		await currentCampaign(client, campaignId);
		return [{ ...toCampaign(await client.getBroadcastDetail(campaignId)) }];
	});
	return [output];
}
