/**
 * A campaign contact's number: its E.164 form for the node, and the form the contact file
 * writes (the number as dialled in its country, and its country calling code).
 *
 * Most contacts of a French campaign are French mobiles written in full (06 12 34 56 78,
 * +33 6 12 34 56 78, 0033 6…). For them libphonenumber's parse, about 8 µs a number and
 * most of a 50,000-contact campaign's CPU, is spared: with France as the default country
 * (or a +33 number) and a national number libphonenumber's French metadata types as
 * MOBILE, its parse gives +33 and the nine digits, and every policy accepts a mobile. The
 * prefixes below are that metadata's; test/domain/contactNumbers.test.ts compares this
 * path with the full one on 10,000 numbers, so a metadata update that moves them fails the
 * tests, not a campaign. Every other number takes the full path, refusals included.
 */
import { dialledForm } from './campaignCsv';
import { compactNumber, normalizedPhone, type NormalizeOptions } from './recipients';

/** libphonenumber's MOBILE pattern of France's national numbers (nine digits). */
const FRENCH_MOBILE = /^(?:6(?:[0-24-8]\d|3[0-8]|9[589])|7[3-9]\d)\d{6}$/;

export interface ContactNumber {
	/** E.164 with a leading `+`. */
	to: string;
	dialled: { number: string; countryCode: string };
}

export function contactNumber(input: string, rules: NormalizeOptions): ContactNumber {
	const french = frenchMobile(compactNumber(input).compact, rules);
	if (french !== undefined) return { to: `+33${french}`, dialled: { number: `0${french}`, countryCode: '33' } };
	const phone = normalizedPhone(input, rules);
	return { to: phone.number, dialled: dialledForm(phone.number, phone) };
}

/** The national number of a French mobile the fast path may take, or undefined. */
function frenchMobile(compact: string, rules: NormalizeOptions): string | undefined {
	const allowed = rules.allowedCountries ?? [];
	if (allowed.length > 0 && !allowed.includes('FR')) return undefined;
	const national =
		compact.length === 10 && compact[0] === '0' && rules.defaultCountry === 'FR'
			? compact.slice(1)
			: compact.length === 12 && compact.startsWith('+33')
				? compact.slice(3)
				: undefined;
	return national !== undefined && FRENCH_MOBILE.test(national) ? national : undefined;
}
