import {
	advanceCursor,
	decideQuery,
	MIN_QUERY_INTERVAL_MS,
	OVERLAP_MS,
	queryFrom,
	readCursor,
	startCursor,
	type CursorEvent,
} from '../../nodes/SfrDmc/domain/pollCursor';
import {
	finalReportEvents,
	parseResultCodes,
	parseStatuses,
	replyEvents,
	reportFromListing,
} from '../../nodes/SfrDmc/domain/triggerEvents';

const T = 1_750_000_000_000;
const event = (key: string, time: number): CursorEvent<string> => ({ key, time, value: key });

describe('advanceCursor', () => {
	it('returns unseen events oldest first (ties by key), once, and remembers them', () => {
		const start = startCursor('replyReceived', T);
		const { fresh, next } = advanceCursor(
			start,
			[event('b', T + 20), event('a', T + 20), event('c', T + 10), event('a', T + 20)],
			T + 60_000,
		);
		expect(fresh.map((found) => found.key)).toEqual(['c', 'a', 'b']);
		expect(next).toEqual({
			version: 1,
			event: 'replyReceived',
			watermark: T + 20,
			seen: { a: T + 20, b: T + 20, c: T + 10 },
			lastQueryAt: T + 60_000,
		});
		const again = advanceCursor(next, [event('a', T + 20), event('d', T + 20)], T + 120_000);
		expect(again.fresh.map((found) => found.key)).toEqual(['d']);
	});

	it('ignores events before the query window, and forgets keys that fell out of it', () => {
		const cursor = { ...startCursor('x', T), seen: { old: T - OVERLAP_MS - 1, kept: T - OVERLAP_MS } };
		const { fresh, next } = advanceCursor(cursor, [event('ancient', T - OVERLAP_MS - 1), event('late', T - OVERLAP_MS)], T);
		expect(fresh.map((found) => found.key)).toEqual(['late']);
		expect(next.seen).toEqual({ kept: T - OVERLAP_MS, late: T - OVERLAP_MS });
		expect(queryFrom(next)).toBe(T - OVERLAP_MS);
	});

	it("never moves the watermark back, nor past the poll's clock", () => {
		const cursor = startCursor('x', T);
		expect(advanceCursor(cursor, [event('past', T - 1000)], T + 1).next.watermark).toBe(T);
		expect(advanceCursor(cursor, [event('future', T + 10 * 60_000)], T + 1000).next.watermark).toBe(T + 1000);
		expect(advanceCursor(cursor, [], T + 5000).next.watermark).toBe(T);
	});

	it('leaves deferred events for the next poll: not remembered, and the watermark held at the oldest of them', () => {
		const cursor = startCursor('x', T);
		const found = [event('a', T + 10), event('b', T + 20), event('c', T + 30), event('d', T + 40)];
		const { next } = advanceCursor(cursor, found, T + 60_000, { deferred: [event('b', T + 20), event('d', T + 40)] });
		expect(next.seen).toEqual({ a: T + 10, c: T + 30 });
		expect(next.watermark).toBe(T + 20);
		const again = advanceCursor(next, found, T + 120_000);
		expect(again.fresh.map((left) => left.key)).toEqual(['b', 'd']);
		expect(again.next.watermark).toBe(T + 40);
	});
});

describe('readCursor', () => {
	it("reads a stored cursor as plain data, and refuses another event's or a damaged one", () => {
		const stored = { version: 1, event: 'stopReceived', watermark: T, seen: { k: T }, lastQueryAt: T };
		expect(readCursor(stored, 'stopReceived')).toEqual(stored);
		expect(readCursor(stored, 'replyReceived')).toBeUndefined();
		expect(readCursor({ ...stored, seen: { k: 'soon' } }, 'stopReceived')).toBeUndefined();
		expect(readCursor({ ...stored, watermark: null }, 'stopReceived')).toBeUndefined();
		expect(readCursor({ ...stored, version: 2 }, 'stopReceived')).toBeUndefined();
		expect(readCursor(undefined, 'stopReceived')).toBeUndefined();
		// An event kind's own state comes back as plain data, and a poll that gives none keeps it.
		const withState = readCursor({ ...stored, state: { next: 1, watched: [] } }, 'stopReceived');
		expect(withState?.state).toEqual({ next: 1, watched: [] });
		expect(advanceCursor(withState!, [], T + 60_000).next.state).toEqual({ next: 1, watched: [] });
		expect(advanceCursor(withState!, [], T + 60_000, { state: { next: 2 } }).next.state).toEqual({ next: 2 });
	});
});

