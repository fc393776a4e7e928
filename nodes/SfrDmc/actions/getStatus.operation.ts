import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type JsonObject,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import {
	chunkReportQueries,
	matchReports,
	parseIdList,
	toDeliveryReport,
	type DeliveryReport,
} from '../domain/deliveryReports';
import { errorItem, itemInputError } from './itemErrors';
import { connectDmc } from '../transport/connectDmc';
import type { DmcApiError } from '../transport/DmcClient';

const showForGetStatus = { show: { operation: ['getStatus'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Message IDs',
		name: 'messageIds',
		type: 'string',
		default: '',
		placeholder: '={{ $json.messageIds }}',
		description:
			'IDs of the messages, separated by commas, or an expression returning a list, such as the messageIds output of a send',
		displayOptions: showForGetStatus,
	},
	{
		displayName: 'References',
		name: 'references',
		type: 'string',
		default: '',
		placeholder: '={{ $json.reference }}',
		description: 'References (refExt) of the messages, separated by commas, or an expression returning a list',
		displayOptions: showForGetStatus,
	},
];

interface StatusQuery {
	itemIndex: number;
	messageIds: string[];
	references: string[];
}

/**
 * One output item per message, paired with the item that asked. Ids of all items are
 * looked up together, 100 per `findCraByIds` call, so a thousand sends cost ten calls.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	const queries: Array<{ query: StatusQuery } | { errorItem: INodeExecutionData }> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let query: StatusQuery | NodeOperationError;
		try {
			query = readQuery(this, itemIndex);
		} catch (error) {
			query = itemInputError(this, itemIndex, error);
		}
		if (query instanceof NodeOperationError) {
			if (!this.continueOnFail()) throw query;
			queries.push({ errorItem: errorItem(query, itemIndex) });
		} else {
			queries.push({ query });
		}
	}

	const valid = queries.flatMap((entry) => ('query' in entry ? [entry.query] : []));
	const allIds = [...new Set(valid.flatMap((query) => query.messageIds))];
	const allReferences = [...new Set(valid.flatMap((query) => query.references))];
	const reports: DeliveryReport[] = [];
	const failedIds = new Map<string, DmcApiError>();
	if (allIds.length + allReferences.length > 0) {
		const client = await connectDmc(this);
		for (const chunk of chunkReportQueries(allIds, allReferences)) {
			try {
				const records = await client.findCraByIds(chunk.contactIds, chunk.contactExtRefs);
				reports.push(...records.map(toDeliveryReport));
			} catch (error) {
				// DmcClient throws only NodeApiErrors, which NodeApiError returns unchanged.
				if (!this.continueOnFail()) throw new NodeApiError(this.getNode(), error as JsonObject);
				for (const id of [...chunk.contactIds, ...chunk.contactExtRefs]) failedIds.set(id, error as DmcApiError);
			}
		}
	}

	for (const entry of queries) {
		if ('errorItem' in entry) {
			output.push(entry.errorItem);
			continue;
		}
		const { query } = entry;
		const pairedItem = { item: query.itemIndex };
		const failure = [...query.messageIds, ...query.references].map((id) => failedIds.get(id)).find(Boolean);
		if (failure) {
			output.push({ json: { error: failure.message, errorCode: failure.errorCode, description: failure.description ?? null }, pairedItem });
			continue;
		}
		for (const report of matchReports(query.messageIds, query.references, reports)) {
			output.push({ json: { ...report }, pairedItem });
		}
	}
	return [output];
}

function readQuery(context: IExecuteFunctions, itemIndex: number): StatusQuery {
	const messageIds = parseIdList(context.getNodeParameter('messageIds', itemIndex, ''), 'Message IDs');
	const references = parseIdList(context.getNodeParameter('references', itemIndex, ''), 'References');
	if (messageIds.length + references.length === 0) {
		throw new RangeError('Give at least one message ID or reference');
	}
	return { itemIndex, messageIds, references };
}
