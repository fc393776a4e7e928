/**
 * The push events already emitted, for a bounded time, so that one DMC sends twice starts
 * one execution. Pure and n8n-free: the trigger keeps the memory in its static data.
 */

/** Event key → the instant (ms) it was first seen. */
export type SeenEvents = Record<string, number>;

/** How long an event is remembered. */
export const SEEN_FOR_MS = 48 * 60 * 60 * 1000;
/** Most events remembered; the oldest are forgotten first. */
export const MAX_SEEN = 20_000;

/** A stored memory, read defensively: anything unexpected counts as nothing seen. */
export function readSeen(stored: unknown): SeenEvents {
	if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return {};
	const seen: SeenEvents = {};
	for (const [key, at] of Object.entries(stored)) if (typeof at === 'number' && Number.isFinite(at)) seen[key] = at;
	return seen;
}

/**
 * Splits keys into those not seen within `SEEN_FOR_MS` (in order, each once) and returns the
 * memory with them added, expired entries dropped and at most `MAX_SEEN` kept. An entry
 * stamped after `now` is kept: a simultaneous copy may have read the clock later, or the
 * clock may have stepped back, and forgetting it would let the copy pass.
 */
export function rememberFresh(seen: SeenEvents, keys: readonly string[], now: number): { fresh: Set<string>; next: SeenEvents } {
	const kept = Object.entries(seen).filter(([, at]) => at > now - SEEN_FOR_MS);
	const known = new Set(kept.map(([key]) => key));
	const fresh = new Set<string>();
	for (const key of keys) {
		if (known.has(key)) continue;
		known.add(key);
		fresh.add(key);
		kept.push([key, now]);
	}
	kept.sort((a, b) => a[1] - b[1]);
	return { fresh, next: Object.fromEntries(kept.slice(-MAX_SEEN)) };
}
