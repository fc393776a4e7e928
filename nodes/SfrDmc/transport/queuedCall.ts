import { DmcApiError, type DmcClient, type DmcMessage } from './DmcClient';
import { resolveCallInDoubt } from './doubtResolver';
import { SendQueue, type SendCall } from './sendQueue';

/**
 * What one call gave its messages: their ids (`recovered` when the answer was lost and all
 * were found again by reference), or its failure with, for a call in doubt, `found`: per
 * message the id found again or null while in doubt.
 */
export type CallOutcome = { ids: string[]; recovered?: true } | { error: DmcApiError; found?: Array<string | null> };

/** What an execution sending through the queue brings to the calls its items go in. */
export interface Sender {
	/** A call goes out through the client (n8n's request helper) of its oldest item's execution. */
	client: DmcClient;
	/** The execution's "Look-Up Time When in Doubt", in ms. */
	doubtBudgetMs: number;
	wait?: (ms: number) => Promise<void>;
}

/**
 * How long before the oldest call still running began an id another call got back stays
 * claimed. A look-up only considers messages DMC created after its call started, less a
 * clock margin of seconds (see reportMatching); a minute is far beyond any clock offset
 * between DMC and us, so an id dropped sooner than this could never have matched.
 */
const CLAIM_KEPT_MS = 60_000;

/**
 * The step every call of one login's queue runs: `batchSingleCall` in the slot the queue
 * holds, and when its outcome is unknown, the look-up by reference of its messages, once
 * for the whole call whichever executions' items it carries. Nothing is ever sent again.
 * Ids other calls of this login got back (answered or found again) are never taken for a
 * message in doubt, whichever execution either belongs to.
 */
export function callResolvingDoubt(): SendCall<DmcMessage, CallOutcome, Sender> {
	// Both in time order (a Map iterates in insertion order): when each id was claimed, and
	// the start of each call still running.
	const claimedAt = new Map<string, number>();
	const running = new Set<{ startedAt: number }>();
	const claim = (ids: ReadonlyArray<string | null>) => {
		const now = Date.now();
		for (const id of ids) {
			if (id === null) continue;
			// Taken out first so that it moves to the end, keeping the map in time order.
			claimedAt.delete(id);
			claimedAt.set(id, now);
		}
	};
	const forgetOldClaims = () => {
		const [oldest] = running;
		const keepFrom = (oldest?.startedAt ?? Date.now()) - CLAIM_KEPT_MS;
		for (const [id, at] of claimedAt) {
			if (at >= keepFrom) break;
			claimedAt.delete(id);
		}
	};
	return async (messages, slot, senders) => {
		const [{ client, wait }] = senders;
		// The slot is already held, so this is the instant the call leaves, near enough.
		const call = { startedAt: Date.now() };
		running.add(call);
		try {
			const answer = await client.batchSingleCall(messages, slot).then(
				(ids) => ({ ids }),
				(error: unknown) => ({ error }),
			);
			if ('ids' in answer) {
				claim(answer.ids);
				return { ids: answer.ids };
			}
			const { error } = answer;
			if (!(error instanceof DmcApiError)) throw error;
			if (error.outcome !== 'unknown') return { error };
			// The client frees the slot once the request is over; freeing it here too (it is
			// idempotent) makes sure the look-ups, which need slots of the same limiter, never
			// wait while this call holds one: with a cap of 1 that would wait for ever.
			slot();
			// The executions in one call may ask for different look-up times. The longest is
			// the safe one: a shorter search could leave in doubt a message the longer one
			// would find, while searching longer only delays the others, and each execution's
			// own time, which its in-doubt error states, stays a true lower bound.
			const budgetMs = Math.max(...senders.map((sender) => sender.doubtBudgetMs));
			const resolution = await resolveCallInDoubt(client, messages, call.startedAt, {
				budgetMs,
				claimedIds: new Set(claimedAt.keys()),
				wait,
			});
			claim(resolution.ids);
			if (resolution.ids.every((id) => id !== null)) return { ids: resolution.ids as string[], recovered: true };
			return { error: withLookupFailure(error, resolution.lookupError), found: resolution.ids };
		} finally {
			running.delete(call);
			forgetOldClaims();
		}
	};
}

/** The call's error, saying also why the last look-up by reference failed, if it did. */
function withLookupFailure(error: DmcApiError, lookupError: DmcApiError | undefined): DmcApiError {
	if (!lookupError) return error;
	const description = `${error.description ?? ''}\n\nLooking for the messages by reference failed too: ${lookupError.message}`.trim();
	const httpCode = error.httpCode === null ? undefined : Number(error.httpCode);
	return new DmcApiError(error.node, error.errorCode, error.outcome, error.message, description, httpCode);
}

/**
 * One queue per DMC login in this process, behind the service's shared limiter: the
 * client's login key names the API base URL, the service, the space and a fingerprint of
 * the password, so a call never carries messages of another login.
 */
const queues = new Map<string, SendQueue<DmcMessage, CallOutcome, Sender>>();

export function sendQueueFor(client: DmcClient): SendQueue<DmcMessage, CallOutcome, Sender> {
	let queue = queues.get(client.loginKey);
	if (!queue) {
		queue = new SendQueue(client.limiter, callResolvingDoubt());
		queues.set(client.loginKey, queue);
	}
	return queue;
}
