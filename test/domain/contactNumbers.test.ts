import fc from 'fast-check';

import { dialledForm } from '../../nodes/SfrDmc/domain/campaignCsv';
import { contactNumber } from '../../nodes/SfrDmc/domain/contactNumbers';
import { normalizedPhone, numberRules, type NormalizeOptions } from '../../nodes/SfrDmc/domain/recipients';

/** The full path, libphonenumber's parse for every number: what the fast path must equal. */
function fullPath(input: string, rules: NormalizeOptions) {
	const phone = normalizedPhone(input, rules);
	return { to: phone.number, dialled: dialledForm(phone.number, phone) };
}

function outcome(read: () => unknown): unknown {
	try {
		return { value: read() };
	} catch (error) {
		return { error: (error as Error).message };
	}
}

const digits = (length: number) =>
	fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((d) => d.join(''));

/** Nine national digits, most of them around the French mobile prefixes and their edges (063x, 069x, 070–072, 08, 09). */
const national = fc.oneof(
	fc.tuple(fc.constantFrom('6', '7'), digits(8)).map(([first, rest]) => first + rest),
	fc.tuple(fc.constantFrom('63', '69', '70', '71', '72', '73', '79', '60', '62'), digits(7)).map(([first, rest]) => first + rest),
	digits(9),
	fc.tuple(fc.integer({ min: 0, max: 9 }), digits(8)).map(([first, rest]) => `${first}${rest}`),
);

/** Written as people write them: national or international, with separators, sometimes a digit short or long. */
const written = fc
	.tuple(
		national,
		fc.constantFrom('0', '+33', '0033', '+33 ', '+590', '0', '+32', ''),
		fc.constantFrom('', ' ', '.', '-'),
		fc.constantFrom('', '', '', '1', 'x'),
	)
	.map(([number, prefix, separator, tail]) => `${prefix}${number.match(/.{1,2}/g)?.join(separator) ?? number}${tail}`);

const rules = fc
	.tuple(
		fc.constantFrom('FR', 'FR', 'BE', 'GP', 'RE'),
		fc.constantFrom('', '', 'FR', 'BE', 'FR, GP'),
		fc.constantFrom('sms', 'call', 'any'),
	)
	.map(([country, allowed, policy]) => numberRules(country, allowed, policy as 'sms' | 'call' | 'any'));

describe('contactNumber', () => {
	it('gives exactly what the full normaliser gives (E.164, dialled form, or the same refusal), on 10,000 numbers', () => {
		fc.assert(
			fc.property(written, rules, (input, options) => {
				expect(outcome(() => contactNumber(input, options))).toEqual(outcome(() => fullPath(input, options)));
			}),
			{ numRuns: 10_000 },
		);
	});

	it('takes a French mobile in every written form, and leaves other numbers to the full path', () => {
		const fr = numberRules('FR', '', 'sms');
		for (const input of ['06 12 34 56 78', '+33 6 12 34 56 78', '0033612345678', '06.12.34.56.78'])
			expect(contactNumber(input, fr)).toEqual({ to: '+33612345678', dialled: { number: '0612345678', countryCode: '33' } });
		// Guadeloupe, typed as a French national number: found by the full path's zone search.
		expect(contactNumber('0690 00 11 22', fr)).toEqual({ to: '+590690001122', dialled: { number: '0690001122', countryCode: '590' } });
		expect(() => contactNumber('01 23 45 67 89', fr)).toThrow('"01 23 45 67 89" is a fixed line: it cannot receive SMS');
		expect(() => contactNumber('06 12 34 56 78', numberRules('FR', 'BE', 'sms'))).toThrow('allowed countries: BE');
	});
});
