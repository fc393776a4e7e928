import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { toReply } from '../domain/deliveryReports';
import { InputError } from '../domain/inputError';
import { connectDmc } from '../transport/connectDmc';
import { outputPerItem, readItems } from './itemErrors';

const DAY_MS = 24 * 60 * 60 * 1000;

export const description: INodeProperties[] = [
	{
		displayName: 'Since',
		name: 'since',
		type: 'dateTime',
		default: '',
		description: 'Start of the time window. Empty: 24 hours before Until.',
	},
	{
		displayName: 'Until',
		name: 'until',
		type: 'dateTime',
		default: '',
		description: 'End of the time window. Empty: now.',
	},
	{
		displayName: 'STOP Only',
		name: 'stopOnly',
		type: 'boolean',
		default: false,
		description: 'Whether to return only STOP requests (opt-outs), which you must honour',
	},
];

/** One output item per reply received in the window, paired with the item that asked. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const inputs = readItems(this, (itemIndex) => readWindow(this, itemIndex));
	const client = await connectDmc(this);
	const output = await outputPerItem(this, inputs, async (window) => {
		const records = await client.getResponsesSMS(window.stopOnly, window.since, window.until);
		return records.map((record) => ({ ...toReply(record) }));
	});
	return [output];
}

function readWindow(context: IExecuteFunctions, itemIndex: number) {
	const until = toDate(context.getNodeParameter('until', itemIndex, ''), 'Until') ?? new Date();
	const since = toDate(context.getNodeParameter('since', itemIndex, ''), 'Since') ?? new Date(until.getTime() - DAY_MS);
	if (since.getTime() > until.getTime()) {
		throw new InputError(`Since (${since.toISOString()}) is after Until (${until.toISOString()})`);
	}
	return { since, until, stopOnly: context.getNodeParameter('stopOnly', itemIndex, false) === true };
}

function toDate(value: unknown, what: string): Date | undefined {
	if (value === '' || value === undefined || value === null) return undefined;
	const date = value instanceof Date ? value : new Date(typeof value === 'number' ? value : String(value));
	if (Number.isNaN(date.getTime())) throw new InputError(`${what} ${JSON.stringify(value)} is not a date`);
	return date;
}
