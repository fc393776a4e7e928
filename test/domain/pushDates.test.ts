import fc from 'fast-check';

import { fromParisWallClock, isParisSummerTime, parsePushDate } from '../../nodes/SfrDmc/domain/pushDates';

const iso = (value: string) => {
	const time = parsePushDate(value);
	return time === undefined ? undefined : new Date(time).toISOString();
};

describe('parsePushDate', () => {
	it('reads the three formats DMC pushes', () => {
		expect(iso('2014-07-11 10:57:09')).toBe('2014-07-11T08:57:09.000Z'); // summer: UTC+2
		expect(iso('2016-11-08 13:16:56 CET')).toBe('2016-11-08T12:16:56.000Z');
		expect(iso('2019-04-12T13:21:47Z')).toBe('2019-04-12T13:21:47.000Z');
	});

	it('reads a date with no zone as French time, winter and summer', () => {
		expect(iso('2016-11-08 13:16:56')).toBe('2016-11-08T12:16:56.000Z');
		expect(iso('2024-01-15 00:30:00')).toBe('2024-01-14T23:30:00.000Z');
	});

	it('follows the EU clock changes (2024: 31 March and 27 October)', () => {
		expect(iso('2024-03-31 01:59:59')).toBe('2024-03-31T00:59:59.000Z');
		expect(iso('2024-03-31 03:00:00')).toBe('2024-03-31T01:00:00.000Z');
		// 02:30 never happened that night: read as 03:30 summer time.
		expect(iso('2024-03-31 02:30:00')).toBe('2024-03-31T01:30:00.000Z');
		// 02:30 happened twice on 27 October: the first one (summer time).
		expect(iso('2024-10-27 02:30:00')).toBe('2024-10-27T00:30:00.000Z');
		expect(iso('2024-10-27 03:00:00')).toBe('2024-10-27T02:00:00.000Z');
	});

	it('takes CEST, offsets, fractions and millisecond timestamps', () => {
		expect(iso('2019-04-12 15:21:47 CEST')).toBe('2019-04-12T13:21:47.000Z');
		expect(iso('2019-04-12T15:21:47+02:00')).toBe('2019-04-12T13:21:47.000Z');
		expect(iso('2019-04-12T10:21:47-0300')).toBe('2019-04-12T13:21:47.000Z');
		expect(iso('2019-04-12T13:21:47.25Z')).toBe('2019-04-12T13:21:47.250Z');
		expect(iso('1555075307000')).toBe('2019-04-12T13:21:47.000Z');
		expect(parsePushDate(1555075307000)).toBe(1555075307000);
	});

	it('refuses what is not a date', () => {
		for (const value of [
			'',
			'yesterday',
			'2019-02-30 10:00:00',
			'2019-13-01 10:00:00',
			'2019-04-12 25:00:00',
			'2019-04-12 10:00:00 PST',
			'12',
			null,
			{},
			NaN,
		]) {
			expect(parsePushDate(value)).toBeUndefined();
		}
	});

	it('property: a French wall-clock time and its instant are one or two hours apart, as the season says', () => {
		fc.assert(
			fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), (wall) => {
				const instant = fromParisWallClock(wall);
				expect(wall - instant).toBe(isParisSummerTime(instant) ? 7_200_000 : 3_600_000);
			}),
		);
	});

	it('property: every instant printed as French wall-clock time reads back to itself (outside the October repeated hour)', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }).map((t) => t - (t % 1000)),
				(instant) => {
					const offset = isParisSummerTime(instant) ? 2 : 1;
					const wall = new Date(instant + offset * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
					const back = parsePushDate(wall);
					const repeated = !isParisSummerTime(instant) && isParisSummerTime(instant - 3_600_000);
					expect(back).toBe(repeated ? instant - 3_600_000 : instant);
				},
			),
		);
	});
});
