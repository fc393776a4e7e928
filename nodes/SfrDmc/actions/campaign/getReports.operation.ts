import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { parseInstant, toCampaignReport, toResultSummary } from '../../domain/campaigns';
import { connectBroadcasts } from '../../transport/connectDmc';
import { readAllReports, readReportsChangedSince } from '../../transport/campaignReports';
import { outputPerItem, readItems } from '../itemErrors';
import { campaignIdParameter, currentCampaign, readCampaignId } from './campaignInput';

export const description: INodeProperties[] = [
	{
		displayName:
			"DMC answers report reads once a minute per account. A campaign's reports come in one read whatever its size (50,000 contacts: one read); each further campaign or summary waits about a minute. For reports as they happen, use the SFR DMC Push Trigger.",
		name: 'reportsMinuteNotice',
		type: 'notice',
		default: '',
	},
	campaignIdParameter,
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'reports',
		options: [
			{ name: 'One Item per Contact', value: 'reports', description: "Each contact's report: number, reference, result, parts, reply" },
			{ name: 'Summary by Result', value: 'summary', description: 'One item: how many contacts got each result (findCraNumber)' },
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { output: ['reports'] } },
		options: [
			{
				displayName: 'Changed Since',
				name: 'changedSince',
				type: 'dateTime',
				default: '',
				description: 'Only reports that changed at or after this instant. Empty: every report.',
			},
		],
	},
];

interface ReportsQuery {
	campaignId: string;
	summary: boolean;
	changedSince?: number;
}

/**
 * Per input item, a campaign's reports: one item per contact (`contactId`, `reference`,
 * `to` in E.164, `status`, `resultCode`, `delivered`, `parts`, `reply`…), or one summary
 * item (`contacts` and `results`: each result code with its label and count). The id is
 * checked with getBroadcast first, outside the once-a-minute rule.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const inputs = readItems(this, (itemIndex): ReportsQuery => {
		const summary = this.getNodeParameter('output', itemIndex, 'reports') === 'summary';
		const options = summary ? {} : (this.getNodeParameter('options', itemIndex, {}) as { changedSince?: unknown });
		return {
			campaignId: readCampaignId(this, itemIndex),
			summary,
			changedSince: parseInstant(options.changedSince, 'Changed Since'),
		};
	});
	const client = await connectBroadcasts(this);
	const output = await outputPerItem(this, inputs, async ({ campaignId, summary, changedSince }) => {
		await currentCampaign(client, campaignId);
		if (summary) return [{ ...toResultSummary(campaignId, await client.findCraNumber(campaignId)) }];
		const records =
			changedSince === undefined
				? await readAllReports(client, campaignId)
				: await readReportsChangedSince(client, campaignId, { since: changedSince });
		return records.map((record) => ({ ...toCampaignReport(record) }));
	});
	return [output];
}
