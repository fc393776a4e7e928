import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { ItemMessages } from '../domain/batches';
import { normalizeRecipients, numberRules, type Recipient } from '../domain/recipients';
import { DEFAULT_MAX_PARTS, prepareSmsText, type SmsEncoding, type SmsTextInfo } from '../domain/smsText';
import { validateSender } from '../domain/sender';
import { InputError } from '../domain/inputError';
import { sendItems, type ItemSendResult } from '../transport/batchSender';
import { DEFAULT_TIMEOUT_MS, type DmcApiError, type DmcMessage } from '../transport/DmcClient';
import { connectDmc } from '../transport/connectDmc';
import { errorJson, readItems } from './itemErrors';
const DEFAULT_TIMEOUT_SECONDS = DEFAULT_TIMEOUT_MS / 1000;

export const description: INodeProperties[] = [
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		required: true,
		default: '',
		placeholder: '06 12 34 56 78, +590 690 00 11 22',
		description:
			'Phone numbers separated by commas, semicolons or new lines, or an expression returning a list of numbers. At most 20 distinct numbers per item.',
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		description: 'The text of the SMS',
	},
	{
		displayName: 'Sender Name or ID',
		name: 'sender',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getSenders' },
		default: '',
		description:
			'The sender ID shown on the phone: up to 11 letters and digits, one your account allows. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Allowed Countries',
				name: 'allowedCountries',
				type: 'string',
				default: '',
				placeholder: 'FR, GP, MQ, GF, RE, YT',
				description: 'ISO codes of the countries numbers may belong to, separated by commas. Empty allows any country.',
			},
			{
				displayName: 'Default Country',
				name: 'defaultCountry',
				type: 'string',
				default: 'FR',
				description:
					'ISO code of the country of numbers written without an international prefix, e.g. FR for 06 12 34 56 78',
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
			{
				displayName: 'Reference',
				name: 'reference',
				type: 'string',
				default: '',
				description:
					'Your own reference for the message, sent to DMC as refExt and found again in delivery reports. Empty: n8n-[execution ID]-[item index].',
			},
			{
				displayName: 'Request Timeout',
				name: 'requestTimeout',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: DEFAULT_TIMEOUT_SECONDS,
				description: 'Seconds to wait for DMC before giving up on a call',
			},
			{
				displayName: 'Validity (Minutes)',
				name: 'validity',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: 2880,
				description: 'How long DMC keeps trying to deliver the message, in minutes',
			},
		],
	},
];

interface SendOptions {
	allowedCountries?: string;
	defaultCountry?: string;
	encoding?: SmsEncoding;
	maxParts?: number;
	reference?: string;
	requestTimeout?: number;
	validity?: number;
}

interface PreparedItem extends ItemMessages<DmcMessage> {
	recipients: Recipient[];
	text: SmsTextInfo;
	reference: string;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	// Every item is checked before anything is sent: without "continue on fail", one bad
	// item stops the node before any SMS leaves, rather than halfway through.
	const inputs = readItems(this, (itemIndex) => buildItem(this, itemIndex));
	const prepared = inputs.flatMap((entry) => ('input' in entry ? [entry.input] : []));
	const output = new Map<number, INodeExecutionData>();
	for (const entry of inputs) if ('failed' in entry) output.set(entry.itemIndex, entry.failed);

	if (prepared.length > 0) {
		const timeoutSeconds = this.getNodeParameter('options.requestTimeout', 0, DEFAULT_TIMEOUT_SECONDS) as number;
		const client = await connectDmc(this, timeoutSeconds * 1000);
		const cancelSignal = this.getExecutionCancelSignal();
		const results = await sendItems(client, prepared, { stopAfterFailure: !this.continueOnFail(), cancelSignal });
		if (cancelSignal?.aborted) throw cancelledError(this.getNode(), results);
		for (const result of results) output.set(result.item.itemIndex, resultItem(result));
		const firstFailure = results.find((result) => 'error' in result);
		if (firstFailure && 'error' in firstFailure && !this.continueOnFail()) {
			throw stopError(this.getNode(), firstFailure.error, firstFailure.item.itemIndex, results);
		}
	}
	// Every item has its own entry: its error item, or what became of its messages.
	return [[...output.entries()].sort(([a], [b]) => a - b).map(([, item]) => item)];
}

