import fc from 'fast-check';

import {
	alreadySentIds,
	CLOCK_SKEW_MARGIN_MS,
	matchCallMessages,
	reportEntries,
	type SentMessageKey,
} from '../../nodes/SfrDmc/domain/reportMatching';

const START = 1_750_000_000_000;

/** A findCraByIds record as DMC writes it. */
function record(id: number, reference: string, callAdress: string, creationDate = START + 10) {
	return { contactId: id, externalReference: reference, callAdress, creationDate, status: 'RUNNING' };
}

describe('reportEntries', () => {
	it('reads findCraByIds and getSingleCallCra records, skipping those it cannot match', () => {
		expect(
			reportEntries([
				record(1, 'r', '+33612345678'),
				{ messageId: '2', refExt: 'r', to: '0612345678' },
				{ messageId: 5, refExt: 'r', phoneNumber: '0698765432' },
				{ contactId: 3, callAdress: '+33612345678' },
				{ externalReference: 'r', callAdress: '+33612345678' },
				{ contactId: 4, externalReference: 'r' },
			]),
		).toEqual([
			{ id: '1', reference: 'r', to: '+33612345678', createdAt: START + 10 },
			{ id: '2', reference: 'r', to: '0612345678', createdAt: undefined },
			{ id: '5', reference: 'r', to: '0698765432', createdAt: undefined },
		]);
	});
});

describe('matchCallMessages', () => {
	const a = { reference: 'req-1', to: '+33612345678' };
	const b = { reference: 'req-1', to: '+33698765432' };

	it('finds each message by reference and recipient, whatever the order or the number format', () => {
		const records = [record(11, 'req-1', '33698765432'), record(10, 'req-1', '+33612345678')];
		expect(matchCallMessages([a, b], records, START)).toEqual(['10', '11']);
	});

	it('never takes a message of another reference or another recipient', () => {
		const records = [record(10, 'req-2', '+33612345678'), record(11, 'req-1', '+33600000000')];
		expect(matchCallMessages([a], records, START)).toEqual([null]);
	});

	it('ignores messages created before the call started, beyond the clock-skew margin', () => {
		expect(matchCallMessages([a], [record(9, 'req-1', '+33612345678', START - CLOCK_SKEW_MARGIN_MS - 1)], START)).toEqual([null]);
		expect(matchCallMessages([a], [record(9, 'req-1', '+33612345678', START - CLOCK_SKEW_MARGIN_MS)], START)).toEqual(['9']);
	});

	it('does not use a record without a creation date', () => {
		const undated = { contactId: 9, externalReference: 'req-1', callAdress: '+33612345678' };
		expect(matchCallMessages([a], [undated], START)).toEqual([null]);
	});

	it('uses undated entries of a listing DMC already bounded to the call (getSingleCallCra since its start)', () => {
		const listed = { messageId: 9, refExt: 'req-1', phoneNumber: '0612345678' };
		expect(matchCallMessages([a], [listed], START, new Set(), true)).toEqual(['9']);
		expect(matchCallMessages([a], [listed], START, new Set(['9']), true)).toEqual([null]);
	});

	it('leaves a message in doubt rather than choose between two candidates', () => {
		const records = [record(10, 'req-1', '+33612345678'), record(12, 'req-1', '+33612345678', START + 50)];
		expect(matchCallMessages([a, b], [...records, record(11, 'req-1', '+33698765432')], START)).toEqual([null, '11']);
	});

	it('leaves out ids already claimed by other messages', () => {
		const records = [record(10, 'req-1', '+33612345678'), record(12, 'req-1', '+33612345678', START + 50)];
		expect(matchCallMessages([a], records, START, new Set(['10']))).toEqual(['12']);
	});

	it('gives messages sharing a reference and a recipient the records in creation order, when the counts agree', () => {
		const records = [record(21, 'req-1', '+33612345678', START + 30), record(20, 'req-1', '+33612345678', START + 30)];
		expect(matchCallMessages([a, a], records, START)).toEqual(['20', '21']);
		expect(matchCallMessages([a, a], records.slice(0, 1), START)).toEqual([null, null]);
	});
});

describe('alreadySentIds', () => {
	it('names the first message DMC has for the reference and recipient, however old', () => {
		const records = [record(30, 'req-1', '+33612345678', START - 86_400_000), record(31, 'req-1', '+33612345678')];
		expect(
			alreadySentIds(
				[
					{ reference: 'req-1', to: '+33612345678' },
					{ reference: 'req-1', to: '+33698765432' },
					{ reference: 'req-2', to: '+33612345678' },
				],
				records,
			),
		).toEqual(['30', null, null]);
	});
});

describe('matching properties', () => {
	const references = ['r1', 'r2', 'r3'];
	const numbers = ['+33612345601', '+33612345602', '+33612345603'];
	const key = fc.record({ reference: fc.constantFrom(...references), to: fc.constantFrom(...numbers) });

	/** A call's messages, which of them DMC stored, and unrelated records (older runs, other executions). */
	const scenario = fc.record({
		messages: fc.array(key, { minLength: 1, maxLength: 20 }),
		stored: fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
		others: fc.array(fc.record({ key, age: fc.integer({ min: -600_000, max: 60_000 }) }), { maxLength: 10 }),
		reversed: fc.boolean(),
	});

	function build(s: {
		messages: SentMessageKey[];
		stored: boolean[];
		others: Array<{ key: SentMessageKey; age: number }>;
		reversed: boolean;
	}) {
		let id = 1000;
		const others = s.others.map((other) => record(id++, other.key.reference, other.key.to, START + other.age));
		const stored = new Map<number, number>();
		const ours = s.messages.flatMap((message, n) => {
			if (!s.stored[n]) return [];
			stored.set(n, id);
			return [record(id++, message.reference, message.to, START + 100 + n)];
		});
		const records = [...others, ...ours];
		return { records: s.reversed ? records.reverse() : records, stored, others };
	}

	it('only ever names a record of the same reference and recipient, created after the call started, once', () => {
		fc.assert(
			fc.property(scenario, (s) => {
				const { records } = build(s);
				const ids = matchCallMessages(s.messages, records, START);
				const found = ids.filter((id): id is string => id !== null);
				expect(new Set(found).size).toBe(found.length);
				ids.forEach((id, n) => {
					if (id === null) return;
					const match = records.find((r) => String(r.contactId) === id)!;
					expect(match.externalReference).toBe(s.messages[n].reference);
					expect(match.callAdress).toBe(s.messages[n].to);
					expect(match.creationDate).toBeGreaterThanOrEqual(START - CLOCK_SKEW_MARGIN_MS);
				});
			}),
			{ numRuns: 1000 },
		);
	});

	it('finds every stored message when nothing else shares its reference and recipient', () => {
		fc.assert(
			fc.property(scenario, (s) => {
				const { records, stored, others } = build(s);
				const ids = matchCallMessages(s.messages, records, START);
				const rival = (m: SentMessageKey) =>
					others.some(
						(o) => o.externalReference === m.reference && o.callAdress === m.to && o.creationDate! >= START - CLOCK_SKEW_MARGIN_MS,
					);
				s.messages.forEach((message, n) => {
					const twins = s.messages.filter((m) => m.reference === message.reference && m.to === message.to);
					const allTwinsStored = s.messages.every((m, k) => m.reference !== message.reference || m.to !== message.to || s.stored[k]);
					if (!rival(message) && allTwinsStored && twins.length === 1) expect(ids[n]).toBe(String(stored.get(n)));
					if (!rival(message) && !s.stored[n]) expect(ids[n]).toBeNull();
				});
			}),
			{ numRuns: 1000 },
		);
	});
});
