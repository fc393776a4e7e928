/**
 * How many SMS parts DMC billed for a message, read from its report.
 *
 * `callDetailCode` is language-independent, so it wins: the vendor guide's example gives it
 * literally as `CRA_PART{1}` (braces included), other answers as `CRA_PART3`. A real 1.5.6
 * `findCraByIds` answer has no `callDetailCode` at all, only the localised `callDetail`
 * ("3 partie(s)" in French, "3 part(s)" in English), which is read next.
 */

const PARTS_CODE = /^CRA_PART(?:\{(\d{1,3})\}|(\d{1,3}))$/;
const PARTS_DETAIL = /^(\d{1,3})\s*(?:partie|part)s?\b/i;

/** The part count of a report record, or null when neither field states one. */
export function partsOf(record: { callDetailCode?: unknown; callDetail?: unknown }): number | null {
	return countFrom(PARTS_CODE, record.callDetailCode) ?? countFrom(PARTS_DETAIL, record.callDetail);
}

function countFrom(pattern: RegExp, value: unknown): number | null {
	if (typeof value !== 'string') return null;
	const match = pattern.exec(value.trim());
	const count = match ? Number(match[1] ?? match[2]) : 0;
	return count >= 1 ? count : null;
}