function buildItem(context: IExecuteFunctions, itemIndex: number): PreparedItem {
	const options = context.getNodeParameter('options', itemIndex, {}) as SendOptions;
	const recipients = normalizeRecipients(
		context.getNodeParameter('to', itemIndex),
		numberRules(options.defaultCountry, options.allowedCountries),
	);
	const message = context.getNodeParameter('message', itemIndex) as unknown;
	const text = prepareSmsText(message, options.encoding ?? 'auto', options.maxParts ?? DEFAULT_MAX_PARTS);
	const sender = validateSender(context.getNodeParameter('sender', itemIndex, '') as unknown);
	if (options.validity !== undefined && !(Number.isInteger(options.validity) && options.validity >= 1)) {
		throw new InputError(`Validity must be a whole number of minutes of at least 1, not ${JSON.stringify(options.validity)}`);
	}

	// Every message gets a reference, so that one whose call ended in doubt (a time-out, a
	// reset) can still be found in DMC's reports.
	const reference = options.reference?.trim() || `n8n-${context.getExecutionId()}-${itemIndex}`;
	const messages = recipients.map((recipient): DmcMessage => {
		const dmcMessage: DmcMessage = { media: text.media, textMsg: message as string, to: recipient.to, refExt: reference };
		if (sender) dmcMessage.from = sender;
		if (options.validity !== undefined) dmcMessage.timeout = options.validity;
		return dmcMessage;
	});
	return { itemIndex, recipients, text, reference, messages };
}

function resultItem(result: ItemSendResult<PreparedItem>): INodeExecutionData {
	const { item } = result;
	const messageIds = 'ids' in result ? result.ids : undefined;
	const recipients = item.recipients.map((recipient, n) => ({ input: recipient.input, to: recipient.to, messageId: messageIds?.[n] ?? null }));
	let json: IDataObject;
	if (messageIds) {
		json = { recipients, messageIds, media: item.text.media, parts: item.text.parts, characters: item.text.characters, reference: item.reference };
	} else if ('error' in result) {
		json = { ...errorJson(result.error), recipients, reference: item.reference };
	} else {
		json = { error: 'Not sent: an earlier call to DMC failed and the node stopped', outcome: 'not-sent', recipients, reference: item.reference };
	}
	return { json, pairedItem: { item: item.itemIndex } };
}

/** What DMC had already accepted of this execution, and which items were not sent. */
function sentSummary(results: ReadonlyArray<ItemSendResult<PreparedItem>>, notSentBecause: string) {
	const accepted = results.flatMap((result) =>
		'ids' in result ? result.item.recipients.map((recipient, n) => `item ${result.item.itemIndex}: ${recipient.to} → ${result.ids[n]}`) : [],
	);
	const notSent = results.flatMap((result) => ('skipped' in result ? [result.item.itemIndex] : []));
	const already =
		accepted.length === 0
			? 'No message of this execution was accepted by DMC.'
			: `${accepted.length} message(s) of this execution were already accepted by DMC; do not send them again:\n${accepted.join('\n')}`;
	const skipped = notSent.length === 0 ? undefined : `Not sent, as ${notSentBecause}: item(s) ${notSent.join(', ')}.`;
	return { accepted: accepted.length, lines: [already, skipped] };
}

/** The error that stops the workflow, saying what DMC had already accepted and what was not sent. */
function stopError(node: INode, error: DmcApiError, itemIndex: number, results: ReadonlyArray<ItemSendResult<PreparedItem>>) {
	const summary = sentSummary(results, 'the node stopped first');
	return new NodeApiError(node, { dmcErrorCode: error.errorCode, outcome: error.outcome }, {
		message: `${error.message} (${summary.accepted} message(s) already accepted)`,
		description: [error.description, ...summary.lines].filter(Boolean).join('\n\n'),
		itemIndex,
		httpCode: error.httpCode ?? undefined,
	});
}

/**
 * n8n cancelled the execution while it sent: its messages still waiting were withdrawn, and
 * those already in a call to DMC got that call's outcome, which this error lists.
 */
function cancelledError(node: INode, results: ReadonlyArray<ItemSendResult<PreparedItem>>) {
	const summary = sentSummary(results, 'the execution was cancelled first');
	const failed = results.flatMap((result) => ('error' in result ? [`item ${result.item.itemIndex}: ${result.error.message}`] : []));
	return new NodeOperationError(node, `The execution was cancelled while sending (${summary.accepted} message(s) already accepted)`, {
		description: [...summary.lines, failed.length > 0 ? `Failed in a call already made:\n${failed.join('\n')}` : undefined]
			.filter(Boolean)
			.join('\n\n'),
	});
}