describe('decideQuery', () => {
	it('queries on a first poll and a minute after the last query, waits the last 5 s, skips before', () => {
		expect(decideQuery(undefined, T)).toEqual({ kind: 'query' });
		expect(decideQuery(T, T + MIN_QUERY_INTERVAL_MS)).toEqual({ kind: 'query' });
		expect(decideQuery(T, T + 59_000)).toEqual({ kind: 'wait', ms: 1000 });
		expect(decideQuery(T, T + 55_000)).toEqual({ kind: 'wait', ms: 5000 });
		expect(decideQuery(T, T + 54_999)).toEqual({ kind: 'skip', remainingMs: 5001 });
		expect(decideQuery(T, T)).toEqual({ kind: 'skip', remainingMs: 60_000 });
		expect(decideQuery(T, T - 30_000)).toEqual({ kind: 'skip', remainingMs: 90_000 });
		expect(decideQuery(T, T - 60_001)).toEqual({ kind: 'query' });
	});
});

describe('trigger events from DMC records', () => {
	it('keys replies by message, instant, sender and text; an undated one counts from now', () => {
		const events = replyEvents(
			[
				{ contactId: 100001, callDate: T, callAdress: '33699999903', callResponse: 'Oui' },
				{ contactId: 100001, callAdress: '+33699999903', callResponse: 'STOP' },
			],
			T + 5,
		);
		expect(events.map((found) => [found.time, found.value])).toEqual([
			[T, { from: '+33699999903', text: 'Oui', receivedAt: new Date(T).toISOString(), isStop: false, messageId: '100001' }],
			[T + 5, { from: '+33699999903', text: 'STOP', receivedAt: null, isStop: true, messageId: '100001' }],
		]);
		expect(new Set(events.map((found) => found.key)).size).toBe(2);
	});

	it('takes final reports only, keyed by message and status, timed by statusLastChange', () => {
		const events = finalReportEvents(
			[
				{ messageId: 1, status: 'RUNNING', statusLastChange: T },
				{ messageId: 2, status: 'DONE', statusLastChange: T + 1 },
				{ messageId: '3', status: 'FAILED', lastCall: T - 99 },
				{ status: 'DONE', statusLastChange: T },
			],
			T + 60_000,
		);
		expect(events.map((found) => [found.key, found.time])).toEqual([
			['2:DONE', T + 1],
			['3:FAILED', T + 60_000],
		]);
	});

	it('builds a report from a listing entry when findCraByIds lacks it', () => {
		expect(
			reportFromListing({
				messageId: 7,
				status: 'FAILED',
				lastResult: 'Number blacklisted',
				to: '0699999901',
				refExt: 'R',
				statusLastChange: T,
			}),
		).toEqual({
			messageId: '7',
			reference: 'R',
			to: '+33699999901',
			status: 'FAILED',
			resultCode: null,
			result: 'Number blacklisted',
			parts: null,
			updatedAt: new Date(T).toISOString(),
		});
	});

	it('reads result codes and statuses as users write them', () => {
		expect(parseResultCodes(' blacklist, CRA_SMS_OADC;saasnocredit\nblacklist ')).toEqual([
			'CRA_SMS_BLACKLIST',
			'CRA_SMS_OADC',
			'CRA_SMS_SAASNOCREDIT',
		]);
		expect(parseResultCodes(['cra_sms_text'])).toEqual(['CRA_SMS_TEXT']);
		expect(parseResultCodes('')).toEqual([]);
		expect(parseStatuses(['FAILED'])).toEqual(['FAILED']);
		expect(parseStatuses([])).toEqual(['DONE', 'FAILED']);
	});
});
