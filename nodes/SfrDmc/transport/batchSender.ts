import type { Batch, ItemMessages } from '../domain/batches';
import { DmcApiError, type DmcClient, type DmcMessage } from './DmcClient';

/** What became of one item's messages: DMC's ids for them, the call's failure, or not sent. */
export type ItemSendResult<I> = { item: I; ids: string[] } | { item: I; error: DmcApiError } | { item: I; skipped: true };

/** How many calls may wait on DMC at once. The limiter paces their start. */
const MAX_CALLS_IN_FLIGHT = 5;

/**
 * Sends every batch with `batchSingleCall`, several at a time so that DMC's latency does
 * not eat the rate limit, and returns one result per item, in batch order. With
 * `stopAfterFailure`, batches not yet started when a call fails are skipped: the caller is
 * about to stop the workflow, and sending more would only add to what the user has to
 * reconcile. An exception other than a DmcApiError is a bug: no further batch starts, and
 * it is rethrown once the calls in flight are over.
 */
export async function sendBatches<I extends ItemMessages<DmcMessage>>(
	client: DmcClient,
	batches: ReadonlyArray<Batch<I>>,
	stopAfterFailure: boolean,
): Promise<Array<ItemSendResult<I>>> {
	const outcomes: Array<{ ids: string[] } | { error: DmcApiError } | { skipped: true }> = batches.map(() => ({ skipped: true }));
	let next = 0;
	let failed = false;
	let bug: { error: unknown } | undefined;
	const worker = async () => {
		while (next < batches.length && !bug && !(stopAfterFailure && failed)) {
			const index = next++;
			try {
				outcomes[index] = { ids: await client.batchSingleCall(batches[index].messages) };
			} catch (error) {
				if (!(error instanceof DmcApiError)) bug ??= { error };
				else outcomes[index] = { error };
				failed = true;
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
			const ids = 'ids' in outcome ? outcome.ids.slice(offset, offset + item.messages.length) : undefined;
			offset += item.messages.length;
			if (ids) return { item, ids };
			return 'error' in outcome ? { item, error: outcome.error } : { item, skipped: true };
		});
	});
}
