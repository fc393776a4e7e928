import { SupervisionGate, SUPERVISION_MINUTE_MS, isSupervisionPath } from '../../nodes/SfrDmc/transport/supervisionGate';

const SLOT = 62_000; // a minute and the 2 s margin

/** A gate on a clock that only moves when someone waits; `random` picks its slot and jitter. */
function gateOnFakeClock(processes = 1, random = () => 0, start = 1_000_000_000) {
	let now = start;
	const waits: number[] = [];
	const gate = new SupervisionGate(
		processes,
		() => SUPERVISION_MINUTE_MS,
		() => now,
		async (ms) => {
			waits.push(ms);
			now += ms;
		},
		random,
	);
	return { gate, waits, now: () => now, advance: (ms: number) => (now += ms), setNow: (t: number) => (now = t) };
}

it('holds the service for a minute and two seconds after an answer, whatever the method asked next', async () => {
	const { gate, now, advance } = gateOnFakeClock();
	const first = await gate.acquire();
	const startedAt = now();
	advance(5_000); // the call takes 5 s
	first();
	const second = await gate.acquire();
	expect(now() - startedAt).toBe(5_000 + SLOT);
	second();
});

it('serves waiters in arrival order, one call at a time', async () => {
	const { gate } = gateOnFakeClock();
	const order: string[] = [];
	const first = await gate.acquire();
	const waiting = ['b', 'c'].map(async (name) => {
		const release = await gate.acquire();
		order.push(name);
		release();
	});
	order.push('a');
	first();
	await Promise.all(waiting);
	expect(order).toEqual(['a', 'b', 'c']);
});

it('gives the turn back at once when no call was made', async () => {
	const { gate, waits } = gateOnFakeClock();
	(await gate.acquire())({ unused: true });
	(await gate.acquire())();
	expect(waits).toEqual([]);
});

describe('several processes sharing the service', () => {
	/** The instants at which a process of `processes`, in slot `slot`, starts `calls` calls asked back to back. */
	async function starts(processes: number, slot: number, calls: number, start: number) {
		const { gate, now, advance } = gateOnFakeClock(processes, () => (slot + 0.5) / processes, start);
		const at: number[] = [];
		for (let n = 0; n < calls; n++) {
			const release = await gate.acquire();
			at.push(now());
			advance(700); // each call takes 0.7 s
			release();
		}
		return at;
	}

	it('starts each process only at the beginning of its own slot of the cycle, one slot per process', async () => {
		const cycle = 3 * SLOT;
		const at = await starts(3, 1, 4, 10 * cycle + 5_000);
		expect(at.map((t) => (t % cycle) - SLOT)).toEqual([0, 0, 0, 0]);
		expect(at.slice(1).map((t, n) => t - at[n])).toEqual([cycle, cycle, cycle]);
	});

	it('keeps processes in different slots more than a minute apart, whenever their calls are asked', async () => {
		const begin = 7 * 3 * SLOT + 12_345;
		const all = (await Promise.all([0, 1, 2].map(async (slot) => await starts(3, slot, 5, begin + slot * 17_000))))
			.flat()
			.sort((a, b) => a - b);
		for (let n = 1; n < all.length; n++) expect(all[n] - all[n - 1]).toBeGreaterThanOrEqual(SLOT);
	});

	it('moves to another slot after DMC refused a call as too frequent, and waits at least a slot', async () => {
		const picks = [0.1, 0.9]; // slot 0 of 3 first, then the second of the two others
		const { gate, now } = gateOnFakeClock(3, () => picks.shift() ?? 0, 3 * SLOT * 100);
		const release = await gate.acquire();
		expect(now() % (3 * SLOT)).toBe(0);
		release();
		const refusedAt = now();
		gate.holdAfterRefusal();
		(await gate.acquire())();
		expect(now() - refusedAt).toBeGreaterThanOrEqual(SLOT);
		expect(now() % (3 * SLOT)).toBe(2 * SLOT);
	});

	it('never loosens a shared gate to fewer processes', () => {
		const { gate } = gateOnFakeClock(2);
		gate.setProcesses(1);
		expect(gate.intervalMs()).toBe(2 * SLOT);
		expect(() => gate.setProcesses(0)).toThrow('at least 1, not 0');
	});
});

it('alone, waits a slot and a random part of a minute after a refusal, so two clients on one pace drift apart', async () => {
	const { gate, now } = gateOnFakeClock(1, () => 0.5);
	(await gate.acquire())();
	const refusedAt = now();
	gate.holdAfterRefusal();
	expect(gate.opensAt() - refusedAt).toBe(SLOT + 30_000);
});

it('gates SupervisionWS paths only', () => {
	expect(isSupervisionPath('SupervisionWS/findCraByIds')).toBe(true);
	expect(isSupervisionPath('SupervisionWS/getResponsesSMS')).toBe(true);
	expect(isSupervisionPath('MessagesUnitairesWS/getSingleCallCra')).toBe(false);
	expect(isSupervisionPath('AdminWS/findServiceOadc')).toBe(false);
});

it('says whether a call asked now would start within a given time (a trigger activating cannot wait a minute)', async () => {
	const { gate, advance } = gateOnFakeClock();
	expect(gate.opensWithin(15_000)).toBe(true);
	(await gate.acquire())();
	expect(gate.opensWithin(15_000)).toBe(false);
	advance(SLOT - 15_000);
	expect(gate.opensWithin(15_000)).toBe(true);
});
