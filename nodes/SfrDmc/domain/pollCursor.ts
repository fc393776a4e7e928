/**
 * The polling trigger's cursor: which DMC events were already handed to n8n, and when DMC
 * was last asked. Pure and n8n-free; the trigger keeps it in the node's static data.
 *
 * An event (a reply, a report that became final) has a key and an instant, DMC's timestamp.
 * The cursor keeps:
 * - a watermark: the latest event instant seen (never ahead of the poll's own clock). On the
 *   first poll it is "now", so the trigger starts from now instead of flooding with history;
 * - the keys of the events seen in the OVERLAP_MS before the watermark.
 * Each poll asks DMC again from `watermark - OVERLAP_MS`. An event DMC records a little late,
 * or stamps with a clock a little behind n8n's, is still found; if it was already emitted, its
 * key keeps it from being emitted twice. That includes events sharing the watermark's own
 * instant, the classic duplicate (or gap) of a bare "since the last timestamp" cursor.
 */

/** How far before the watermark each poll looks again. */
export const OVERLAP_MS = 5 * 60_000;

/** SFR: delivery reports may be queried at most once a minute. */
export const MIN_QUERY_INTERVAL_MS = 60_000;

/**
 * A poll this early (n8n's scheduler fires "every minute" at a fixed second, with some
 * jitter) waits for the minute to be up rather than skipping a whole minute.
 */
export const EARLY_POLL_TOLERANCE_MS = 5_000;

const CURSOR_VERSION = 1;

export interface CursorEvent<T> {
	/** Identifies the event: the same event seen by two polls has the same key. */
	key: string;
	/** DMC's timestamp of the event, in ms. */
	time: number;
	value: T;
}

export interface PollCursor {
	version: typeof CURSOR_VERSION;
	/** The trigger event the cursor follows; another event starts afresh. */
	event: string;
	watermark: number;
	/** Key → instant of the events seen at or after `watermark - OVERLAP_MS`. */
	seen: Record<string, number>;
	/** When the last successful poll queried DMC (the poll's clock, ms). */
	lastQueryAt: number;
	/** What an event kind keeps from one poll to the next besides the events seen (plain JSON; the campaign rotation). */
	state?: unknown;
}

/** A fresh cursor: nothing seen, starting from `now`. */
export function startCursor(event: string, now: number): PollCursor {
	return { version: CURSOR_VERSION, event, watermark: now, seen: {}, lastQueryAt: now };
}

/**
 * The cursor stored for `event`, as plain data (static data comes back as n8n's observable
 * proxies), or undefined when there is none, it follows another event, or it is unreadable:
 * the trigger then starts afresh from now.
 */
export function readCursor(stored: unknown, event: string): PollCursor | undefined {
	if (typeof stored !== 'object' || stored === null) return undefined;
	const candidate = stored as Partial<Record<keyof PollCursor, unknown>>;
	if (candidate.version !== CURSOR_VERSION || candidate.event !== event) return undefined;
	if (!isInstant(candidate.watermark) || !isInstant(candidate.lastQueryAt)) return undefined;
	if (typeof candidate.seen !== 'object' || candidate.seen === null || Array.isArray(candidate.seen)) return undefined;
	const seen: Record<string, number> = {};
	for (const [key, time] of Object.entries(candidate.seen as Record<string, unknown>)) {
		if (!isInstant(time)) return undefined;
		seen[key] = time;
	}
	const cursor: PollCursor = { version: CURSOR_VERSION, event, watermark: candidate.watermark, seen, lastQueryAt: candidate.lastQueryAt };
	if (candidate.state !== undefined) cursor.state = JSON.parse(JSON.stringify(candidate.state)) as unknown;
	return cursor;
}

function isInstant(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value);
}

/** Where the next DMC query starts (ms). */
export function queryFrom(cursor: PollCursor): number {
	return cursor.watermark - OVERLAP_MS;
}

/**
 * Takes the events a poll found (any order, duplicates allowed) and returns those not seen
 * before, oldest first, with the cursor that remembers them (and the kind's `state`, when
 * the poll gives one). Events older than the query window are ignored: they were handled,
 * or deliberately skipped, by earlier polls. `deferred` events (found, but left for the
 * next poll) are not remembered, and the watermark stays at or before the oldest of them,
 * so the next poll finds them again.
 */
export function advanceCursor<T>(
	cursor: PollCursor,
	events: ReadonlyArray<CursorEvent<T>>,
	now: number,
	options: { deferred?: ReadonlyArray<CursorEvent<unknown>>; state?: unknown } = {},
): { fresh: Array<CursorEvent<T>>; next: PollCursor } {
	const { deferred = [], state = cursor.state } = options;
	const floor = queryFrom(cursor);
	const inWindow = events.filter((event) => event.time >= floor);
	const fresh = new Map<string, CursorEvent<T>>();
	for (const event of inWindow) {
		if (!(event.key in cursor.seen) && !fresh.has(event.key)) fresh.set(event.key, event);
	}
	const left = new Set(deferred.map((event) => event.key));
	const handled = inWindow.filter((event) => !left.has(event.key));
	const latest = handled.reduce((max, event) => Math.max(max, event.time), -Infinity);
	const oldestLeft = deferred.reduce((min, event) => Math.min(min, event.time), Infinity);
	const watermark = Math.max(cursor.watermark, Math.min(latest, now, oldestLeft));
	const seen: Record<string, number> = {};
	for (const [key, time] of Object.entries(cursor.seen)) seen[key] = time;
	for (const event of handled) seen[event.key] = Math.max(seen[event.key] ?? -Infinity, event.time);
	for (const [key, time] of Object.entries(seen)) {
		if (time < watermark - OVERLAP_MS) delete seen[key];
	}
	return {
		fresh: [...fresh.values()].sort((a, b) => a.time - b.time || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
		next: { version: CURSOR_VERSION, event: cursor.event, watermark, seen, lastQueryAt: now, ...(state !== undefined && { state }) },
	};
}

export type QueryDecision = { kind: 'query' } | { kind: 'wait'; ms: number } | { kind: 'skip'; remainingMs: number };

/**
 * Whether a poll may query DMC, given when the last successful poll did: at most once a
 * minute. A poll up to EARLY_POLL_TOLERANCE_MS early waits; an earlier one is skipped. A
 * last query more than a minute in the future means the clock was set back: query.
 */
export function decideQuery(lastQueryAt: number | undefined, now: number): QueryDecision {
	if (lastQueryAt === undefined) return { kind: 'query' };
	const elapsed = now - lastQueryAt;
	if (elapsed >= MIN_QUERY_INTERVAL_MS || elapsed < -MIN_QUERY_INTERVAL_MS) return { kind: 'query' };
	const remainingMs = MIN_QUERY_INTERVAL_MS - elapsed;
	if (remainingMs <= EARLY_POLL_TOLERANCE_MS) return { kind: 'wait', ms: remainingMs };
	return { kind: 'skip', remainingMs };
}
