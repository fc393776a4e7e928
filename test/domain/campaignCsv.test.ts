import fc from 'fast-check';

import {
	contactFileText,
	contactLine,
	CSV_HEADER,
	decodeLatin9,
	dialledForm,
	encodeLatin9,
	parseContactFile,
	writtenValue,
	type CampaignContact,
} from '../../nodes/SfrDmc/domain/campaignCsv';
import { InputError } from '../../nodes/SfrDmc/domain/inputError';
import { normalizePhoneNumber } from '../../nodes/SfrDmc/domain/recipients';

const FR = { defaultCountry: 'FR' as const };

function fileOf(contacts: CampaignContact[]): { text: string; written: CampaignContact[] } {
	const lines = contacts.map((contact) => contactLine(contact));
	return { text: contactFileText(lines.map((l) => l.line)), written: lines.map((l) => l.written) };
}

describe('contact file', () => {
	it('writes the guide header and the number as dialled with its country code', () => {
		const to = normalizePhoneNumber('06 12 34 56 78', FR);
		const { text } = fileOf([{ to, lastName: 'Durand', firstName: 'Paul', reference: 'r-1', info1: 'Lyon' }]);
		expect(text).toBe(`${CSV_HEADER}\r\nDurand;Paul;0612345678;33;r-1;Lyon;;;\r\n`);
		expect(CSV_HEADER).toBe('NAME;FORENAME;PHONENUMBER1;COUNTRYCODE1;EXTERNALREFERENCE;INFO1;INFO2;INFO3;INFO4');
	});

	it('writes an overseas number with its own country code', () => {
		expect(dialledForm(normalizePhoneNumber('0690 00 11 22', FR))).toEqual({ number: '0690001122', countryCode: '590' });
	});

	it('never lets a value make a second contact or shift a column', () => {
		const to = normalizePhoneNumber('0612345678', FR);
		const hostile = 'Dupont;0611111111\r\nX;Y;0622222222;33';
		const { text, written } = fileOf([{ to, lastName: hostile, firstName: '"Léa"', info2: 'a\u2028b' }]);
		const parsed = parseContactFile(decodeLatin9(encodeLatin9(text)));
		expect(parsed).toHaveLength(1);
		expect(parsed[0].to).toBe('+33612345678');
		expect(parsed[0]).toEqual(written[0]);
		expect(parsed[0].lastName).toBe('Dupont,0611111111  X,Y,0622222222,33');
		expect(parsed[0].firstName).toBe("'Léa'");
		expect(text).not.toContain('0611111111;');
	});

	it('does not let a character that decomposes to a separator through (U+037E is a Greek ";")', () => {
		expect(writtenValue('a\u037eb')).toEqual({ value: 'a?b', changes: ['"\u037e" became "?" (not in ISO-8859-15)'] });
	});

	it('says what it changed', () => {
		const to = normalizePhoneNumber('0612345678', FR);
		const line = contactLine({ to, lastName: 'A;B', firstName: 'Łukasz 😀', info1: 'ő' });
		expect(line.changes).toEqual([
			'lastName: ";" became ","',
			'firstName: "Ł" became "?" (not in ISO-8859-15)',
			'firstName: "😀" became "?" (not in ISO-8859-15)',
			'info1: "ő" became "o" (not in ISO-8859-15)',
		]);
		expect(line.written).toEqual({ to, lastName: 'A,B', firstName: '?ukasz ?', info1: 'o' });
	});

	it('keeps the ISO-8859-15 letters French names use, € and œ included', () => {
		expect(writtenValue('Cœur Éloïse €')).toEqual({ value: 'Cœur Éloïse €', changes: [] });
		expect([...encodeLatin9('œ€')]).toEqual([0xbd, 0xa4]);
		expect(writtenValue('¤')).toEqual({ value: '?', changes: ['"¤" became "?" (not in ISO-8859-15)'] });
	});

	it('refuses a value too long for its column instead of cutting it', () => {
		const to = normalizePhoneNumber('0612345678', FR);
		expect(() => contactLine({ to, info2: 'x'.repeat(256) })).toThrow(
			new InputError('info2 has 256 characters; a contact file takes at most 255'),
		);
		expect(contactLine({ to, info1: 'x'.repeat(4000) }).written.info1).toHaveLength(4000);
	});

	it('reading refuses a line that does not have every column', () => {
		expect(() => parseContactFile(`${CSV_HEADER}\r\nA;B;0612345678;33\r\n`)).toThrow('Line 2 has 4 values, not 9');
	});
});

describe('contact file round trip (property, 10,000 cases)', () => {
	const numbers = [
		'0612345678',
		'+33 7 81 23 45 67',
		'0690 00 11 22',
		'0692 12 34 56',
		'+44 7911 123456',
		'+49 151 23456789',
		'+1 202 555 0143',
		'+32 470 12 34 56',
	].map((n) => normalizePhoneNumber(n, FR));
	const text = fc.oneof(
		fc.string({ maxLength: 40 }),
		fc.string({ unit: 'grapheme', maxLength: 40 }),
		fc.string({ unit: 'binary', maxLength: 40 }),
		fc.constantFrom(';', '"', '\r\n', '\n', ';0611111111', '""', '";"', 'Dupont;0611111111'),
	);
	const contact = fc.record(
		{
			to: fc.constantFrom(...numbers),
			lastName: text,
			firstName: text,
			reference: text,
			info1: text,
			info2: text,
			info3: text,
			info4: text,
		},
		{ requiredKeys: ['to'] },
	);

	it('gives back one contact per contact, with its number, and the values as written', () => {
		fc.assert(
			fc.property(fc.array(contact, { maxLength: 5 }), (contacts) => {
				const { text: file, written } = fileOf(contacts);
				const parsed = parseContactFile(decodeLatin9(encodeLatin9(file)));
				expect(parsed).toEqual(written);
				expect(parsed.map((c) => c.to)).toEqual(contacts.map((c) => c.to));
			}),
			{ numRuns: 10_000 },
		);
	});

	it('changes nothing in a value that has no separator, quote, control or non-encodable character', () => {
		const plain = fc.string({ unit: fc.constantFrom(..."abcXYZ 019éèàçœ€-_,.'/()&"), maxLength: 40 }).map((s) => s.trim());
		fc.assert(
			fc.property(fc.constantFrom(...numbers), plain, plain, (to, lastName, info1) => {
				const contacts = [{ to, ...(lastName && { lastName }), ...(info1 && { info1 }) }];
				const { text: file } = fileOf(contacts);
				expect(parseContactFile(decodeLatin9(encodeLatin9(file)))).toEqual(contacts);
			}),
			{ numRuns: 10_000 },
		);
	});
});
