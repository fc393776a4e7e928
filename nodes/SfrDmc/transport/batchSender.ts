import type { Batch, ItemMessages } from '../domain/batches';
import { DmcApiError, type DmcClient, type DmcMessage } from './DmcClient';
import { resolveCallInDoubt } from './doubtResolver';

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

type CallOutcome = { ids: string[]; recovered?: true } | { error: DmcApiError; found?: Array<string | null> } | { skipped: true };

export interface SendBatchesOptions {
	/** Start no new call once one has failed (the caller is about to stop the workflow). */
	stopAfterFailure: boolean;
	/** How long to keep looking for the messages of a call in doubt (see doubtResolver). */
	doubtBudgetMs: number;
	wait?: (ms: number) => Promise<void>;
}

/** How many calls may wait on DMC at once. The limiter paces their start. */
const MAX_CALLS_IN_FLIGHT = 5;

/**
 * Sends every batch with `batchSingleCall`, several at a time so that DMC's latency does
 * not eat the rate limit, and returns one result per item, in batch order. A call whose
 * outcome is unknown is resolved by reference before it counts as failed: what is found
 * is sent, what is not stays in doubt, and nothing is sent again. With `stopAfterFailure`,
 * batches not yet started when a call fails are skipped: the caller is about to stop the
 * workflow, and sending more would only add to what the user has to reconcile. An
 * exception other than a DmcApiError is a bug: no further batch starts, and it is
 * rethrown once the calls in flight are over.
 */
export async function sendBatches<I extends ItemMessages<DmcMessage>>(
	client: DmcClient,
	batches: ReadonlyArray<Batch<I>>,
	options: SendBatchesOptions,
): Promise<Array<ItemSendResult<I>>> {
	const outcomes: CallOutcome[] = batches.map(() => ({ skipped: true }));
	// Ids of answered calls: never taken for the messages of a call in doubt.
	const claimedIds = new Set<string>();
	let next = 0;
	let failed = false;
	let bug: { error: unknown } | undefined;
	const worker = async () => {
		while (next < batches.length && !bug && !(options.stopAfterFailure && failed)) {
			const index = next++;
			const messages = batches[index].messages;
			// Taken before the call waits for the limiter: a little early, never late.
			const startedAt = Date.now();
			try {
				const ids = await client.batchSingleCall(messages);
				ids.forEach((id) => claimedIds.add(id));
				outcomes[index] = { ids };
			} catch (error) {
				if (!(error instanceof DmcApiError)) {
					bug ??= { error };
					failed = true;
					continue;
				}
				const outcome: CallOutcome =
					error.outcome === 'unknown' ? await resolved(client, messages, startedAt, error, { ...options, claimedIds }) : { error };
				for (const id of 'ids' in outcome ? outcome.ids : 'found' in outcome ? (outcome.found ?? []) : []) if (id !== null) claimedIds.add(id);
				outcomes[index] = outcome;
				if ('error' in outcome) failed = true;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(MAX_CALLS_IN_FLIGHT, batches.length) }, worker));
	if (bug) throw bug.error;

	return batches.flatMap((batch, index) => {
		const outcome = outcomes[index];
		let offset = 0;
		return batch.items.map((item): ItemSendResult<I> => {
			// DMC answers ids in the order of the messages, and an item's messages are contiguous.
			const start = offset;
			offset += item.messages.length;
			const slice = <T>(list: T[]) => list.slice(start, offset);
			if ('ids' in outcome) return outcome.recovered ? { item, ids: slice(outcome.ids), recovered: true } : { item, ids: slice(outcome.ids) };
			if (!('error' in outcome)) return { item, skipped: true };
			if (!outcome.found) return { item, error: outcome.error };
			const found = slice(outcome.found);
			// An item of a call in doubt whose messages were all found again is sent.
			if (found.every((id) => id !== null)) return { item, ids: found as string[], recovered: true };
			return { item, error: outcome.error, found };
		});
	});
}

/** A call in doubt, after looking for its messages: sent when all were found, else still failed. */
async function resolved(
	client: DmcClient,
	messages: readonly DmcMessage[],
	startedAt: number,
	error: DmcApiError,
	options: SendBatchesOptions & { claimedIds: ReadonlySet<string> },
): Promise<CallOutcome> {
	const resolution = await resolveCallInDoubt(client, messages, startedAt, {
		budgetMs: options.doubtBudgetMs,
		claimedIds: options.claimedIds,
		wait: options.wait,
	});
	if (resolution.ids.every((id) => id !== null)) return { ids: resolution.ids as string[], recovered: true };
	return { error: withLookupFailure(error, resolution.lookupError), found: resolution.ids };
}

/** The call's error, saying also why the last look-up by reference failed, if it did. */
function withLookupFailure(error: DmcApiError, lookupError: DmcApiError | undefined): DmcApiError {
	if (!lookupError) return error;
	const description = `${error.description ?? ''}\n\nLooking for the messages by reference failed too: ${lookupError.message}`.trim();
	const httpCode = error.httpCode === null ? undefined : Number(error.httpCode);
	return new DmcApiError(error.node, error.errorCode, error.outcome, error.message, description, httpCode);
}
