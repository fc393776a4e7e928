import { InputError } from '../../nodes/SfrDmc/domain/inputError';
import { countSmsParts, prepareSmsText, withStopNotice } from '../../nodes/SfrDmc/domain/smsText';

describe('countSmsParts: GSM-7 through the standard media', () => {
	it.each([
		['a', 1, 1, 'SMS'],
		['a'.repeat(160), 160, 1, 'SMS'],
		['a'.repeat(161), 161, 2, 'SMSLong'],
		['a'.repeat(306), 306, 2, 'SMSLong'],
		['a'.repeat(307), 307, 3, 'SMSLong'],
		['a'.repeat(153 * 8), 1224, 8, 'SMSLong'],
		['Votre demande n°42 est enregistrée. Mairie de Lyon', 50, 1, 'SMS'],
		['@£$¥èéùìòÇØøÅå_ÆæßÉ¡ÄÖÑÜ§¿äöñüà', 31, 1, 'SMS'],
		['line\nbreak\r\n', 12, 1, 'SMS'],
	])('%j takes %i septets, %i part(s), as %s', (text, units, parts, media) => {
		expect(countSmsParts(text)).toMatchObject({ encoding: 'GSM-7', units, parts, media });
	});

	it('Greek GSM letters are outside ISO-8859-1: auto sends them as Unicode, forced standard as GSM-7', () => {
		expect(countSmsParts('ΔΦΓΛΩΠΨΣΘΞ')).toMatchObject({ encoding: 'UCS-2', units: 10 });
		expect(countSmsParts('ΔΦΓΛΩΠΨΣΘΞ', 'standard')).toMatchObject({ encoding: 'GSM-7', units: 10, media: 'SMS' });
	});

	it.each(['{', '}', '[', ']', '~', '\\', '|', '^'])('extension character %j counts two', (character) => {
		expect(countSmsParts(character).units).toBe(2);
		expect(countSmsParts(character.repeat(80))).toMatchObject({ units: 160, parts: 1, media: 'SMS' });
		expect(countSmsParts(character.repeat(81))).toMatchObject({ units: 162, parts: 2, media: 'SMSLong' });
	});

	it('never splits an extension character across two parts', () => {
		// 152 septets then a two-septet character: it cannot share part one's last septet.
		const text = 'a'.repeat(152) + '{' + 'a'.repeat(10);
		expect(countSmsParts(text)).toMatchObject({ units: 164, parts: 2 });
		const boundary = 'a'.repeat(152) + '{' + 'a'.repeat(152);
		expect(countSmsParts(boundary)).toMatchObject({ units: 306, parts: 3 });
		expect(countSmsParts('a'.repeat(151) + '{' + 'a'.repeat(153))).toMatchObject({ units: 306, parts: 2 });
	});
});

describe('countSmsParts: French letters outside GSM-7 and the euro sign', () => {
	it.each(['â', 'ê', 'î', 'ô', 'û', 'ë', 'ï', 'ç', 'á', 'í', 'ó', 'ú', 'À', 'È', 'Ê', 'Ô', 'œ'.normalize()])('%j', (letter) => {
		const info = countSmsParts(`Rendez-vous fixé : ${letter}`);
		if (letter.charCodeAt(0) <= 0xff) {
			// In ISO-8859-1: standard media, one septet (the network drops what GSM cannot show).
			expect(info).toMatchObject({ encoding: 'GSM-7', media: 'SMS', units: 20 });
		} else {
			expect(info).toMatchObject({ encoding: 'UCS-2', media: 'SMSUnicode' });
		}
	});

	it('a French text with â ê î ô û ç stays in the standard media at 160 a part', () => {
		const text = 'Fête de la tête: rôle, maîtrise, reçu, où, août. '.repeat(3);
		expect(countSmsParts(text)).toMatchObject({ encoding: 'GSM-7', media: 'SMS', units: 147, parts: 1 });
	});

	it('auto sends € as Unicode (it is not in ISO-8859-1), counted one UTF-16 unit', () => {
		expect(countSmsParts('Tarif : 5 €')).toMatchObject({ encoding: 'UCS-2', media: 'SMSUnicode', units: 11, parts: 1 });
	});

	it('forced standard sends € as GSM-7, counted two (it is an extension character)', () => {
		expect(countSmsParts('Tarif : 5 €', 'standard')).toMatchObject({ encoding: 'GSM-7', media: 'SMS', units: 12 });
	});
});

