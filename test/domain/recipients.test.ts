import {
	MAX_RECIPIENTS_PER_ITEM,
	normalizePhoneNumber,
	normalizeRecipients,
	numberRules,
	splitRecipientList,
} from '../../nodes/SfrDmc/domain/recipients';
import { InputError } from '../../nodes/SfrDmc/domain/inputError';

const FR = { defaultCountry: 'FR' as const };

describe('normalizePhoneNumber: accepted numbers become E.164', () => {
	const accepted: Array<[string, string, string?]> = [
		// Metropolitan mobiles, in every way people write them
		['0612345678', '+33612345678'],
		['06 12 34 56 78', '+33612345678'],
		['06.12.34.56.78', '+33612345678'],
		['06-12-34-56-78', '+33612345678'],
		['06/12/34/56/78', '+33612345678'],
		['(06) 12 34 56 78', '+33612345678'],
		['  0612345678  ', '+33612345678'],
		['\t06 12\u00a034 56 78', '+33612345678'],
		['0756123456', '+33756123456'],
		['07 81 23 45 67', '+33781234567'],
		['+33612345678', '+33612345678'],
		['+33 6 12 34 56 78', '+33612345678'],
		['+33 (0)6 12 34 56 78', '+33612345678'],
		['+330612345678', '+33612345678'],
		['0033612345678', '+33612345678'],
		['00 33 6 12 34 56 78', '+33612345678'],
		['0033 (0)6 12 34 56 78', '+33612345678'],
		// Overseas written nationally resolve to their own country code
		['0690 00 11 22', '+590690001122'],
		['0690001122', '+590690001122'],
		['0692 12 34 56', '+262692123456'],
		['0693 12 34 56', '+262693123456'],
		['0696 11 22 33', '+596696112233'],
		['0697 12 34 56', '+596697123456'],
		['0694 20 12 34', '+594694201234'],
		['0639 01 23 45', '+262639012345'],
		['0691 28 12 34', '+590691281234'],
		// Overseas written internationally
		['+590 690 30 12 34', '+590690301234'],
		['+596 696 12 34 56', '+596696123456'],
		['+594 694 12 34 56', '+594694123456'],
		['+262 692 12 34 56', '+262692123456'],
		['+262 639 01 23 45', '+262639012345'],
		['00590690001122', '+590690001122'],
		['+508 55 12 34', '+508551234'],
		['0551234', '+508551234', 'PM'],
		['+687 75 12 34', '+687751234'],
		['+689 87 12 34 56', '+68987123456'],
		// Foreign numbers
		['+32 470 12 34 56', '+32470123456'],
		['+41 79 123 45 67', '+41791234567'],
		['+49 170 1234567', '+491701234567'],
		['0049 170 1234567', '+491701234567'],
		['+34 612 34 56 78', '+34612345678'],
		['+1 (415) 555-2671', '+14155552671'],
		['+212 6 12 34 56 78', '+212612345678'],
		['+225 07 01 02 03 04', '+2250701020304'],
		['+44 7911 123456', '+447911123456'],
		// National numbers read in another default country
		['0470 12 34 56', '+32470123456', 'BE'],
		['0612345678', '+33612345678', 'GP'],
		['0692123456', '+262692123456', 'RE'],
	];
	it.each(accepted.map(([input, expected, country]) => [input, expected, country ?? 'FR']))(
		'%j → %s (default country %s)',
		(input, expected, country) => {
			expect(normalizePhoneNumber(input, { defaultCountry: country as 'FR' })).toBe(expected);
		},
	);

	it('has at least 40 real-world inputs', () => {
		expect(accepted.length).toBeGreaterThanOrEqual(40);
	});
});

