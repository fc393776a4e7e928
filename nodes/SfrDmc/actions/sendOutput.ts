import { NodeApiError, NodeOperationError, type IDataObject, type INode, type INodeExecutionData } from 'n8n-workflow';

import type { ItemSendResult } from '../transport/batchSender';
import { DmcApiError } from '../transport/DmcClient';
import { errorJson } from './itemErrors';
import type { PreparedItem } from './prepareSend';

type Result = ItemSendResult<PreparedItem>;

/** The ids the call gave (or the look-up found) for the item's messages, if any. */
function newIdsOf(result: Result): ReadonlyArray<string | null> | undefined {
	return 'ids' in result ? result.ids : 'found' in result ? result.found : undefined;
}

/**
 * Per recipient, in order: the message id to report, or null. Messages skip the excluded
 * and the already sent recipients, so DMC's ids map onto the others in order.
 */
function recipientIds(item: PreparedItem, newIds: ReadonlyArray<string | null> | undefined): Array<string | null> {
	let next = 0;
	return item.recipients.map((recipient) => (recipient.excluded ? null : (recipient.alreadySent ?? newIds?.[next++] ?? null)));
}

/** The recipients a call sent to (neither excluded nor already sent), in message order. */
function sentTo(item: PreparedItem) {
	return item.recipients.filter((recipient) => !recipient.excluded && recipient.alreadySent === undefined);
}

/** How an item's call in doubt reads: which recipients are still in doubt, and how to check them. */
function inDoubtError(item: PreparedItem, error: DmcApiError, found: ReadonlyArray<string | null>, budgetSeconds: number): DmcApiError {
	const sent = sentTo(item);
	const doubtful = sent.filter((_, n) => found[n] === null).map((recipient) => recipient.to);
	const recovered = sent.flatMap((recipient, n) => (found[n] === null ? [] : [`${recipient.to} → ${found[n]}`]));
	const description = [
		error.description,
		`In doubt, not sent again: ${doubtful.join(', ')}. DMC may have taken these messages: they were not found by reference "${item.reference}" within ${budgetSeconds} s. ` +
			`Check them with the Get Status operation (reference ${item.reference}) or in DMC's web console before sending again; ` +
			'a re-run with the option Skip If Already Sent sends only to the recipients DMC does not have.',
		recovered.length > 0 ? `Found again by reference, so sent: ${recovered.join(', ')}.` : undefined,
	];
	const httpCode = error.httpCode === null ? undefined : Number(error.httpCode);
	const message = `${error.message}. In doubt, not sent again: ${doubtful.join(', ')}`;
	return new DmcApiError(error.node, error.errorCode, 'unknown', message, description.filter(Boolean).join('\n\n'), httpCode);
}

/** The item's failure as reported: the call's error, or for a call in doubt the error naming who is in doubt. */
function failureOf(result: Result, budgetSeconds: number): DmcApiError | undefined {
	if (!('error' in result)) return undefined;
	return result.found ? inDoubtError(result.item, result.error, result.found, budgetSeconds) : result.error;
}

/** The item's `recipients[]`: each with its message id, and what became of it when not plainly sent. */
function recipientsOutput(result: Result): IDataObject[] {
	const { item } = result;
	const ids = recipientIds(item, newIdsOf(result));
	const found = 'found' in result ? result.found : undefined;
	const recovered = 'recovered' in result && result.recovered === true;
	let sent = 0;
	return item.recipients.map((recipient, n): IDataObject => {
		const entry = { input: recipient.input, to: recipient.to, messageId: ids[n] };
		if (recipient.excluded) return { ...entry, excluded: true };
		if (recipient.alreadySent !== undefined) return { ...entry, alreadySent: true };
		const index = sent++;
		if (found) return found[index] === null ? { ...entry, inDoubt: true } : { ...entry, recovered: true };
		return recovered ? { ...entry, recovered: true } : entry;
	});
}

