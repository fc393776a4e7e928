import fc from 'fast-check';

import { lookupPauses, MAX_LOOKUPS } from '../../nodes/SfrDmc/domain/lookupSchedule';

describe('lookupPauses', () => {
	it.each([
		[0, []],
		[-5, []],
		[Number.NaN, []],
		[500, [500]],
		[1000, [1000]],
		[2500, [1000, 1500]],
		[30_000, [1000, 2000, 4000, 8000, 15_000]],
		[600_000, [1000, 2000, 4000, 8000, 16_000]],
	])('a budget of %d ms gives the pauses %j', (budget, pauses) => {
		expect(lookupPauses(budget)).toEqual(pauses);
	});

	it('never exceeds the budget or the number of look-ups, and never pauses for nothing', () => {
		fc.assert(
			fc.property(fc.integer({ min: -1000, max: 10_000_000 }), (budget) => {
				const pauses = lookupPauses(budget);
				expect(pauses.reduce((sum, pause) => sum + pause, 0)).toBeLessThanOrEqual(Math.max(0, budget));
				expect(pauses.length).toBeLessThanOrEqual(MAX_LOOKUPS - 1);
				expect(pauses.every((pause) => pause > 0)).toBe(true);
			}),
		);
	});
});