describe('countSmsParts: UCS-2 through the Unicode media', () => {
	it.each([
		['Привет', 6, 1, 'SMSUnicode'],
		['я'.repeat(70), 70, 1, 'SMSUnicode'],
		['я'.repeat(71), 71, 2, 'SMSUnicodeLong'],
		['я'.repeat(134), 134, 2, 'SMSUnicodeLong'],
		['я'.repeat(135), 135, 3, 'SMSUnicodeLong'],
		['Merci ’', 7, 1, 'SMSUnicode'],
	])('%j takes %i units, %i part(s), as %s', (text, units, parts, media) => {
		expect(countSmsParts(text)).toMatchObject({ encoding: 'UCS-2', units, parts, media });
	});

	it('an emoji counts two UTF-16 units but one character', () => {
		expect(countSmsParts('👍')).toMatchObject({ units: 2, characters: 1, encoding: 'UCS-2' });
		expect(countSmsParts('👍'.repeat(35))).toMatchObject({ units: 70, parts: 1 });
		expect(countSmsParts('👍'.repeat(36))).toMatchObject({ units: 72, parts: 2 });
	});

	it('never splits a surrogate pair across parts', () => {
		expect(countSmsParts('a'.repeat(66) + '👍' + 'a'.repeat(10))).toMatchObject({ units: 78, parts: 2 });
		expect(countSmsParts('a'.repeat(66) + '👍' + 'a'.repeat(66))).toMatchObject({ units: 134, parts: 3 });
	});

	it('forced Unicode uses the Unicode media even for plain text', () => {
		expect(countSmsParts('Bonjour', 'unicode')).toMatchObject({ media: 'SMSUnicode', units: 7 });
	});

	it('forced standard refuses characters it cannot carry, naming them', () => {
		expect(() => countSmsParts('Merci 👍 ’', 'standard')).toThrow(/cannot carry "👍" "’"/);
	});
});

describe('prepareSmsText', () => {
	it.each([[''], ['   '], ['\n\t']])('refuses the empty text %j', (text) => {
		expect(() => prepareSmsText(text, 'auto')).toThrow(InputError);
		expect(() => prepareSmsText(text, 'auto')).toThrow(/empty/);
	});

	it.each([[undefined], [null]])('reads %p (an expression over a missing field) as an empty text', (value) => {
		expect(() => prepareSmsText(value, 'auto')).toThrow('The message is empty');
	});

	it.each([[42], [{ text: 'hi' }], [['hi']]])('refuses %p as a text', (value) => {
		expect(() => prepareSmsText(value, 'auto')).toThrow(/The message must be text/);
	});

	it('refuses texts over the maximum number of parts, saying both', () => {
		expect(prepareSmsText('a'.repeat(153 * 8), 'auto').parts).toBe(8);
		expect(() => prepareSmsText('a'.repeat(153 * 8 + 1), 'auto')).toThrow(/takes 9 SMS parts .* the maximum is 8/);
		expect(() => prepareSmsText('a'.repeat(161), 'auto', 1)).toThrow(/takes 2 SMS parts .* the maximum is 1/);
		expect(() => prepareSmsText('a'.repeat(100_000), 'auto')).toThrow(/takes 654 SMS parts/);
	});
});

describe('the STOP mention and the short-code placeholder', () => {
	it('appends "STOP au <#shortcode#>" on a new line, once', () => {
		expect(withStopNotice('Soldes au marché')).toBe('Soldes au marché\nSTOP au <#shortcode#>');
		expect(withStopNotice('Soldes au marché \n\n')).toBe('Soldes au marché\nSTOP au <#shortcode#>');
		expect(withStopNotice('Soldes\nStop au <#shortcode#>')).toBe('Soldes\nStop au <#shortcode#>');
	});

	it('counts the placeholder as the 5 digits the phone receives, in parts and characters', () => {
		// 145 + a new line + "STOP au " (8) + 5 digits = 159: one SMS, not the 167 units written.
		const text = withStopNotice('a'.repeat(145));
		expect(text).toHaveLength(167);
		expect(prepareSmsText(text, 'auto')).toMatchObject({ media: 'SMS', parts: 1, characters: 159, units: 159 });
		// Two characters more: 161 units, two parts.
		expect(prepareSmsText(withStopNotice('a'.repeat(147)), 'auto')).toMatchObject({ media: 'SMSLong', parts: 2, characters: 161 });
	});

	it('counts a placeholder the user typed the same way, in Unicode too', () => {
		expect(prepareSmsText(`${'é€'.repeat(28)} STOP au <#shortcode#>`, 'auto')).toMatchObject({
			media: 'SMSUnicode',
			parts: 1,
			characters: 70,
		});
	});
});
