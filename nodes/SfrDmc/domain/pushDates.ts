/**
 * The dates of DMC's push reports, as instants. Pure and n8n-free.
 *
 * Seen: `2014-07-11 10:57:09` (no zone: French time), `2016-11-08 13:16:56 CET` and
 * `2019-04-12T13:21:47Z`. n8n-workflow offers no time-zone database to nodes, so French
 * time is computed with the EU summer-time rule (since 1996: from 01:00 UTC on the last
 * Sunday of March to 01:00 UTC on the last Sunday of October, UTC+2; else UTC+1).
 */

const HOUR_MS = 3_600_000;

const DATE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,3})\d*)?)?\s*(Z|UTC|GMT|CET|CEST|[+-]\d{2}:?\d{2})?$/i;

const NAMED_ZONES: Record<string, number> = { Z: 0, UTC: 0, GMT: 0, CET: 1, CEST: 2 };

/** The UTC instant of 01:00 UTC on the last Sunday of a month (0-based), when EU clocks change. */
function clockChange(year: number, month: number): number {
	const lastDay = new Date(Date.UTC(year, month + 1, 0));
	return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

/** Whether French summer time is in force at a UTC instant. */
export function isParisSummerTime(instant: number): boolean {
	const year = new Date(instant).getUTCFullYear();
	return instant >= clockChange(year, 2) && instant < clockChange(year, 9);
}

/**
 * The instant of a French wall-clock time given as if it were UTC. In the October hour that
 * happens twice, the first (summer-time) one; a time skipped in March is read as winter
 * time, i.e. one hour later on the clock, as a clock moved forward would show it.
 */
export function fromParisWallClock(wallClockAsUtc: number): number {
	const summer = wallClockAsUtc - 2 * HOUR_MS;
	return isParisSummerTime(summer) ? summer : wallClockAsUtc - HOUR_MS;
}

function zoneOffsetHours(zone: string): number {
	const named = NAMED_ZONES[zone.toUpperCase()];
	if (named !== undefined) return named;
	const digits = zone.replace(':', '');
	const hours = Number(digits.slice(1, 3)) + Number(digits.slice(3, 5)) / 60;
	return digits.startsWith('-') ? -hours : hours;
}

/**
 * A push date as a millisecond instant, or undefined when it is not a date this reader
 * knows. Also takes a millisecond timestamp (number or digits), as DMC's JSON API uses.
 */
export function parsePushDate(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (/^\d{12,14}$/.test(text)) return Number(text);
	const match = DATE.exec(text);
	if (match === null) return undefined;
	const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0));
	const millis = match[7] === undefined ? 0 : Number(match[7].padEnd(3, '0'));
	const wallClock = Date.UTC(year, month - 1, day, hour, minute, second, millis);
	const check = new Date(wallClock);
	// Date.UTC rolls 31 February over into March: such a date is not a date.
	if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
	const zone = match[8];
	return zone === undefined ? fromParisWallClock(wallClock) : wallClock - zoneOffsetHours(zone) * HOUR_MS;
}
