/**
 * When to look for the messages of a call in doubt. DMC may list a message a little after
 * taking it, so a first look-up that misses is tried again after growing pauses, all within
 * a time the user chose: a look-up costs a report call, and DMC asks for report calls to be
 * rare (about once a minute), so they stay few.
 */

/** Most look-ups for one call in doubt, the first one included. */
export const MAX_LOOKUPS = 6;
/** The first pause; each next one doubles. */
const FIRST_PAUSE_MS = 1000;

/**
 * The pauses before the second, third… look-up, adding up to at most `budgetMs`. The first
 * look-up is immediate. A budget of 0 means a single look-up; a budget shorter than the
 * first pause gives one pause of the whole budget.
 */
export function lookupPauses(budgetMs: number): number[] {
	const pauses: number[] = [];
	let left = Number.isFinite(budgetMs) && budgetMs > 0 ? Math.floor(budgetMs) : 0;
	let next = FIRST_PAUSE_MS;
	while (left > 0 && pauses.length < MAX_LOOKUPS - 1) {
		const pause = Math.min(next, left);
		pauses.push(pause);
		left -= pause;
		next *= 2;
	}
	return pauses;
}
