import { SupervisionGate, SUPERVISION_MINUTE_MS, isSupervisionPath } from '../../nodes/SfrDmc/transport/supervisionGate';

const SPACING = 62_000; // a minute and the 2 s margin
// In a cluster: the pollers' slot, 40 s to start in then the spacing; the others, a second.
const POLL_SLOT = 40_000 + SPACING;
const SLOT = 1_000 + SPACING;
const CYCLE = POLL_SLOT + 2 * SLOT; // 3 processes

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
	expect(now() - startedAt).toBe(5_000 + SPACING);
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
	/** A gate of a 3-process cluster in `slot` (0: the pollers'), on a fake clock from `start`. */
	function clusterGate(slot: number, start: number, random?: () => number) {
		const fake = gateOnFakeClock(3, random ?? (() => (Math.max(slot, 1) - 0.5) / 2), start);
		if (slot === 0) fake.gate.servePolls();
		return fake;
	}
	/** Where `slot` of 3 begins in the cycle. */
	const slotStart = (slot: number) => (slot === 0 ? 0 : POLL_SLOT + (slot - 1) * SLOT);

	/** The instants at which a process in `slot` starts `calls` calls asked back to back. */
	async function starts(slot: number, calls: number, start: number) {
		const { gate, now, advance } = clusterGate(slot, start);
		const at: number[] = [];
		for (let n = 0; n < calls; n++) {
			const release = await gate.acquire();
			at.push(now());
			advance(700); // each call takes 0.7 s
			release();
		}
		return at;
	}

	it('starts each process only at the beginning of its own slot of the cycle, one call a cycle', async () => {
		for (const slot of [0, 1, 2]) {
			const at = await starts(slot, 4, 10 * CYCLE + 5_000);
			expect(at.map((t) => (t % CYCLE) - slotStart(slot))).toEqual([0, 0, 0, 0]);
			expect(at.slice(1).map((t, n) => t - at[n])).toEqual([CYCLE, CYCLE, CYCLE]);
		}
	});

	it("opens the pollers' slot for 40 s, the others for a second", async () => {
		const askedAt = async (slot: number, inSlot: number) => {
			const { gate, now, setNow } = clusterGate(slot, 10 * CYCLE);
			setNow(11 * CYCLE + slotStart(slot) + inSlot);
			(await gate.acquire())();
			return now() - 11 * CYCLE - slotStart(slot);
		};
		expect(await askedAt(0, 40_000)).toBe(40_000);
		expect(await askedAt(0, 41_000)).toBe(CYCLE);
		expect(await askedAt(1, 1_000)).toBe(1_000);
		expect(await askedAt(2, 2_000)).toBe(CYCLE);
	});

	it('waits a minute and the margin after it starts before its first call, even in its slot (its previous life may just have called)', async () => {
		const { gate, now } = clusterGate(0, 10 * CYCLE + 1_000);
		(await gate.acquire())();
		expect(now()).toBe(11 * CYCLE);
		const alone = gateOnFakeClock(1, () => 0, 10 * CYCLE + 1_000);
		(await alone.gate.acquire())();
		expect(alone.now()).toBe(10 * CYCLE + 1_000);
	});

	it('keeps processes in different slots more than a minute apart, whenever their calls are asked', async () => {
		const begin = 7 * CYCLE + 12_345;
		const all = (await Promise.all([0, 1, 2].map(async (slot) => await starts(slot, 5, begin + slot * 17_000))))
			.flat()
			.sort((a, b) => a - b);
		expect(all).toHaveLength(15);
		for (let n = 1; n < all.length; n++) expect(all[n] - all[n - 1]).toBeGreaterThanOrEqual(SPACING);
	});

	it("gives a process that polls the pollers' slot, and the others one of the rest at random", () => {
		const cycleOf = (processes: number) => POLL_SLOT + (processes - 1) * SLOT;
		expect(gateOnFakeClock(3).gate.intervalMs()).toBe(cycleOf(3));
		expect(gateOnFakeClock(5).gate.intervalMs()).toBe(cycleOf(5));
		expect(gateOnFakeClock(1).gate.intervalMs()).toBe(SPACING);
	});

	it('moves to another slot after DMC refused a call as too frequent, and waits at least the spacing', async () => {
		const picks = [0.25, 0.99]; // slot 1 of 3 first, then the second of the two others
		const { gate, now } = clusterGate(1, 100 * CYCLE, () => picks.shift() ?? 0);
		const release = await gate.acquire();
		expect(now() % CYCLE).toBe(slotStart(1));
		release();
		const refusedAt = now();
		gate.holdAfterRefusal();
		(await gate.acquire())();
		expect(now() - refusedAt).toBeGreaterThanOrEqual(SPACING);
		expect(now() % CYCLE).toBe(slotStart(0));
	});

	it('never loosens a shared gate to fewer processes', () => {
		const { gate } = gateOnFakeClock(2);
		gate.setProcesses(1);
		expect(gate.intervalMs()).toBe(POLL_SLOT + SLOT);
		expect(() => gate.setProcesses(0)).toThrow('at least 1, not 0');
	});
});

