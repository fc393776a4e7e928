import { NodeApiError, type IDataObject, type INode, type INodeExecutionData } from 'n8n-workflow';

import type { Recipient } from '../domain/recipients';
import type { SmsTextInfo } from '../domain/smsText';
import type { ItemSendResult } from '../transport/batchSender';
import { DmcApiError } from '../transport/DmcClient';
import { errorJson } from './itemErrors';

/** An item of a send, as far as its output is concerned. */
export interface SentItem {
	itemIndex: number;
	recipients: Recipient[];
	text: SmsTextInfo;
	reference: string;
	/** Per recipient: the id of the message DMC already had (Skip If Already Sent), else null. */
	alreadySent: Array<string | null>;
}

/** The ids of the item's recipients, in order: the existing ones, then the new ones where sent. */
function recipientIds(item: SentItem, newIds: ReadonlyArray<string | null> | undefined): Array<string | null> {
	let next = 0;
	return item.alreadySent.map((existing) => existing ?? newIds?.[next++] ?? null);
}

/** How an item's call in doubt reads: which recipients are still in doubt, and how to check them. */
export function inDoubtError(item: SentItem, error: DmcApiError, found: ReadonlyArray<string | null>, budgetSeconds: number): DmcApiError {
	const ids = recipientIds(item, found);
	const newOnes = item.recipients.filter((_, n) => item.alreadySent[n] === null);
	const doubtful = newOnes.filter((_, n) => found[n] === null).map((recipient) => recipient.to);
	const recovered = newOnes.flatMap((recipient, n) => (found[n] === null ? [] : [`${recipient.to} → ${ids[item.recipients.indexOf(recipient)]}`]));
	const description = [
		error.description,
		`In doubt, not sent again: ${doubtful.join(', ')}. DMC may have taken these messages: they were not found by reference "${item.reference}" within ${budgetSeconds} s. ` +
			`Check them with the Get Status operation (reference ${item.reference}) or in DMC's web console before sending again; ` +
			'a re-run with the option Skip If Already Sent sends only to the recipients DMC does not have.',
		recovered.length > 0 ? `Found again by reference, so sent: ${recovered.join(', ')}.` : undefined,
	];
	const message = `${error.message}. In doubt, not sent again: ${doubtful.join(', ')}`;
	const httpCode = error.httpCode === null ? undefined : Number(error.httpCode);
	return new DmcApiError(error.node, error.errorCode, 'unknown', message, description.filter(Boolean).join('\n\n'), httpCode);
}

/** The item's failure as reported: the call's error, or for a call in doubt the error naming who is in doubt. */
export function failureOf(result: ItemSendResult<SentItem>, budgetSeconds: number): DmcApiError | undefined {
	if (!('error' in result)) return undefined;
	return result.found ? inDoubtError(result.item, result.error, result.found, budgetSeconds) : result.error;
}

/** The output item of one item's send. */
export function resultItem(result: ItemSendResult<SentItem>, budgetSeconds: number): INodeExecutionData {
	const { item } = result;
	const newIds = 'ids' in result ? result.ids : 'found' in result ? result.found : undefined;
	const ids = recipientIds(item, newIds);
	let fresh = 0;
	const recipients = item.recipients.map((recipient, n): IDataObject => {
		const entry: IDataObject = { input: recipient.input, to: recipient.to, messageId: ids[n] };
		if (item.alreadySent[n] !== null) return { ...entry, alreadySent: true };
		const isNew = fresh++;
		if ('found' in result && result.found) return result.found[isNew] === null ? { ...entry, inDoubt: true } : { ...entry, recovered: true };
		return 'recovered' in result && result.recovered ? { ...entry, recovered: true } : entry;
	});
	let json: IDataObject;
	const failure = failureOf(result, budgetSeconds);
	if (failure) {
		json = { ...errorJson(failure), recipients, reference: item.reference };
	} else if ('skipped' in result) {
		json = { error: 'Not sent: an earlier call to DMC failed and the node stopped', outcome: 'not-sent', recipients, reference: item.reference };
	} else {
		json = { recipients, messageIds: ids, media: item.text.media, parts: item.text.parts, characters: item.text.characters, reference: item.reference };
		if ('recovered' in result && result.recovered) json.recovered = true;
	}
	return { json, pairedItem: { item: item.itemIndex } };
}

/** An item not sent because Skip If Already Sent could not check it: each recipient unsent. */
export function uncheckedItem(item: SentItem, failure: DmcApiError): INodeExecutionData {
	const recipients = item.recipients.map((recipient) => ({ input: recipient.input, to: recipient.to, messageId: null }));
	return { json: { ...errorJson(failure), recipients, reference: item.reference }, pairedItem: { item: item.itemIndex } };
}

/** An item none of whose recipients needed a new message: DMC had them all (Skip If Already Sent). */
export function allAlreadySent(item: SentItem): ItemSendResult<SentItem> {
	return { item, ids: [] };
}

/**
 * The error that stops the workflow: what DMC accepted (answered or found again by
 * reference), who is in doubt, and what was not sent. It never claims "0 accepted" when
 * messages are in doubt, since DMC may have taken them.
 */
export function stopError(node: INode, results: ReadonlyArray<ItemSendResult<SentItem>>, budgetSeconds: number): NodeApiError | undefined {
	const first = results.find((result) => 'error' in result);
	const error = first && failureOf(first, budgetSeconds);
	if (!first || !error) return undefined;
	const accepted: string[] = [];
	const inDoubt: string[] = [];
	let alreadySent = 0;
	for (const result of results) {
		const { item } = result;
		const ids = recipientIds(item, 'ids' in result ? result.ids : 'found' in result ? result.found : undefined);
		item.recipients.forEach((recipient, n) => {
			if (item.alreadySent[n] !== null) alreadySent++;
			else if (ids[n] !== null) accepted.push(`item ${item.itemIndex}: ${recipient.to} → ${ids[n]}${'recovered' in result || 'found' in result ? ' (found again by reference)' : ''}`);
			else if ('found' in result && result.found) inDoubt.push(`item ${item.itemIndex}: ${recipient.to} (reference ${item.reference})`);
		});
	}
	const notSent = results.flatMap((result) => ('skipped' in result ? [result.item.itemIndex] : []));
	const counts =
		inDoubt.length === 0
			? `${accepted.length} message(s) already accepted`
			: accepted.length === 0
				? `${inDoubt.length} message(s) in doubt, none known to be accepted`
				: `${accepted.length} message(s) already accepted, ${inDoubt.length} in doubt`;
	const description = [
		error.description,
		accepted.length === 0 && inDoubt.length === 0
			? 'No message of this execution was accepted by DMC.'
			: accepted.length > 0
				? `${accepted.length} message(s) of this execution were already accepted by DMC; do not send them again:\n${accepted.join('\n')}`
				: undefined,
		inDoubt.length > 0
			? `${inDoubt.length} message(s) in doubt (DMC may have them; check with Get Status by reference before sending again):\n${inDoubt.join('\n')}`
			: undefined,
		alreadySent > 0 ? `${alreadySent} recipient(s) skipped: DMC already had their message with the same reference.` : undefined,
		notSent.length > 0 ? `Not sent, as the node stopped first: item(s) ${notSent.join(', ')}.` : undefined,
	];
	return new NodeApiError(node, { dmcErrorCode: error.errorCode, outcome: error.outcome }, {
		message: `${error.message} (${counts})`,
		description: description.filter(Boolean).join('\n\n'),
		itemIndex: first.item.itemIndex,
		httpCode: error.httpCode ?? undefined,
	});
}