/** The output item of one item's send. */
export function resultItem(result: Result, budgetSeconds: number): INodeExecutionData {
	const { item } = result;
	const recipients = recipientsOutput(result);
	const ignored = item.excludeListIgnored && { excludeListIgnored: item.excludeListIgnored };
	let json: IDataObject;
	if ('ids' in result) {
		const messageIds = recipientIds(item, result.ids).filter((id): id is string => id !== null);
		json = { recipients, messageIds, ...item.summary, reference: item.reference, ...ignored };
		if (result.recovered) json.recovered = true;
	} else if ('skipped' in result) {
		json = {
			error: 'Not sent: an earlier call to DMC failed and the node stopped',
			outcome: 'not-sent',
			recipients,
			reference: item.reference,
			...ignored,
		};
	} else {
		json = { ...errorJson(failureOf(result, budgetSeconds) ?? result.error), recipients, reference: item.reference, ...ignored };
	}
	return { json, pairedItem: { item: item.itemIndex } };
}

/** An item not sent because Skip If Already Sent could not check it: each recipient unsent. */
export function uncheckedItem(item: PreparedItem, failure: DmcApiError): INodeExecutionData {
	const recipients = item.recipients.map((recipient) => ({ input: recipient.input, to: recipient.to, messageId: null }));
	return { json: { ...errorJson(failure), recipients, reference: item.reference }, pairedItem: { item: item.itemIndex } };
}

/**
 * What an execution's results add up to, for the error that ends it: the counts for its
 * message (never "0 accepted" when messages are in doubt, since DMC may have them), and the
 * lines naming what DMC accepted (answered or found again by reference), who is in doubt,
 * who was skipped as already sent, and which items were not sent, and why.
 */
function sentSummary(results: readonly Result[], notSentBecause: string) {
	const accepted: string[] = [];
	const inDoubt: string[] = [];
	let alreadySent = 0;
	for (const result of results) {
		const { item } = result;
		const newIds = newIdsOf(result);
		const byReference = 'recovered' in result || 'found' in result ? ' (found again by reference)' : '';
		alreadySent += item.recipients.filter((recipient) => recipient.alreadySent !== undefined).length;
		sentTo(item).forEach((recipient, n) => {
			const id = newIds?.[n];
			if (id) accepted.push(`item ${item.itemIndex}: ${recipient.to} → ${id}${byReference}`);
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
	const lines = [
		accepted.length === 0 && inDoubt.length === 0
			? 'No message of this execution was accepted by DMC.'
			: accepted.length > 0
				? `${accepted.length} message(s) of this execution were already accepted by DMC; do not send them again:\n${accepted.join('\n')}`
				: undefined,
		inDoubt.length > 0
			? `${inDoubt.length} message(s) in doubt (DMC may have them; check with Get Status by reference before sending again):\n${inDoubt.join('\n')}`
			: undefined,
		alreadySent > 0 ? `${alreadySent} recipient(s) skipped: DMC already had their message with the same reference.` : undefined,
		notSent.length > 0 ? `Not sent, as ${notSentBecause}: item(s) ${notSent.join(', ')}.` : undefined,
	];
	return { counts, lines };
}

/** The error that stops the workflow: the first failure, and what became of the execution's messages. */
export function stopError(node: INode, results: readonly Result[], budgetSeconds: number): NodeApiError | undefined {
	const first = results.find((result) => 'error' in result);
	const error = first && failureOf(first, budgetSeconds);
	if (!first || !error) return undefined;
	const summary = sentSummary(results, 'the node stopped first');
	return new NodeApiError(
		node,
		{ dmcErrorCode: error.errorCode, outcome: error.outcome },
		{
			message: `${error.message} (${summary.counts})`,
			description: [error.description, ...summary.lines].filter(Boolean).join('\n\n'),
			itemIndex: first.item.itemIndex,
			httpCode: error.httpCode ?? undefined,
		},
	);
}

/**
 * n8n cancelled the execution while it sent: its messages still waiting were withdrawn, and
 * those already in a call to DMC got that call's outcome, which this error lists.
 */
export function cancelledError(node: INode, results: readonly Result[], budgetSeconds: number): NodeOperationError {
	const summary = sentSummary(results, 'the execution was cancelled first');
	const failed = results.flatMap((result) => {
		const failure = failureOf(result, budgetSeconds);
		return failure ? [`item ${result.item.itemIndex}: ${failure.message}`] : [];
	});
	return new NodeOperationError(node, `The execution was cancelled while sending (${summary.counts})`, {
		description: [...summary.lines, failed.length > 0 ? `Failed in a call already made:\n${failed.join('\n')}` : undefined]
			.filter(Boolean)
			.join('\n\n'),
	});
}
