import type { IExecuteFunctions, INode, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_PARTS, prepareSmsText, withStopNotice, type SmsEncoding } from '../domain/smsText';
import { validateSender } from '../domain/sender';
import { sendItems } from '../transport/batchSender';
import { DmcApiError, type DmcClient } from '../transport/DmcClient';
import { connectDmc } from '../transport/connectDmc';
import { alreadySentIdsOf } from '../transport/referenceLookup';
import { readItems } from './itemErrors';
import { itemPreparer, type ItemContent, type PreparedItem, type SendOptions } from './prepareSend';
import { cancelledError, resultItem, stopError, uncheckedItem } from './sendOutput';
import {
	DEFAULT_DOUBT_LOOKUP_SECONDS,
	DEFAULT_TIMEOUT_SECONDS,
	encodingOption,
	messageParameter,
	sendOptionsParameter,
	stopMentionOption,
	toParameter,
} from './sendParameters';

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
		stopMentionOption,
		encodingOption,
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
	return await sendMessages(
		this,
		itemPreparer(this, 'sms', (itemIndex, options: SmsOptions) => readSms(this, itemIndex, options)),
	);
}

/**
 * Sends what `prepare` makes of every item (Send, Send Voice Message): one output item per
 * input item, with its message ids, or its error. Items go through the login's sending
 * queue, whose calls may also carry other executions' messages; a call in doubt is resolved
 * by reference before anything is reported (see batchSender). With Skip If Already Sent,
 * recipients DMC already has a message for are left out first, per execution. When n8n
 * cancels the execution, its messages not yet in a call are withdrawn.
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
	const lookupSeconds = context.getNodeParameter('options.doubtLookupTime', 0, DEFAULT_DOUBT_LOOKUP_SECONDS) as number;

	let toSend = prepared.filter((item) => item.messages.length > 0);
	if (toSend.length > 0) {
		const timeoutSeconds = context.getNodeParameter('options.requestTimeout', 0, DEFAULT_TIMEOUT_SECONDS) as number;
		const client = await connectDmc(context, timeoutSeconds * 1000);
		toSend = await skipAlreadySent(context, client, toSend, output);
		const cancelSignal = context.getExecutionCancelSignal();
		const results = await sendItems(client, toSend, {
			stopAfterFailure: !context.continueOnFail(),
			doubtBudgetMs: lookupSeconds * 1000,
			cancelSignal,
		});
		if (cancelSignal?.aborted) throw cancelledError(context.getNode(), results, lookupSeconds);
		for (const result of results) output.set(result.item.itemIndex, resultItem(result, lookupSeconds));
		const failure = context.continueOnFail() ? undefined : stopError(context.getNode(), results, lookupSeconds);
		if (failure) throw failure;
	}
	// An item whose recipients are all excluded or already sent has nothing to send, and that is no error.
	for (const item of prepared) if (item.messages.length === 0) output.set(item.itemIndex, resultItem({ item, ids: [] }, lookupSeconds));
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

/**
 * Skip If Already Sent: looks up the references of the items that ask for it (100 per
 * call) and leaves out of each the recipients DMC already has a message for with that
 * reference. If the look-up fails, nothing is sent for those items: sending without
 * knowing could send twice, which is what the option is there to prevent.
 */
async function skipAlreadySent(
	context: IExecuteFunctions,
	client: DmcClient,
	items: PreparedItem[],
	output: Map<number, INodeExecutionData>,
): Promise<PreparedItem[]> {
	const checked = items.filter((item) => item.skipAlreadySent);
	if (checked.length === 0) return items;
	const keys = checked.flatMap((item) => item.messages.map((message) => ({ reference: item.reference, to: message.to })));
	const answer = await alreadySentIdsOf(client, keys).then(
		(ids) => ({ ids }),
		(error: unknown) => ({ error }),
	);
	if ('error' in answer) {
		const failure = lookupFailure(context.getNode(), answer.error);
		if (!context.continueOnFail()) throw failure;
		for (const item of checked) output.set(item.itemIndex, uncheckedItem(item, failure));
		return items.filter((item) => !item.skipAlreadySent);
	}
	let next = 0;
	for (const item of checked) {
		const existing = item.messages.map(() => answer.ids[next++]);
		const byNumber = new Map(item.messages.map((message, n) => [message.to, existing[n]]));
		for (const recipient of item.recipients) {
			const id = recipient.excluded ? null : byNumber.get(recipient.to);
			if (id) recipient.alreadySent = id;
		}
		item.messages = item.messages.filter((_, n) => existing[n] === null);
	}
	return items.filter((item) => item.messages.length > 0);
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
