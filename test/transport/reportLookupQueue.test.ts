import { ReportLookupQueue, type LookupKeys } from '../../nodes/SfrDmc/transport/reportLookupQueue';

/** A look-up whose calls wait for `open()`: what each call asked, and a DMC answering every key. */
function heldLookups() {
	const asked: LookupKeys[] = [];
	let open!: () => void;
	let turn = new Promise<void>((resolve) => (open = resolve));
	const lookup = async (keysAtTurn: () => LookupKeys) => {
		await turn;
		const keys = keysAtTurn();
		asked.push(keys);
		turn = new Promise<void>((resolve) => (open = resolve));
		return [
			...keys.contactIds.map((id) => ({ contactId: Number(id), status: 'DONE' })),
			...keys.contactExtRefs.map((ref) => ({ contactId: 9000 + asked.length, externalReference: ref })),
		];
	};
	return { asked, lookup, open: () => open() };
}

/** Lets the promise chains that `open()` released run their course. */
async function settle() {
	for (let tick = 0; tick < 50; tick++) await Promise.resolve();
}

it('merges the look-ups queued while the turn is closed into one call, each getting its own records', async () => {
	const queue = new ReportLookupQueue();
	const { asked, lookup, open } = heldLookups();
	const founds = Array.from({ length: 100 }, (_, n) => queue.find({ contactIds: [], contactExtRefs: [`req-${n}`] }, 100, lookup));
	open();
	const results = await Promise.all(founds);
	expect(asked).toHaveLength(1);
	expect(asked[0].contactExtRefs).toHaveLength(100);
	results.forEach((records, n) => expect(records).toEqual([{ contactId: 9001, externalReference: `req-${n}` }]));
});

it('asks a key several look-ups want once, and gives its record to each', async () => {
	const queue = new ReportLookupQueue();
	const { asked, lookup, open } = heldLookups();
	const a = queue.find({ contactIds: ['11', '12'], contactExtRefs: ['shared'] }, 100, lookup);
	const b = queue.find({ contactIds: ['12'], contactExtRefs: ['shared', 'shared'] }, 100, lookup);
	open();
	const [recordsA, recordsB] = await Promise.all([a, b]);
	expect(asked).toEqual([{ contactIds: ['11', '12'], contactExtRefs: ['shared'] }]);
	expect(recordsA.map((record) => record.contactId)).toEqual([11, 12, 9001]);
	expect(recordsB.map((record) => record.contactId)).toEqual([12, 9001]);
});

it('splits what is over 100 keys into calls of 100, oldest first, and answers a look-up only when all its keys are in', async () => {
	const queue = new ReportLookupQueue();
	const { asked, lookup, open } = heldLookups();
	const ids = Array.from({ length: 250 }, (_, n) => String(n + 1));
	const big = queue.find({ contactIds: ids, contactExtRefs: [] }, 100, lookup);
	const small = queue.find({ contactIds: [], contactExtRefs: ['late'] }, 100, lookup);
	let bigDone = false;
	void big.then(() => (bigDone = true));
	for (let call = 0; call < 3; call++) {
		open();
		await settle();
		if (call < 2) expect(bigDone).toBe(false);
	}
	const records = await big;
	expect(records.map((record) => String(record.contactId))).toEqual(ids);
	expect(asked.map((keys) => keys.contactIds.length + keys.contactExtRefs.length)).toEqual([100, 100, 51]);
	expect(asked[2].contactExtRefs).toEqual(['late']);
	expect(await small).toEqual([{ contactId: 9003, externalReference: 'late' }]);
});

it('fails the look-ups a failed call carried, and only those', async () => {
	const queue = new ReportLookupQueue();
	const calls: LookupKeys[] = [];
	const lookup = async (keysAtTurn: () => LookupKeys) => {
		const keys = keysAtTurn();
		calls.push(keys);
		if (calls.length === 1) throw new Error('DMC refused the call');
		return keys.contactIds.map((id) => ({ contactId: id }));
	};
	const ids = Array.from({ length: 100 }, (_, n) => String(n));
	const first = queue.find({ contactIds: ids, contactExtRefs: [] }, 100, lookup);
	const second = queue.find({ contactIds: ['later'], contactExtRefs: [] }, 100, lookup);
	await expect(first).rejects.toThrow('DMC refused the call');
	expect(await second).toEqual([{ contactId: 'later' }]);
	expect(calls.map((keys) => keys.contactIds.length)).toEqual([100, 1]);
});

it('answers an empty look-up without a call', async () => {
	const queue = new ReportLookupQueue();
	const lookup = jest.fn();
	expect(await queue.find({ contactIds: [], contactExtRefs: [] }, 100, lookup)).toEqual([]);
	expect(lookup).not.toHaveBeenCalled();
});