describe('normalizePhoneNumber: refused numbers name the value and the reason', () => {
	const refused: Array<[string, RegExp]> = [
		['0899123456', /"0899123456" is a premium-rate number/],
		['08 99 12 34 56', /premium-rate/],
		['0800123456', /toll-free/],
		['0820123456', /shared-cost/],
		['0123456789', /"0123456789" is a fixed line/],
		['0590 12 34 56', /"0590 12 34 56" is a fixed line/],
		['0975123456', /VoIP/],
		['0612345', /"0612345" is not a valid phone number/],
		['0590 12 34 56 78', /not a valid phone number/],
		['06 12 34', /not a valid phone number/],
		['+33 6 12 34 56 78 90', /not a valid phone number/],
		['3660', /not a valid phone number/],
		['112', /not a valid phone number/],
		['+999 123456789', /not a valid phone number/],
		['0612345678x', /not a phone number: only digits/],
		['06 12 34 56 78 ext 12', /not a phone number/],
		['tel:0612345678', /not a phone number/],
		['+', /not a phone number/],
		['++33612345678', /not a phone number/],
		['06#12345678', /not a phone number/],
		['0'.repeat(60), /too long to be a phone number/],
	];
	it.each(refused)('%j is refused', (input, reason) => {
		expect(() => normalizePhoneNumber(input, FR)).toThrow(InputError);
		expect(() => normalizePhoneNumber(input, FR)).toThrow(reason);
	});

	it('refuses a number outside the allowed countries, naming its country', () => {
		expect(() => normalizePhoneNumber('+32 470 12 34 56', { defaultCountry: 'FR', allowedCountries: ['FR', 'GP'] })).toThrow(
			/"\+32 470 12 34 56" is a BE number; allowed countries: FR, GP/,
		);
		expect(normalizePhoneNumber('0690001122', { defaultCountry: 'FR', allowedCountries: ['FR', 'GP'] })).toBe('+590690001122');
	});

	it('never lets a 00 prefix through', () => {
		for (const input of ['0033612345678', '00 590 690 00 11 22', '0041791234567']) {
			const e164 = normalizePhoneNumber(input, FR);
			expect(e164.startsWith('+')).toBe(true);
			expect(e164).not.toMatch(/^\+?00/);
		}
	});
});

describe('splitRecipientList', () => {
	it('splits text on commas, semicolons and new lines, and drops empty entries', () => {
		expect(splitRecipientList('0612345678, 0712345678;+33 6 00 00 00 00\n0690001122\r\n,;;')).toEqual([
			'0612345678',
			'0712345678',
			'+33 6 00 00 00 00',
			'0690001122',
		]);
	});

	it('takes each element of an array as one recipient, separators included', () => {
		expect(splitRecipientList(['06 12 34 56 78', ' +33712345678 '])).toEqual(['06 12 34 56 78', '+33712345678']);
	});

	it.each([
		[612345678, /not the number 612345678|the number 612345678/],
		[{ phone: '0612345678' }, /not an object/],
		[true, /not a boolean/],
	])('refuses %p as a recipient list', (value, message) => {
		expect(() => splitRecipientList(value)).toThrow(InputError);
		expect(() => splitRecipientList(value)).toThrow(message);
	});

	it('reads null and undefined (an expression over a missing field) as no recipient', () => {
		expect(splitRecipientList(null)).toEqual([]);
		expect(splitRecipientList(undefined)).toEqual([]);
		expect(() => normalizeRecipients(undefined, FR)).toThrow('No recipient: the "To" field is empty');
	});

	it('refuses a list holding something other than text, naming its position', () => {
		expect(() => splitRecipientList(['0612345678', 33612345678])).toThrow(/Recipient 2 of the list is the number 33612345678/);
		expect(() => splitRecipientList([['0612345678']])).toThrow(/Recipient 1 of the list is a list/);
		expect(() => splitRecipientList(['0612345678', undefined])).toThrow(/Recipient 2 of the list is nothing/);
	});

	it('copes with 10,000 separators', () => {
		expect(splitRecipientList(`${','.repeat(10_000)}0612345678`)).toEqual(['0612345678']);
	});
});

