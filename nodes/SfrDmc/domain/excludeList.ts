/**
 * The opt-out list of "Exclude Numbers": numbers that must not be sent to, written in any
 * format, normalised as recipients are so that `+33 6 12 34 56 22` excludes `06.12.34.56.22`.
 *
 * A list of past replies may hold anything: an entry that is not a valid phone number is
 * ignored and reported, never fatal. Its numbers are read with the `any` policy and no
 * country filter: whether a number could be sent to does not matter here, only that the
 * same number gives the same E.164 form as a recipient.
 */
import { describeValue } from './inputError';
import { normalizePhoneNumber, splitRecipientList } from './recipients';
import type { CountryCode } from 'libphonenumber-js/max';

export interface ExcludeList {
	/** The excluded numbers, E.164. */
	numbers: ReadonlySet<string>;
	/** Entries that are not phone numbers, as written (a value that is not text, described). */
	ignored: string[];
}

/** Reads the option's value: text separated by commas, semicolons or new lines, or a list. */
export function prepareExcludeList(value: unknown, defaultCountry: CountryCode): ExcludeList {
	const numbers = new Set<string>();
	const ignored: string[] = [];
	for (const entry of entriesOf(value)) {
		if (typeof entry !== 'string') {
			ignored.push(describeValue(entry));
			continue;
		}
		const written = entry.trim();
		if (written === '') continue;
		try {
			numbers.add(normalizePhoneNumber(written, { defaultCountry, policy: 'any' }));
		} catch {
			ignored.push(written);
		}
	}
	return { numbers, ignored };
}

function entriesOf(value: unknown): unknown[] {
	if (value === undefined || value === null || value === '') return [];
	if (Array.isArray(value)) return value;
	if (typeof value === 'string') return splitRecipientList(value);
	return [value];
}

/**
 * Prepared lists of one execution, so that a list is normalised once and not once per item.
 * An expression such as `$('Opt-outs').first().json.numbers` gives every item the same list
 * object, found at once; a fresh copy of the same list, or an equal text, is compared entry
 * by entry (a fraction of a millisecond for 100,000 entries, where normalising them takes
 * about a second). Items are all read before anything is sent, so a list cannot change
 * between two lookups.
 */
export class ExcludeListCache {
	private readonly prepared: Array<{ value: unknown; defaultCountry: CountryCode; list: ExcludeList }> = [];

	get(value: unknown, defaultCountry: CountryCode): ExcludeList {
		const candidates = this.prepared.filter((entry) => entry.defaultCountry === defaultCountry);
		const found = candidates.find((entry) => entry.value === value) ?? candidates.find((entry) => sameEntries(entry.value, value));
		if (found) return found.list;
		const list = prepareExcludeList(value, defaultCountry);
		this.prepared.push({ value, defaultCountry, list });
		return list;
	}
}

function sameEntries(a: unknown, b: unknown): boolean {
	if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}
