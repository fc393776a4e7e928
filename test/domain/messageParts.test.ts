import fc from 'fast-check';

import { partsOf } from '../../nodes/SfrDmc/domain/messageParts';

describe('partsOf', () => {
	it.each([
		[{ callDetailCode: 'CRA_PART{1}' }, 1],
		[{ callDetailCode: 'CRA_PART{12}', callDetail: '3 partie(s)' }, 12],
		[{ callDetailCode: 'CRA_PART3' }, 3],
		[{ callDetailCode: ' CRA_PART2 ' }, 2],
		[{ callDetail: '3 partie(s)' }, 3],
		[{ callDetail: '1 partie' }, 1],
		[{ callDetail: '2 parties' }, 2],
		[{ callDetail: '3 part(s)' }, 3],
		[{ callDetail: '4 parts' }, 4],
		[{ callDetail: '4 PARTS' }, 4],
		// A code that cannot be read falls back to the text.
		[{ callDetailCode: 'CRA_PART{x}', callDetail: '2 partie(s)' }, 2],
	])('reads %j as %i part(s)', (record, parts) => {
		expect(partsOf(record)).toBe(parts);
	});

	it.each([
		[{}],
		[{ callDetailCode: null, callDetail: null }],
		[{ callDetailCode: 'CRA_PART{2' }],
		[{ callDetailCode: 'CRA_PART2}' }],
		[{ callDetailCode: 'CRA_PART{0}' }],
		[{ callDetailCode: 'CRA_SMS_RECEIVED' }],
		[{ callDetailCode: 3 }],
		[{ callDetail: 'partie(s)' }],
		[{ callDetail: '3 particules' }],
		[{ callDetail: 'Reçu' }],
		[{ callDetail: '0 partie(s)' }],
	])('finds no part count in %j', (record) => {
		expect(partsOf(record)).toBeNull();
	});

	it('reads back every count in each form DMC writes it', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 999 }), (n) => {
				expect(partsOf({ callDetailCode: `CRA_PART{${n}}` })).toBe(n);
				expect(partsOf({ callDetailCode: `CRA_PART${n}` })).toBe(n);
				expect(partsOf({ callDetail: `${n} partie(s)` })).toBe(n);
				expect(partsOf({ callDetail: `${n} part(s)` })).toBe(n);
			}),
		);
	});

	it('gives null or a positive whole number for anything', () => {
		fc.assert(
			fc.property(fc.anything(), fc.anything(), (callDetailCode, callDetail) => {
				const parts = partsOf({ callDetailCode, callDetail });
				expect(parts === null || (Number.isInteger(parts) && parts >= 1)).toBe(true);
			}),
		);
	});
});
