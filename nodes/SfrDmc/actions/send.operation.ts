import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { packIntoBatches } from '../domain/batches';
import { DEFAULT_MAX_PARTS, prepareSmsText, STOP_NOTICE, withStopNotice, type SmsEncoding } from '../domain/smsText';
import { validateSender } from '../domain/sender';
import { sendBatches, type ItemSendResult } from '../transport/batchSender';
import type { DmcApiError } from '../transport/DmcClient';
import { connectDmc } from '../transport/connectDmc';
import { errorJson, readItems } from './itemErrors';
import { itemPreparer, recipientsOutput, type ItemContent, type PreparedItem, type SendOptions } from './prepareSend';
import { DEFAULT_TIMEOUT_SECONDS, messageParameter, sendOptionsParameter, toParameter } from './sendParameters';

export const description: INodeProperties[] = [
	toParameter,
	messageParameter('The text of the SMS'),
	{
		displayName: 'Sender Name or ID',
		name: 'sender',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getSenders' },
		default: '',
		description:
			'The sender ID shown on the phone: up to 11 letters and digits, one your account allows. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	sendOptionsParameter([
		{
			displayName: 'Add STOP Mention',
			name: 'stopNotice',
			type: 'boolean',
			default: false,
			description: `Whether to append "${STOP_NOTICE}" on a new line: the opt-out mention marketing messages must carry. DMC replaces the placeholder with the service's short code, counted as 5 digits.`,
		},
		{
			displayName: 'Encoding',
			name: 'encoding',
			type: 'options',
			default: 'auto',
			options: [
				{
					name: 'Auto',
					value: 'auto',
					description: 'Standard when every character is in ISO-8859-1, otherwise Unicode',
				},
				{
					name: 'Standard (GSM-7)',
					value: 'standard',
					description: '160 characters per SMS; accented letters missing from GSM lose their accent',
				},
				{
					name: 'Unicode',
					value: 'unicode',
					description: '70 characters per SMS; every character arrives as written',
				},
			],
		},
		{
			displayName: 'Max Parts',
			name: 'maxParts',
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: DEFAULT_MAX_PARTS,
			description: 'Refuse messages longer than this many SMS parts (each part is billed)',
		},
	]),
];

interface SmsOptions extends SendOptions {
	encoding?: SmsEncoding;
	maxParts?: number;
	stopNotice?: boolean;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await sendMessages(this, itemPreparer(this, 'sms', (itemIndex, options: SmsOptions) => readSms(this, itemIndex, options)));
}

/**
 * Sends what `prepare` makes of every item (Send, Send Voice Message): one output item per
 * input item, with its message ids, or its error.
 */
export async function sendMessages(
	context: IExecuteFunctions,
	prepare: (itemIndex: number) => PreparedItem,
): Promise<INodeExecutionData[][]> {
	// Every item is checked before anything is sent: without "continue on fail", one bad
	// item stops the node before any message leaves, rather than halfway through.
	const inputs = readItems(context, prepare);
	const prepared = inputs.flatMap((entry) => ('input' in entry ? [entry.input] : []));
	const output = new Map<number, INodeExecutionData>();
	for (const entry of inputs) if ('failed' in entry) output.set(entry.itemIndex, entry.failed);
	// An item whose recipients are all excluded has nothing to send, and that is no error.
	for (const item of prepared) if (item.messages.length === 0) output.set(item.itemIndex, resultItem({ item, ids: [] }));

	if (prepared.some((item) => item.messages.length > 0)) {
		const timeoutSeconds = context.getNodeParameter('options.requestTimeout', 0, DEFAULT_TIMEOUT_SECONDS) as number;
		const client = await connectDmc(context, timeoutSeconds * 1000);
		const results = await sendBatches(client, packIntoBatches(prepared), !context.continueOnFail());
		for (const result of results) output.set(result.item.itemIndex, resultItem(result));
		const firstFailure = results.find((result) => 'error' in result);
		if (firstFailure && 'error' in firstFailure && !context.continueOnFail()) {
			throw stopError(context.getNode(), firstFailure.error, firstFailure.item.itemIndex, results);
		}
	}
	// Every item has its own entry: its error item, or what became of its messages.
	return [[...output.entries()].sort(([a], [b]) => a - b).map(([, item]) => item)];
}

/** The SMS of an item: its text (with the STOP mention when asked), encoding and sender. */
function readSms(context: IExecuteFunctions, itemIndex: number, options: SmsOptions): ItemContent {
	const written = context.getNodeParameter('message', itemIndex) as unknown;
	const message = options.stopNotice && typeof written === 'string' && written.trim() !== '' ? withStopNotice(written) : written;
	const text = prepareSmsText(message, options.encoding ?? 'auto', options.maxParts ?? DEFAULT_MAX_PARTS);
	const sender = validateSender(context.getNodeParameter('sender', itemIndex, '') as unknown);
	return {
		message: { media: text.media, textMsg: message as string, ...(sender && { from: sender }) },
		summary: { media: text.media, parts: text.parts, characters: text.characters },
	};
}

function resultItem(result: ItemSendResult<PreparedItem>): INodeExecutionData {
	const { item } = result;
	const messageIds = 'ids' in result ? result.ids : undefined;
	const recipients = recipientsOutput(item, messageIds);
	const ignored = item.excludeListIgnored && { excludeListIgnored: item.excludeListIgnored };
	let json: IDataObject;
	if (messageIds) {
		json = { recipients, messageIds, ...item.summary, reference: item.reference, ...ignored };
	} else if ('error' in result) {
		json = { ...errorJson(result.error), recipients, reference: item.reference, ...ignored };
	} else {
		json = { error: 'Not sent: an earlier call to DMC failed and the node stopped', outcome: 'not-sent', recipients, reference: item.reference, ...ignored };
	}
	return { json, pairedItem: { item: item.itemIndex } };
}

/** The error that stops the workflow, saying what DMC had already accepted and what was not sent. */
function stopError(node: INode, error: DmcApiError, itemIndex: number, results: ReadonlyArray<ItemSendResult<PreparedItem>>) {
	const accepted = results.flatMap((result) =>
		'ids' in result ? result.item.messages.map((message, n) => `item ${result.item.itemIndex}: ${message.to} → ${result.ids[n]}`) : [],
	);
	const notSent = results.flatMap((result) => ('skipped' in result ? [result.item.itemIndex] : []));
	const already =
		accepted.length === 0
			? 'No message of this execution was accepted by DMC.'
			: `${accepted.length} message(s) of this execution were already accepted by DMC; do not send them again:\n${accepted.join('\n')}`;
	const skipped = notSent.length === 0 ? undefined : `Not sent, as the node stopped first: item(s) ${notSent.join(', ')}.`;
	return new NodeApiError(node, { dmcErrorCode: error.errorCode, outcome: error.outcome }, {
		message: `${error.message} (${accepted.length} message(s) already accepted)`,
		description: [error.description, already, skipped].filter(Boolean).join('\n\n'),
		itemIndex,
		httpCode: error.httpCode ?? undefined,
	});
}