it('alone, waits a slot and a random part of a minute after a refusal, so two clients on one pace drift apart', async () => {
	const { gate, now } = gateOnFakeClock(1, () => 0.5);
	(await gate.acquire())();
	const refusedAt = now();
	gate.holdAfterRefusal();
	expect(gate.opensAt() - refusedAt).toBe(SPACING + 30_000);
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
	advance(SPACING - 15_000);
	expect(gate.opensWithin(15_000)).toBe(true);
});

/**
 * A gate whose waits are timers that fire only when the test moves the clock, so that a
 * caller waiting a bounded time and a turn coming later can be ordered exactly.
 */
function gateOnTimers(processes = 1, random = () => 0, start = 1_000_000_000) {
	let now = start;
	const timers: Array<{ at: number; fire: () => void }> = [];
	const gate = new SupervisionGate(
		processes,
		() => SUPERVISION_MINUTE_MS,
		() => now,
		async (ms) => await new Promise<void>((fire) => timers.push({ at: now + ms, fire })),
		random,
	);
	const settle = async () => {
		for (let n = 0; n < 20; n++) await Promise.resolve();
	};
	/** Moves the clock by `ms`, firing each timer due on the way at its own instant. */
	const advance = async (ms: number) => {
		const end = now + ms;
		await settle();
		for (;;) {
			timers.sort((a, b) => a.at - b.at);
			const next = timers[0];
			if (next === undefined || next.at > end) break;
			timers.shift();
			now = Math.max(now, next.at);
			next.fire();
			await settle();
		}
		now = end;
	};
	return { gate, advance, now: () => now };
}

describe("a caller that cannot wait long (a trigger's poll)", () => {
	it('gets the turn at once when it is free', async () => {
		const { gate } = gateOnTimers();
		const turn = await gate.turnWithin('trigger', 20_000);
		expect(turn).toBeDefined();
		turn?.();
	});

	it('gives up after its wait, keeps its place, and finds the turn kept at its next attempt', async () => {
		const { gate, advance, now } = gateOnTimers();
		(await gate.acquire())(); // another workflow's report read just ended: the next turn is 62 s away
		const asked = gate.turnWithin('trigger', 20_000);
		await advance(20_000);
		expect(await asked).toBeUndefined();

		// Somebody else asks after the trigger: the trigger's place comes first.
		let otherAt: number | undefined;
		const other = gate.acquire().then((release) => {
			otherAt = now();
			release();
		});
		await advance(42_000); // the turn comes, 62 s after the last call, and is kept
		expect(otherAt).toBeUndefined();
		await advance(30_000); // the trigger's next tick
		const kept = await gate.turnWithin('trigger', 20_000);
		expect(kept).toBeDefined();
		kept?.(); // its call is over now: the other caller waits a spacing more
		await advance(SPACING);
		await other;
		expect(otherAt).toBe(1_000_000_000 + 62_000 + 30_000 + SPACING);
	});

	it('gives a kept turn back unused when nobody comes for it within a spacing', async () => {
		const { gate, advance, now } = gateOnTimers();
		(await gate.acquire())();
		expect(await Promise.all([gate.turnWithin('trigger', 1_000), advance(1_000)])).toEqual([undefined, undefined]);
		await advance(61_000); // granted now, at 62 s, and kept
		let otherAt: number | undefined;
		const other = gate.acquire().then((release) => {
			otherAt = now();
			release();
		});
		await advance(SPACING); // nobody came: given back unused, the other caller starts at once
		await other;
		expect(otherAt).toBe(1_000_000_000 + 62_000 + SPACING);
	});

	it("in a cluster, takes the pollers' slot and keeps the turn only while a call may still start in it", async () => {
		const { gate, advance, now } = gateOnTimers(3, () => 0.75, 10 * CYCLE + 5_000); // slot 2, until it polls
		const asked = gate.turnWithin('trigger', 20_000);
		await advance(20_000);
		expect(await asked).toBeUndefined();
		await advance(CYCLE - 25_000 + 30_000); // the pollers' slot of the next cycle began 30 s ago
		expect(now() % CYCLE).toBe(30_000);
		const kept = await gate.turnWithin('trigger', 20_000);
		expect(kept).toBeDefined();
		kept?.({ unused: true });

		await advance(11_000);
		const late = gate.turnWithin('trigger', 20_000); // the slot closed a second ago
		await advance(20_000);
		expect(await late).toBeUndefined();
		await advance(CYCLE - 22_000); // to 39 s into the next cycle's pollers' slot
		expect(now() % CYCLE).toBe(39_000);
		const next = await gate.turnWithin('trigger', 20_000);
		expect(next).toBeDefined();
		next?.();
	});
});
