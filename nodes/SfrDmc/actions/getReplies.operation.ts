import {
	NodeApiError,
	type IExecuteFunctions,
	type JsonObject,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { toReply } from '../domain/deliveryReports';
import { errorItem, itemInputError } from './itemErrors';
import { connectDmc } from '../transport/connectDmc';

const showForGetReplies = { show: { operation: ['getReplies'] } };
const DAY_MS = 24 * 60 * 60 * 1000;

export const description: INodeProperties[] = [
	{
		displayName: 'Since',
		name: 'since',
		type: 'dateTime',
		default: '',
		description: 'Start of the time window. Empty: 24 hours before Until.',
		displayOptions: showForGetReplies,
	},
	{
		displayName: 'Until',
		name: 'until',
		type: 'dateTime',
		default: '',
		description: 'End of the time window. Empty: now.',
		displayOptions: showForGetReplies,
	},
	{
		displayName: 'STOP Only',
		name: 'stopOnly',
		type: 'boolean',
		default: false,
		description: 'Whether to return only STOP requests (opt-outs), which you must honour',
		displayOptions: showForGetReplies,
	},
];

/** One output item per reply received in the window, paired with the item that asked. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	const client = await connectDmc(this);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const pairedItem = { item: itemIndex };
		let window: { since: Date; until: Date; stopOnly: boolean };
		try {
			window = readWindow(this, itemIndex);
		} catch (error) {
			const failure = itemInputError(this, itemIndex, error);
			if (!this.continueOnFail()) throw failure;
			output.push(errorItem(failure, itemIndex));
			continue;
		}
		try {
			const records = await client.getResponsesSMS(window.stopOnly, window.since, window.until);
			for (const record of records) output.push({ json: { ...toReply(record) }, pairedItem });
		} catch (error) {
			// DmcClient throws only NodeApiErrors, which NodeApiError returns unchanged.
			if (!this.continueOnFail()) throw new NodeApiError(this.getNode(), error as JsonObject);
			output.push(errorItem(error as Error, itemIndex));
		}
	}
	return [output];
}

function readWindow(context: IExecuteFunctions, itemIndex: number) {
	const until = toDate(context.getNodeParameter('until', itemIndex, ''), 'Until') ?? new Date();
	const since = toDate(context.getNodeParameter('since', itemIndex, ''), 'Since') ?? new Date(until.getTime() - DAY_MS);
	if (since.getTime() > until.getTime()) {
		throw new RangeError(`Since (${since.toISOString()}) is after Until (${until.toISOString()})`);
	}
	return { since, until, stopOnly: context.getNodeParameter('stopOnly', itemIndex, false) === true };
}

function toDate(value: unknown, what: string): Date | undefined {
	if (value === '' || value === undefined || value === null) return undefined;
	const date = value instanceof Date ? value : new Date(typeof value === 'number' ? value : String(value));
	if (Number.isNaN(date.getTime())) throw new RangeError(`${what} ${JSON.stringify(value)} is not a date`);
	return date;
}
