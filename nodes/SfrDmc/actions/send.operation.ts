import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { packIntoBatches, type ItemMessages } from '../domain/batches';
import { normalizeRecipients, numberRules, type Recipient } from '../domain/recipients';
import { DEFAULT_MAX_PARTS, prepareSmsText, type SmsEncoding, type SmsTextInfo } from '../domain/smsText';
import { validateSender } from '../domain/sender';
import { sendBatches } from '../transport/batchSender';
import { DmcApiError, DEFAULT_TIMEOUT_MS, type DmcMessage } from '../transport/DmcClient';
import { connectDmc } from '../transport/connectDmc';
import { errorItem, itemInputError } from './itemErrors';

const showForSend = { show: { operation: ['send'] } };
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
		displayOptions: showForSend,
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		description: 'The text of the SMS',
		displayOptions: showForSend,
	},
	{
		displayName: 'Sender Name or ID',
		name: 'sender',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getSenders' },
		default: '',
		description:
			'The sender ID shown on the phone: up to 11 letters and digits, one your account allows. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: showForSend,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showForSend,
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
	const items = this.getInputData();
	const node = this.getNode();
	const output: INodeExecutionData[] = new Array(items.length);
	const prepared: PreparedItem[] = [];

	// Every item is checked before anything is sent: without "continue on fail", one bad
	// item stops the node before any SMS leaves, rather than halfway through.
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const outcome = prepareItem(this, itemIndex);
		if (outcome instanceof NodeOperationError) {
			if (!this.continueOnFail()) throw outcome;
			output[itemIndex] = errorItem(outcome, itemIndex);
		} else {
			prepared.push(outcome);
		}
	}
	if (prepared.length === 0) return [output];

	const timeoutSeconds = this.getNodeParameter('options.requestTimeout', 0, DEFAULT_TIMEOUT_SECONDS) as number;
	const client = await connectDmc(this, timeoutSeconds * 1000);
	const batches = packIntoBatches(prepared);
	const results = await sendBatches(client, batches, !this.continueOnFail());

	const accepted: string[] = [];
	let firstFailure: { error: unknown; itemIndex: number } | undefined;
	batches.forEach((batch, batchIndex) => {
		const result = results[batchIndex];
		let offset = 0;
		for (const entry of batch.items) {
			const item = entry as PreparedItem;
			if ('ids' in result) {
				// DMC answers ids in the order of the messages, and an item's messages are contiguous.
				const ids = result.ids.slice(offset, offset + item.messages.length);
				output[item.itemIndex] = sentItem(item, ids);
				item.recipients.forEach((recipient, n) => accepted.push(`item ${item.itemIndex}: ${recipient.to} → ${ids[n]}`));
			} else if ('error' in result) {
				firstFailure ??= { error: result.error, itemIndex: item.itemIndex };
				output[item.itemIndex] = failedItem(item, result.error);
			}
			offset += item.messages.length;
		}
	});

	if (firstFailure && !this.continueOnFail()) {
		throw stopError(node, firstFailure.error, firstFailure.itemIndex, accepted);
	}
	return [output];
}

function prepareItem(context: IExecuteFunctions, itemIndex: number): PreparedItem | NodeOperationError {
	try {
		return buildItem(context, itemIndex);
	} catch (error) {
		// Parameter, expression and domain errors alike become this item's error.
		return itemInputError(context, itemIndex, error);
	}
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
		throw new RangeError(`Validity must be a whole number of minutes of at least 1, not ${JSON.stringify(options.validity)}`);
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

function sentItem(item: PreparedItem, ids: string[]): INodeExecutionData {
	const json: IDataObject = {
		recipients: item.recipients.map((recipient, n) => ({ input: recipient.input, to: recipient.to, messageId: ids[n] })),
		messageIds: ids,
		media: item.text.media,
		parts: item.text.parts,
		characters: item.text.characters,
		reference: item.reference,
	};
	return { json, pairedItem: { item: item.itemIndex } };
}

function failedItem(item: PreparedItem, error: unknown): INodeExecutionData {
	const json: IDataObject = {
		error: (error as Error).message,
		recipients: item.recipients.map((recipient) => ({ input: recipient.input, to: recipient.to, messageId: null })),
		reference: item.reference,
	};
	if (error instanceof DmcApiError) {
		json.errorCode = error.errorCode;
		json.outcome = error.outcome;
		json.description = error.description ?? null;
	}
	return { json, pairedItem: { item: item.itemIndex } };
}

/** The error that stops the workflow, saying what DMC had already accepted. */
function stopError(node: ReturnType<IExecuteFunctions['getNode']>, error: unknown, itemIndex: number, accepted: string[]) {
	const cause = error as Error & { description?: string | null; errorCode?: string; outcome?: string };
	const already =
		accepted.length === 0
			? 'No message of this execution was accepted by DMC.'
			: `${accepted.length} message(s) of this execution were already accepted by DMC; do not send them again:\n${accepted.join('\n')}`;
	return new NodeApiError(node, { dmcErrorCode: cause.errorCode ?? 'UNKNOWN_ERROR', outcome: cause.outcome ?? 'unknown' }, {
		message: `${cause.message} (${accepted.length} message(s) already accepted)`,
		description: [cause.description, already].filter(Boolean).join('\n\n'),
		itemIndex,
		httpCode: error instanceof DmcApiError ? (error.httpCode ?? undefined) : undefined,
	});
}
