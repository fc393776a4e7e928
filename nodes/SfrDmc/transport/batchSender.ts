import type { ItemMessages } from '../domain/batches';
import type { DmcApiError, DmcClient, DmcMessage } from './DmcClient';
import { sendQueueFor, type CallOutcome } from './queuedCall';
import type { QueuedOutcome } from './sendQueue';

/**
 * What became of one item's messages: DMC's ids for them (`recovered` when the call's
 * answer was lost and the ids were found again by reference), the call's failure (with,
 * for a call in doubt, `found`: per message the id found again or null while in doubt),
 * or not sent.
 */
export type ItemSendResult<I> =
	| { item: I; ids: string[]; recovered?: true }
	| { item: I; error: DmcApiError; found?: Array<string | null> }
	| { item: I; skipped: true };

export interface SendOptions {
	/** The node is about to stop on a failure: its items still waiting are withdrawn. */
	stopAfterFailure: boolean;
	/** How long to keep looking for the messages of a call in doubt (see doubtResolver). */
	doubtBudgetMs: number;
	/** n8n's cancellation of the execution: its items still waiting are withdrawn. */
	cancelSignal?: AbortSignal;
	wait?: (ms: number) => Promise<void>;
}

/**
 * Sends every item with `batchSingleCall` through the login's sending queue, where calls
 * may also carry other executions' messages, and returns one result per item, in order.
 * A call whose outcome is unknown is resolved by reference, once per call, before it
 * counts as failed (see queuedCall): what is found is sent, what is not stays in doubt,
 * and nothing is sent again. An item withdrawn before a call took it is skipped: after a
 * failure with `stopAfterFailure` (the caller is about to stop the workflow, and sending
 * more would only add to what the user has to reconcile), or when n8n cancels the
 * execution. Items already in a call in flight get that call's outcome. An exception
 * other than a DmcApiError is a bug: the items still waiting are withdrawn, and it is
 * rethrown once this execution's calls are over.
 */
export async function sendItems<I extends ItemMessages<DmcMessage>>(
	client: DmcClient,
	items: readonly I[],
	options: SendOptions,
): Promise<Array<ItemSendResult<I>>> {
	const session = sendQueueFor(client).join({ client, doubtBudgetMs: options.doubtBudgetMs, wait: options.wait });
	const withdraw = () => session.withdraw();
	let bug: { error: unknown } | undefined;
	const resultOf = (item: I, outcome: QueuedOutcome<CallOutcome>): ItemSendResult<I> => {
		if ('withdrawn' in outcome) return { item, skipped: true };
		if ('error' in outcome) {
			// A call's step returns DMC's failures as its outcome: what it throws is a bug.
			bug ??= { error: outcome.error };
			session.withdraw();
			return { item, skipped: true };
		}
		const result = itemResult(item, outcome.result, outcome.offset);
		if ('error' in result && options.stopAfterFailure) session.withdraw();
		return result;
	};
	const sending = items.filter((item) => item.messages.length > 0);
	const outcomes = session.add(sending.map((item) => item.messages));
	if (options.cancelSignal?.aborted) withdraw();
	options.cancelSignal?.addEventListener('abort', withdraw);
	const pending = outcomes.map(async (outcome, index) => resultOf(sending[index], await outcome));
	try {
		const results = await Promise.all(pending);
		if (bug) throw bug.error;
		return results;
	} finally {
		options.cancelSignal?.removeEventListener('abort', withdraw);
	}
}

/** One item's share of its call's outcome, its messages being the call's from `start` on. */
function itemResult<I extends ItemMessages<DmcMessage>>(item: I, outcome: CallOutcome, start: number): ItemSendResult<I> {
	// DMC answers ids in the order of the messages, and an item's messages are contiguous.
	const slice = <T>(list: T[]) => list.slice(start, start + item.messages.length);
	if ('ids' in outcome) return outcome.recovered ? { item, ids: slice(outcome.ids), recovered: true } : { item, ids: slice(outcome.ids) };
	if (!outcome.found) return { item, error: outcome.error };
	const found = slice(outcome.found);
	// An item of a call in doubt whose messages were all found again is sent.
	if (found.every((id) => id !== null)) return { item, ids: found as string[], recovered: true };
	return { item, error: outcome.error, found };
}
