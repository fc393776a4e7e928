import { sleep } from 'n8n-workflow';

import { lookupPauses } from '../domain/lookupSchedule';
import { CLOCK_SKEW_MARGIN_MS, matchCallMessages } from '../domain/reportMatching';
import { DmcApiError, type DmcClient, type DmcMessage } from './DmcClient';

export interface DoubtResolutionOptions {
	/** How long, in all, to keep looking after the first look-up (pauses only). */
	budgetMs: number;
	/** Ids known to belong to other messages (answered calls), never taken for these. */
	claimedIds?: ReadonlySet<string>;
	wait?: (ms: number) => Promise<void>;
}

export interface DoubtResolution {
	/** Per message, in order: the id DMC gave it, or null while it stays in doubt. */
	ids: Array<string | null>;
	/** Look-ups made (listings of the messages sent since the call started). */
	lookups: number;
	/** The last look-up that failed, if the last one did. */
	lookupError?: DmcApiError;
}

/**
 * Looks for the messages of one `batchSingleCall` whose outcome is unknown, by reference
 * and recipient, among the messages DMC created since `callStartedAt` (see reportMatching).
 * It only reads: whatever it does not find stays in doubt and is never sent again here.
 *
 * Each look-up lists the unit messages sent since the call started (less the clock margin)
 * with `MessagesUnitairesWS/getSingleCallCra`, which the guide puts under the 5 calls/s
 * rule only, not SupervisionWS's once a minute: so a message DMC lists a few seconds late
 * is still found within the look-up time, which a `findCraByIds` a minute later could not.
 * The window is not filtered by `refExt` (the guide does not document that filter);
 * matching on reference and recipient is ours. Every look-up goes through the client, so
 * through the service's shared limiter.
 */
export async function resolveCallInDoubt(
	client: DmcClient,
	messages: readonly DmcMessage[],
	callStartedAt: number,
	options: DoubtResolutionOptions,
): Promise<DoubtResolution> {
	const keys = messages.map((message) => ({ reference: message.refExt ?? '', to: message.to }));
	let ids: Array<string | null> = messages.map(() => null);
	if (keys.every((key) => key.reference === '')) return { ids, lookups: 0 };

	const pauses = lookupPauses(options.budgetMs);
	const since = new Date(callStartedAt - CLOCK_SKEW_MARGIN_MS);
	let lookups = 0;
	let lookupError: DmcApiError | undefined;
	for (let attempt = 0; ; attempt++) {
		const answer = await client.listSingleCallCra(since).then(
			(records) => ({ records }),
			(error: unknown) => ({ error }),
		);
		if ('records' in answer) {
			lookupError = undefined;
			ids = matchCallMessages(keys, answer.records, callStartedAt, options.claimedIds, true).map((id, n) =>
				keys[n].reference === '' ? null : id,
			);
		} else if (answer.error instanceof DmcApiError) {
			// A failed look-up is one more try spent; the next may get through.
			lookupError = answer.error;
		} else {
			throw answer.error;
		}
		lookups++;
		if (ids.every((id, n) => id !== null || keys[n].reference === '') || attempt >= pauses.length) break;
		await (options.wait ?? sleep)(pauses[attempt]);
	}
	return lookupError ? { ids, lookups, lookupError } : { ids, lookups };
}
