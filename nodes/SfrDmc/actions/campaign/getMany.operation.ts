import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ENDED_STATUSES, toCampaign } from '../../domain/campaigns';
import { connectBroadcasts } from '../../transport/connectDmc';
import { outputPerItem, readItems } from '../itemErrors';

export const description: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Ended',
				name: 'includeEnded',
				type: 'boolean',
				default: false,
				description: 'Whether to list campaigns that have ended too (finished, stopped or failed)',
			},
			{
				displayName: 'Include In Edition',
				name: 'includeEditing',
				type: 'boolean',
				default: true,
				description: 'Whether to list campaigns still in edition (created, not activated)',
			},
		],
	},
];

/**
 * Every campaign of the service, one item each, paired with the first input item: the
 * campaigns under way from one SupervisionWS/findBroadcastStatus (at the once-a-minute
 * turn), those in edition from one BroadcastWS/findEditingBroadcast. The node runs it once
 * whatever the number of input items, since each run would list the same campaigns.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const [first] = readItems(this, (itemIndex) => this.getNodeParameter('options', itemIndex, {}) as Record<string, unknown>);
	if (first === undefined) return [[]];
	const client = await connectBroadcasts(this);
	const output = await outputPerItem(this, [first], async (options) => {
		const underWay = (await client.findBroadcastStatus()).map(toCampaign);
		const editing = options.includeEditing === false ? [] : (await client.findEditingBroadcast()).map(toCampaign);
		// Once per campaign, should DMC ever list one in both answers.
		const byId = new Map([...editing, ...underWay].map((campaign) => [campaign.campaignId, campaign]));
		const listed = [...byId.values()].filter((campaign) => options.includeEnded === true || !ENDED_STATUSES.includes(campaign.status));
		return listed.map((campaign) => ({ ...campaign }));
	});
	return [output];
}