describe('normalizeRecipients', () => {
	it('sends the same number once, however it is written, keeping the first spelling', () => {
		const recipients = normalizeRecipients('06 12 34 56 78, +33612345678; 0033 6 12 34 56 78\n0612345678, 0781234567', FR);
		expect(recipients).toEqual([
			{ input: '06 12 34 56 78', to: '+33612345678' },
			{ input: '0781234567', to: '+33781234567' },
		]);
	});

	it('refuses the whole list when one number is bad', () => {
		expect(() => normalizeRecipients('0612345678, 0899123456', FR)).toThrow(/"0899123456" is a premium-rate number/);
	});

	it('refuses an empty list', () => {
		expect(() => normalizeRecipients(' , ; ', FR)).toThrow(/No recipient/);
		expect(() => normalizeRecipients([], FR)).toThrow(/No recipient/);
	});

	const numbers = (count: number) =>
		Array.from({ length: count }, (_, n) => `06 12 34 ${String(Math.floor(n / 100)).padStart(2, '0')} ${String(n % 100).padStart(2, '0')}`);

	it(`accepts exactly ${MAX_RECIPIENTS_PER_ITEM} distinct recipients`, () => {
		expect(normalizeRecipients(numbers(20), FR)).toHaveLength(20);
	});

	it('refuses 21 distinct recipients, saying 20 and the count', () => {
		expect(() => normalizeRecipients(numbers(21), FR)).toThrow(/21 distinct recipients in one item; at most 20/);
	});

	it('counts distinct numbers: 25 entries that are 20 numbers pass', () => {
		const entries = [...numbers(20), ...numbers(5).map((n) => n.replace(/^0/, '+33'))];
		expect(entries).toHaveLength(25);
		expect(normalizeRecipients(entries, FR)).toHaveLength(20);
	});
});

describe('normalizePhoneNumber under the call policy (voice messages)', () => {
	const CALL = { defaultCountry: 'FR' as const, policy: 'call' as const };
	it.each([
		['01 23 45 67 89', '+33123456789'],
		['0590 12 34 56', '+590590123456'],
		['06.12.34.56.22', '+33612345622'],
		['0975123456', '+33975123456'],
		['+44 20 7946 0958', '+442079460958'],
	])('%j, which can take a call, becomes %s', (input, expected) => {
		expect(normalizePhoneNumber(input, CALL)).toBe(expected);
	});

	it.each([
		['0899123456', /"0899123456" is a premium-rate number: it cannot take a voice message/],
		['0820123456', /"0820123456" is a shared-cost number: it cannot take a voice message/],
		['0800123456', /toll-free number: it cannot take a voice message/],
		['3660', /not a valid phone number/],
		['0612345', /not a valid phone number/],
	])('%j is refused: %s', (input, reason) => {
		expect(() => normalizePhoneNumber(input, CALL)).toThrow(InputError);
		expect(() => normalizePhoneNumber(input, CALL)).toThrow(reason);
	});

	it('still applies the allowed countries', () => {
		expect(() => normalizePhoneNumber('+32 470 12 34 56', { ...CALL, allowedCountries: ['FR'] })).toThrow(
			/is a BE number; allowed countries: FR/,
		);
	});

	it('still refuses a landline under the SMS policy, the default', () => {
		expect(() => normalizePhoneNumber('01 23 45 67 89', FR)).toThrow('"01 23 45 67 89" is a fixed line: it cannot receive SMS');
	});
});

describe('numberRules', () => {
	it('reads the country options in any case and separator', () => {
		expect(numberRules(' gp ', 'fr, GP;re  yt')).toEqual({
			defaultCountry: 'GP',
			allowedCountries: ['FR', 'GP', 'RE', 'YT'],
			policy: 'sms',
		});
		expect(numberRules()).toEqual({ defaultCountry: 'FR', allowedCountries: [], policy: 'sms' });
		expect(numberRules('FR', '', 'call')).toEqual({ defaultCountry: 'FR', allowedCountries: [], policy: 'call' });
	});

	it('refuses unknown codes, naming them', () => {
		expect(() => numberRules('XX')).toThrow('"XX" is not a supported ISO country code for Default Country');
		expect(() => numberRules('FR', 'FR, France')).toThrow('"FRANCE" in Allowed Countries is not a supported ISO country code');
	});
});
