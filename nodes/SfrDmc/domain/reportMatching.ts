import { e164OrRaw, instantOf, textOf } from './deliveryReports';

/**
 * Finding messages again in DMC's reports when the answer that held their ids was lost,
 * or when a re-run must not send a second time.
 *
 * A reference alone does not name a message: the user may set the same reference for
 * every run (`={{ $json.requestId }}`) and for several recipients. So a message is matched
 * on its reference and its recipient, and, for a call in doubt, only among the messages
 * DMC created after the call started.
 */

/** What identifies a message we sent: its `refExt` and its recipient as sent. */
export interface SentMessageKey {
	reference: string;
	to: string;
}

/** A report record reduced to what matching needs. */
export interface ReportEntry {
	id: string;
	reference: string;
	/** E.164 when it reads as a number. */
	to: string;
	/** DMC's creation instant (ms), when it gives one. */
	createdAt: number | undefined;
}

/**
 * How far DMC's clock may lag ours. `creationDate` comes from DMC's clock and the call's
 * start from ours: a message this call created can carry a date slightly before that start
 * when DMC's clock is behind. Records up to this margin older than the start still count.
 * The margin stays small because it is also how old an earlier message with the same
 * reference and recipient may be and still be taken for this call's, which only happens if
 * this call stored nothing while the earlier one had just been sent: a recovery then names
 * the earlier message, which did reach that recipient. Two candidates for one message
 * (both stored) are never guessed between: they leave the message in doubt.
 */
export const CLOCK_SKEW_MARGIN_MS = 2000;

/** The matching key of a message: its reference and its recipient in E.164 when possible. */
function keyOf(reference: string, to: string): string {
	return JSON.stringify([reference, e164OrRaw(to)]);
}

/** The entries of `findCraByIds` records and `getSingleCallCra` entries (the guide's `phoneNumber`, real answers' `to`); records without an id or a reference are skipped. */
export function reportEntries(records: ReadonlyArray<Record<string, unknown>>): ReportEntry[] {
	const entries: ReportEntry[] = [];
	for (const record of records) {
		const id = textOf(record.contactId) ?? textOf(record.messageId);
		const reference = textOf(record.externalReference) ?? textOf(record.refExt);
		const to = textOf(record.callAdress) ?? textOf(record.to) ?? textOf(record.phoneNumber) ?? textOf(record.phoneNumber1);
		if (id === null || reference === null || to === null) continue;
		entries.push({ id, reference, to, createdAt: instantOf(record.creationDate) });
	}
	return entries;
}

/** Oldest first: by creation instant, then by id (DMC's ids grow). */
function byAge(a: ReportEntry, b: ReportEntry): number {
	const time = (a.createdAt ?? 0) - (b.createdAt ?? 0);
	if (time !== 0) return time;
	return a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function groupByKey(entries: readonly ReportEntry[]): Map<string, ReportEntry[]> {
	const groups = new Map<string, ReportEntry[]>();
	for (const entry of entries) {
		const key = keyOf(entry.reference, entry.to);
		const group = groups.get(key) ?? [];
		group.push(entry);
		groups.set(key, group);
	}
	for (const group of groups.values()) group.sort(byAge);
	return groups;
}

/**
 * The ids DMC gave the messages of one call whose answer was lost, in the messages' order;
 * null where a message stays in doubt.
 *
 * Only records created from `callStartedAt - CLOCK_SKEW_MARGIN_MS` on count, and none whose
 * id is in `claimedIds` (ids already known to belong to other messages, e.g. from calls
 * whose answer arrived). Messages sharing a reference and a recipient get the matching
 * records in order when there are exactly as many; any other count leaves them all in
 * doubt, since guessing could report a message that is not ours, or one message twice.
 * A record without a creation date cannot be placed in time and is not used, unless
 * `listedSince` says the records come from a listing DMC already bounded to that instant
 * (`getSingleCallCra` from `callStartedAt - CLOCK_SKEW_MARGIN_MS`, whose entries carry no
 * creation date).
 */
export function matchCallMessages(
	messages: readonly SentMessageKey[],
	records: ReadonlyArray<Record<string, unknown>>,
	callStartedAt: number,
	claimedIds: ReadonlySet<string> = new Set(),
	listedSince = false,
): Array<string | null> {
	const since = callStartedAt - CLOCK_SKEW_MARGIN_MS;
	const inTime = (createdAt: number | undefined) => (createdAt === undefined ? listedSince : createdAt >= since);
	const candidates = groupByKey(reportEntries(records).filter((entry) => inTime(entry.createdAt) && !claimedIds.has(entry.id)));
	const wanted = new Map<string, number>();
	for (const message of messages) {
		const key = keyOf(message.reference, message.to);
		wanted.set(key, (wanted.get(key) ?? 0) + 1);
	}
	const used = new Map<string, number>();
	return messages.map((message) => {
		const key = keyOf(message.reference, message.to);
		const found = candidates.get(key) ?? [];
		if (found.length !== wanted.get(key)) return null;
		const index = used.get(key) ?? 0;
		used.set(key, index + 1);
		return found[index].id;
	});
}

/**
 * For each message, the id of the first message DMC already has with the same reference
 * and recipient (whenever it was sent), or null: what "Skip If Already Sent" skips.
 */
export function alreadySentIds(messages: readonly SentMessageKey[], records: ReadonlyArray<Record<string, unknown>>): Array<string | null> {
	const existing = groupByKey(reportEntries(records));
	return messages.map((message) => existing.get(keyOf(message.reference, message.to))?.[0]?.id ?? null);
}
