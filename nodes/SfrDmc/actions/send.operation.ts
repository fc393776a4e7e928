import type { IExecuteFunctions, INode, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { packIntoBatches, type ItemMessages } from '../domain/batches';
import { normalizeRecipients, numberRules, type Recipient } from '../domain/recipients';
import { DEFAULT_MAX_PARTS, prepareSmsText, type SmsEncoding, type SmsTextInfo } from '../domain/smsText';
import { validateSender } from '../domain/sender';
import { InputError } from '../domain/inputError';
import { sendBatches } from '../transport/batchSender';
import { DEFAULT_TIMEOUT_MS, DmcApiError, type DmcClient, type DmcMessage } from '../transport/DmcClient';
import { connectDmc } from '../transport/connectDmc';
import { alreadySentIdsOf } from '../transport/referenceLookup';
import { readItems } from './itemErrors';
import { allAlreadySent, resultItem, stopError, uncheckedItem, type SentItem } from './sendOutput';

const DEFAULT_TIMEOUT_SECONDS = DEFAULT_TIMEOUT_MS / 1000;
const DEFAULT_DOUBT_LOOKUP_SECONDS = 30;

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
				displayName: 'Look-Up Time When In Doubt',
				name: 'doubtLookupTime',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 0 },
				default: DEFAULT_DOUBT_LOOKUP_SECONDS,
				description:
					"When DMC's answer to a send is lost (time-out, reset, gateway error), how many seconds to keep looking for the messages by reference before reporting them as in doubt. They are never sent again automatically. 0 looks once.",
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
				displayName: 'Skip If Already Sent',
				name: 'skipAlreadySent',
				type: 'boolean',
				default: false,
				description:
					'Whether to look up each reference first and not send again to a recipient DMC already has a message for with that reference. Meant for a reference you set from your data, such as a request ID: re-runs and Retry on Fail then send each SMS once.',
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
	doubtLookupTime?: number;
	encoding?: SmsEncoding;
	maxParts?: number;
	reference?: string;
	requestTimeout?: number;
	skipAlreadySent?: boolean;
	validity?: number;
}

interface PreparedItem extends ItemMessages<DmcMessage>, SentItem {
	recipients: Recipient[];
	text: SmsTextInfo;
	reference: string;
	skipAlreadySent: boolean;
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
		const lookupSeconds = this.getNodeParameter('options.doubtLookupTime', 0, DEFAULT_DOUBT_LOOKUP_SECONDS) as number;
		const client = await connectDmc(this, timeoutSeconds * 1000);
		const toSend = await skipAlreadySent(this, client, prepared, output);
		const batches = packIntoBatches(toSend.filter((item) => item.messages.length > 0));
		const results = [
			...toSend.filter((item) => item.messages.length === 0).map(allAlreadySent),
			...(await sendBatches(client, batches, { stopAfterFailure: !this.continueOnFail(), doubtBudgetMs: lookupSeconds * 1000 })),
		];
		for (const result of results) output.set(result.item.itemIndex, resultItem(result, lookupSeconds));
		const failure = this.continueOnFail() ? undefined : stopError(this.getNode(), results, lookupSeconds);
		if (failure) throw failure;
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
	const skip = options.skipAlreadySent === true;
	return { itemIndex, recipients, text, reference, messages, skipAlreadySent: skip, alreadySent: recipients.map(() => null) };
}

/**
 * Skip If Already Sent: looks up the references of the items that ask for it (100 per
 * call) and keeps, in each, only the messages to recipients DMC has none for with that
 * reference. If the look-up fails, nothing is sent for those items: sending without
 * knowing could send twice, which is what the option is there to prevent.
 */
async function skipAlreadySent(
	context: IExecuteFunctions,
	client: DmcClient,
	prepared: PreparedItem[],
	output: Map<number, INodeExecutionData>,
): Promise<PreparedItem[]> {
	const checked = prepared.filter((item) => item.skipAlreadySent);
	if (checked.length === 0) return prepared;
	const keys = checked.flatMap((item) => item.recipients.map((recipient) => ({ reference: item.reference, to: recipient.to })));
	const answer = await alreadySentIdsOf(client, keys).then(
		(ids) => ({ ids }),
		(error: unknown) => ({ error }),
	);
	if ('error' in answer) {
		const failure = lookupFailure(context.getNode(), answer.error);
		if (!context.continueOnFail()) throw failure;
		for (const item of checked) output.set(item.itemIndex, uncheckedItem(item, failure));
		return prepared.filter((item) => !item.skipAlreadySent);
	}
	let next = 0;
	for (const item of checked) {
		item.alreadySent = item.recipients.map(() => answer.ids[next++]);
		item.messages = item.messages.filter((_, n) => item.alreadySent[n] === null);
	}
	return prepared;
}

function lookupFailure(node: INode, error: unknown): DmcApiError {
	if (!(error instanceof DmcApiError)) throw error;
	return new DmcApiError(
		node,
		error.errorCode,
		'not-sent',
		`Could not check which messages were already sent: ${error.message}`,
		`${error.description ?? ''}\n\nNothing was sent for the items using Skip If Already Sent: sending without this check could send twice.`.trim(),
	);
}
