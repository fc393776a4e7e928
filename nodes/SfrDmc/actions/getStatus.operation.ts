import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { chunkReportQueries, matchReports, parseIdList, toDeliveryReport, type DeliveryReport } from '../domain/deliveryReports';
import { InputError } from '../domain/inputError';
import { connectDmc } from '../transport/connectDmc';
import type { DmcApiError } from '../transport/DmcClient';
import { continuedDmcFailure, errorItem, readItems } from './itemErrors';

export const description: INodeProperties[] = [
	{
		displayName:
			'DMC answers report look-ups once a minute per account, 100 IDs and references at a time: each 100 after the first add about a minute (1,000 IDs take about 10 minutes), and other look-ups of the account wait their turn',
		name: 'reportMinuteNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Message IDs',
		name: 'messageIds',
		type: 'string',
		default: '',
		placeholder: 'e.g. 123456789, 123456790',
		description: 'IDs of the messages, separated by commas, or an expression returning a list, such as the messageIds output of a send',
	},
	{
		displayName: 'References',
		name: 'references',
		type: 'string',
		default: '',
		placeholder: 'e.g. REQ-42, REQ-43',
		description: 'References (refExt) of the messages, separated by commas, or an expression returning a list',
	},
];

export interface StatusQuery {
	messageIds: string[];
	references: string[];
}

/**
 * One output item per message, paired with the item that asked. Ids of all items are
 * looked up together, 100 per `findCraByIds` call, so a thousand sends cost ten calls,
 * a minute apart (DmcClient waits for the service's once-a-minute turn).
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const inputs = readItems(this, (itemIndex) => readQuery(this, itemIndex));
	const queries = inputs.flatMap((entry) => ('input' in entry ? [entry.input] : []));
	const allIds = [...new Set(queries.flatMap((query) => query.messageIds))];
	const allReferences = [...new Set(queries.flatMap((query) => query.references))];
	const reports: DeliveryReport[] = [];
	// Ids and references live in two maps: a reference may well be written like some id.
	const failedIds = new Map<string, DmcApiError>();
	const failedReferences = new Map<string, DmcApiError>();
	if (allIds.length + allReferences.length > 0) {
		const client = await connectDmc(this);
		for (const chunk of chunkReportQueries(allIds, allReferences)) {
			try {
				const records = await client.findCraByIds(chunk.contactIds, chunk.contactExtRefs);
				reports.push(...records.map(toDeliveryReport));
			} catch (error) {
				const failure = continuedDmcFailure(this, error);
				for (const id of chunk.contactIds) failedIds.set(id, failure);
				for (const reference of chunk.contactExtRefs) failedReferences.set(reference, failure);
			}
		}
	}

	const output = inputs.flatMap((entry): INodeExecutionData[] => {
		if ('failed' in entry) return [entry.failed];
		const { input: query, itemIndex } = entry;
		const failure =
			query.messageIds.map((id) => failedIds.get(id)).find(Boolean) ??
			query.references.map((reference) => failedReferences.get(reference)).find(Boolean);
		if (failure) return [errorItem(failure, itemIndex)];
		return matchReports(query.messageIds, query.references, reports).map((report) => ({
			json: { ...report },
			pairedItem: { item: itemIndex },
		}));
	});
	return [output];
}

/** The ids and references an item asks about (Get Status and Cancel). */
export function readQuery(context: IExecuteFunctions, itemIndex: number): StatusQuery {
	const messageIds = parseIdList(context.getNodeParameter('messageIds', itemIndex, ''), 'Message IDs');
	const references = parseIdList(context.getNodeParameter('references', itemIndex, ''), 'References');
	if (messageIds.length + references.length === 0) {
		throw new InputError('Give at least one message ID or reference');
	}
	return { messageIds, references };
}
