import fc from 'fast-check';
import { countSmsParts } from '../../sandbox';

describe('SMS part counting', () => {
	it.each([
		['a'.repeat(160), 'SMS', 1],
		['a'.repeat(161), 'SMSLong', 2],
		['a'.repeat(306), 'SMSLong', 2],
		['a'.repeat(307), 'SMSLong', 3],
		['€'.repeat(80), 'SMS', 1],
		['{}[]~\\|^€', 'SMS', 1],
		['é'.repeat(70), 'SMSUnicode', 1],
		['é'.repeat(71), 'SMSUnicodeLong', 2],
		['é'.repeat(134), 'SMSUnicodeLong', 2],
		['é'.repeat(135), 'SMSUnicodeLong', 3],
		['😀'.repeat(35), 'SMSUnicode', 1],
		['😀'.repeat(36), 'SMSUnicodeLong', 2],
	] as const)('%#: %s as %s takes %i part(s)', (text, media, parts) => {
		expect(countSmsParts(text, media).parts).toBe(parts);
	});

	it('counts GSM units with extension characters as 2', () => {
		expect(countSmsParts('a€{', 'SMS')).toMatchObject({ encoding: 'GSM', units: 5, encodable: true });
	});

	it('counts UCS-2 in UTF-16 code units', () => {
		expect(countSmsParts('a😀', 'SMSUnicode')).toMatchObject({ encoding: 'UCS-2', units: 3 });
	});

	it('never splits an escape sequence across two parts', () => {
		// 152 plain characters then '€' (2 units): the escape cannot straddle parts 1 and 2.
		const text = `${'a'.repeat(152)}€${'a'.repeat(10)}`;
		expect(countSmsParts(text, 'SMSLong')).toMatchObject({ units: 164, parts: 2 });
		const exact = `${'a'.repeat(152)}€${'a'.repeat(152)}`; // 306 units, but the € moves to part 2
		expect(countSmsParts(exact, 'SMSLong')).toMatchObject({ units: 306, parts: 3 });
	});

	it('flags characters a GSM media cannot carry', () => {
		expect(countSmsParts('Привет', 'SMS')).toMatchObject({ encodable: false, unencodable: ['П', 'р', 'и', 'в', 'е', 'т'] });
		expect(countSmsParts('ÀÉÎÕÜ ç ß', 'SMS').encodable).toBe(true);
	});

	it('property: one part up to the single-SMS limit, then at least ceil(units / part size)', () => {
		fc.assert(
			fc.property(fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', 'é', '€', '{', '\n'), maxLength: 700 }), (text) => {
				const { units, parts } = countSmsParts(text, 'SMSLong');
				if (units <= 160) expect(parts).toBe(1);
				else expect(parts).toBeGreaterThanOrEqual(Math.ceil(units / 153));
				expect(parts).toBeLessThanOrEqual(Math.max(1, Math.ceil(units / 152)));
			}),
		);
	});

	it('property: UCS-2 parts follow 70 / 67 for BMP text', () => {
		fc.assert(
			fc.property(fc.string({ unit: fc.constantFrom('a', 'é', 'П', '中'), maxLength: 400 }), (text) => {
				const { units, parts } = countSmsParts(text, 'SMSUnicodeLong');
				expect(units).toBe(text.length);
				expect(parts).toBe(units <= 70 ? 1 : Math.ceil(units / 67));
			}),
		);
	});
});
