import { ExcludeListCache, prepareExcludeList } from '../../nodes/SfrDmc/domain/excludeList';
import { normalizePhoneNumber } from '../../nodes/SfrDmc/domain/recipients';

describe('prepareExcludeList', () => {
	it('normalises numbers as recipients are: any format of a number excludes every other', () => {
		const list = prepareExcludeList('+33 6 12 34 56 22; 0033 7 81 23 45 67\n0690 00 11 22', 'FR');
		expect([...list.numbers]).toEqual(['+33612345622', '+33781234567', '+590690001122']);
		expect(list.numbers.has(normalizePhoneNumber('06.12.34.56.22', { defaultCountry: 'FR' }))).toBe(true);
		expect(list.ignored).toEqual([]);
	});

	it('takes a list, as an expression gives it, and keeps landlines and foreign numbers', () => {
		const list = prepareExcludeList([' 01 23 45 67 89 ', '+32 470 12 34 56', ''], 'FR');
		expect([...list.numbers]).toEqual(['+33123456789', '+32470123456']);
	});

	it('ignores and reports what is not a phone number, without failing', () => {
		const list = prepareExcludeList(['06 12 34 56 22', 'STOP', '12', 33612345678, null, { n: 1 }], 'FR');
		expect([...list.numbers]).toEqual(['+33612345622']);
		expect(list.ignored).toEqual(['STOP', '12', 'the number 33612345678', 'null', 'an object']);
	});

	it('reads nothing from an empty option', () => {
		for (const value of [undefined, null, '', [], '  ,  ']) {
			expect(prepareExcludeList(value, 'FR')).toEqual({ numbers: new Set(), ignored: [] });
		}
	});

	it('reads national numbers in the default country', () => {
		expect([...prepareExcludeList('0470 12 34 56', 'BE').numbers]).toEqual(['+32470123456']);
	});
});

describe('ExcludeListCache', () => {
	it('prepares a list once, for the same text or a fresh copy of the same list', () => {
		const cache = new ExcludeListCache();
		const numbers = ['06 12 34 56 22', '07 81 23 45 67'];
		const first = cache.get(numbers, 'FR');
		expect(cache.get([...numbers], 'FR')).toBe(first);
		expect(cache.get(numbers.join(','), 'FR')).not.toBe(first);
		const text = numbers.join(',');
		expect(cache.get(`${text}`, 'FR')).toBe(cache.get(text, 'FR'));
	});

	it('prepares again for another list or another default country', () => {
		const cache = new ExcludeListCache();
		const numbers = ['0470 12 34 56'];
		const fr = cache.get(numbers, 'FR');
		expect([...fr.numbers]).toEqual(['+33470123456']);
		expect([...cache.get(numbers, 'BE').numbers]).toEqual(['+32470123456']);
		const longer = [...numbers, '06 12 34 56 22'];
		expect([...cache.get(longer, 'FR').numbers]).toEqual(['+33470123456', '+33612345622']);
		expect(cache.get(['0470 12 34 57'], 'FR')).not.toBe(fr);
		expect(cache.get(numbers, 'FR')).toBe(fr);
	});
});
