import { sleep } from 'n8n-workflow';

import { MAX_IDS_PER_REPORT_CALL } from '../domain/deliveryReports';
import { lookupPauses } from '../domain/lookupSchedule';
import { matchCallMessages } from '../domain/reportMatching';
import { DmcApiError, type DmcClient, type DmcMessage } from './DmcClient';
import { findByReferences } from './referenceLookup';

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
	/** Look-ups made (report calls, one per 100 references). */
	lookups: number;
	/** The last look-up that failed, if the last one did. */
	lookupError?: DmcApiError;
}

/**
 * Looks for the messages of one `batchSingleCall` whose outcome is unknown, by reference
 * and recipient, among the messages DMC created since `callStartedAt` (see reportMatching).
 * It only reads: whatever it does not find stays in doubt and is never sent again here.
 * One step per call, whoever made the call: it needs only the client, the call's messages
 * and the instant the call started. Every look-up goes through the client, so through the
 * service's shared limiter.
 */
export async function resolveCallInDoubt(
	client: DmcClient,
	messages: readonly DmcMessage[],
	callStartedAt: number,
	options: DoubtResolutionOptions,
): Promise<DoubtResolution> {
	const keys = messages.map((message) => ({ reference: message.refExt ?? '', to: message.to }));
	const references = [...new Set(keys.map((key) => key.reference).filter((reference) => reference !== ''))];
	let ids: Array<string | null> = messages.map(() => null);
	if (references.length === 0) return { ids, lookups: 0 };

	const pauses = lookupPauses(options.budgetMs);
	let lookups = 0;
	let lookupError: DmcApiError | undefined;
	for (let attempt = 0; ; attempt++) {
		const answer = await findByReferences(client, references).then(
			(records) => ({ records }),
			(error: unknown) => ({ error }),
		);
		if ('records' in answer) {
			lookupError = undefined;
			ids = matchCallMessages(keys, answer.records, callStartedAt, options.claimedIds).map((id, n) =>
				keys[n].reference === '' ? null : id,
			);
		} else if (answer.error instanceof DmcApiError) {
			// A failed look-up is one more try spent; the next may get through.
			lookupError = answer.error;
		} else {
			throw answer.error;
		}
		lookups += Math.ceil(references.length / MAX_IDS_PER_REPORT_CALL);
		if (ids.every((id) => id !== null) || attempt >= pauses.length) break;
		await (options.wait ?? sleep)(pauses[attempt]);
	}
	return lookupError ? { ids, lookups, lookupError } : { ids, lookups };
}
