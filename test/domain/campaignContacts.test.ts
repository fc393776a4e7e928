import { decodeLatin9, parseContactFile } from '../../nodes/SfrDmc/domain/campaignCsv';
import {
	campaignKey,
	contactFile,
	derivedName,
	MAX_CONTACTS_PER_FILE,
	type ContactInput,
} from '../../nodes/SfrDmc/domain/campaignContacts';
import { campaignText, smsFlags } from '../../nodes/SfrDmc/domain/campaignMessage';
import { prepareExcludeList } from '../../nodes/SfrDmc/domain/excludeList';
import { InputError } from '../../nodes/SfrDmc/domain/inputError';
import { numberRules } from '../../nodes/SfrDmc/domain/recipients';

const sms = numberRules('FR', '', 'sms');
const none = prepareExcludeList('', 'FR');
const input = (itemIndex: number, to: unknown, fields: ContactInput['fields'] = {}): ContactInput => ({ itemIndex, to, fields });

describe('contactFile', () => {
	it("normalises numbers by Send's rules and writes one line per item, whatever the values hold", () => {
		const file = contactFile(
			[input(0, '06 12 34 56 78', { lastName: 'Dupont;0611111111', info1: 'a\r\nb' }), input(1, '0690 00 11 22', { firstName: 42 })],
			sms,
			none,
		);
		expect(parseContactFile(decodeLatin9(file.bytes))).toEqual([
			{ to: '+33612345678', lastName: 'Dupont,0611111111', info1: 'a  b' },
			{ to: '+590690001122', firstName: '42' },
		]);
		expect(file.itemIndexes).toEqual([0, 1]);
		expect(file.adjusted).toEqual([
			{ itemIndex: 0, changes: ['lastName: ";" became ","', 'info1: line breaks and control characters became spaces'] },
		]);
	});

	it('refuses, with item and input, what Send refuses, a number twice, a list, a value too long; excludes the opt-outs', () => {
		const file = contactFile(
			[
				input(0, '06 12 34 56 78'),
				input(1, '01 23 45 67 89'),
				input(2, '+33612345678'),
				input(3, '0611111111;0622222222'),
				input(4, ['0633333333']),
				input(5, '0644444444', { info2: 'x'.repeat(256) }),
				input(6, '+1 202 555 0143'),
				input(7, '0655555555'),
			],
			numberRules('FR', 'FR, GP', 'sms'),
			prepareExcludeList('06 55 55 55 55', 'FR'),
		);
		expect(file.contacts.map((c) => c.to)).toEqual(['+33612345678']);
		expect(file.refused.map(({ itemIndex, input: written }) => [itemIndex, written])).toEqual([
			[1, '01 23 45 67 89'],
			[2, '+33612345678'],
			[3, '0611111111;0622222222'],
			[4, 'a list'],
			[5, '0644444444'],
			[6, '+1 202 555 0143'],
		]);
		expect(file.refused.map((r) => r.reason)).toEqual([
			expect.stringMatching(/fixed line/),
			expect.stringMatching(/already the number of item 0/),
			expect.stringMatching(/not a phone number/),
			expect.stringMatching(/must be text/),
			expect.stringMatching(/info2 has 256 characters/),
			expect.stringMatching(/allowed countries: FR, GP/),
		]);
		expect(file.excluded).toEqual([{ itemIndex: 7, input: '0655555555', to: '+33655555555' }]);
	});

	it('lets voice campaigns call fixed lines', () => {
		expect(contactFile([input(0, '01 23 45 67 89')], numberRules('FR', '', 'call'), none).contacts).toEqual([{ to: '+33123456789' }]);
	});

	it(`refuses more than ${MAX_CONTACTS_PER_FILE} contacts, one import file`, () => {
		const inputs = Array.from({ length: MAX_CONTACTS_PER_FILE + 1 }, (_, n) => input(n, `+3361${String(n).padStart(7, '0')}`));
		expect(() => contactFile(inputs, sms, none)).toThrow(
			new InputError('100001 contacts: a campaign takes at most 100,000 (one DMC import file). Split them into several campaigns'),
		);
	});
});

describe('campaign names', () => {
	it('derives the same key from the same content, another from other content, a random one without Skip', () => {
		const bytes = Uint8Array.from([1, 2, 3]);
		expect(campaignKey(true, { a: 1 }, bytes)).toBe(campaignKey(true, { a: 1 }, Uint8Array.from([1, 2, 3])));
		expect(campaignKey(true, { a: 1 }, bytes)).not.toBe(campaignKey(true, { a: 2 }, bytes));
		expect(campaignKey(true, { a: 1 }, bytes)).not.toBe(campaignKey(true, { a: 1 }, Uint8Array.from([1, 2])));
		expect(campaignKey(false, { a: 1 }, bytes)).not.toBe(campaignKey(false, { a: 1 }, bytes));
	});

	it('keeps the key within DMC’s 255 characters', () => {
		const name = derivedName('é'.repeat(300), 'abcdef0123');
		expect(name).toHaveLength(255);
		expect(name.endsWith(' [n8n abcdef0123]')).toBe(true);
		expect(() => derivedName('  ', 'k')).toThrow('The campaign name is empty');
	});
});

describe('campaign text', () => {
	it("writes the placeholders in DMC's form and adds the STOP mention once", () => {
		expect(campaignText('Bonjour {firstName} {lastName}, {info4}. {other}', true)).toEqual({
			text: 'Bonjour <#contact.prenom#> <#contact.nom#>, <#contact.info4#>. {other}\nSTOP au <#shortcode#>',
			fields: ['firstName', 'lastName', 'info4'],
		});
		expect(() => campaignText('  ', false)).toThrow('The message is empty');
		expect(() => campaignText('x'.repeat(4001), false)).toThrow(/at most 4000/);
	});

	it('sets smsLong on the worst contact, and Unicode when a value needs it under Auto', () => {
		const text = campaignText('Bonjour {firstName}, ' + 'x'.repeat(130), false);
		expect(smsFlags(text, [{ to: '+33612345678', firstName: 'Zoé' }], 'auto')).toEqual({ smsLong: false, smsUnicode: false, maxParts: 1 });
		expect(
			smsFlags(
				text,
				[
					{ to: '+33612345678', firstName: 'Zoé' },
					{ to: '+33612345679', firstName: 'x'.repeat(20) },
				],
				'auto',
			).smsLong,
		).toBe(true);
		expect(smsFlags(text, [{ to: '+33612345678', firstName: 'Œ' }], 'auto')).toMatchObject({ smsLong: true, smsUnicode: true });
		expect(smsFlags(campaignText('Bonjour', false), [], 'unicode')).toEqual({ smsLong: false, smsUnicode: true, maxParts: 1 });
	});
});
