import type { ItemMessages } from '../domain/batches';
import { DmcApiError, type DmcClient, type DmcMessage } from './DmcClient';
import { sendQueueFor, type QueuedOutcome } from './sendQueue';

/** What became of one item's messages: DMC's ids for them, the call's failure, or not sent. */
export type ItemSendResult<I> = { item: I; ids: string[] } | { item: I; error: DmcApiError } | { item: I; skipped: true };

export interface SendOptions {
	/** The node is about to stop on a failure: its items still waiting are withdrawn. */
	stopAfterFailure: boolean;
	/** n8n's cancellation of the execution: its items still waiting are withdrawn. */
	cancelSignal?: AbortSignal;
}

/**
 * Sends every item with `batchSingleCall` through the login's sending queue, where calls
 * may also carry other executions' messages, and returns one result per item, in order.
 * An item withdrawn before a call took it is skipped: after a failure with
 * `stopAfterFailure` (the caller is about to stop the workflow, and sending more would only
 * add to what the user has to reconcile), or when n8n cancels the execution. Items already
 * in a call in flight get that call's outcome. An exception other than a DmcApiError is a
 * bug: the items still waiting are withdrawn, and it is rethrown once this execution's
 * calls are over.
 */
export async function sendItems<I extends ItemMessages<DmcMessage>>(
	client: DmcClient,
	items: readonly I[],
	options: SendOptions,
): Promise<Array<ItemSendResult<I>>> {
	const session = sendQueueFor(client).join(async (messages, slot) => await client.batchSingleCall(messages, slot));
	const withdraw = () => session.withdraw();
	let bug: { error: unknown } | undefined;
	const resultOf = (item: I, outcome: QueuedOutcome<string[]>): ItemSendResult<I> => {
		// DMC answers ids in the order of the messages, and an item's messages are contiguous.
		if ('result' in outcome) return { item, ids: outcome.result.slice(outcome.offset, outcome.offset + item.messages.length) };
		if ('withdrawn' in outcome) return { item, skipped: true };
		const { error } = outcome;
		if (!(error instanceof DmcApiError)) {
			bug ??= { error };
			session.withdraw();
			return { item, skipped: true };
		}
		if (options.stopAfterFailure) session.withdraw();
		return { item, error };
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
