import type { Batch } from '../domain/batches';
import type { DmcApiError, DmcClient, DmcMessage } from './DmcClient';

export type BatchResult = { ids: string[] } | { error: DmcApiError } | { skipped: true };

/** How many calls may wait on DMC at once. The limiter paces their start. */
const MAX_CALLS_IN_FLIGHT = 5;

/**
 * Sends every batch with `batchSingleCall`, several at a time so that DMC's latency does
 * not eat the rate limit. With `stopAfterFailure`, batches not yet started when a call
 * fails are skipped: the caller is about to stop the workflow, and sending more would
 * only add to what the user has to reconcile.
 */
export async function sendBatches<M extends DmcMessage>(
	client: DmcClient,
	batches: ReadonlyArray<Batch<M>>,
	stopAfterFailure: boolean,
): Promise<BatchResult[]> {
	const results: BatchResult[] = batches.map(() => ({ skipped: true }));
	let next = 0;
	let failed = false;
	const worker = async () => {
		while (next < batches.length && !(stopAfterFailure && failed)) {
			const index = next++;
			try {
				results[index] = { ids: await client.batchSingleCall(batches[index].messages) };
			} catch (error) {
				results[index] = { error: error as DmcApiError };
				failed = true;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(MAX_CALLS_IN_FLIGHT, batches.length) }, worker));
	return results;
}
