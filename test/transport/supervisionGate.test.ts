import { SupervisionGate, SUPERVISION_MINUTE_MS, isSupervisionPath } from '../../nodes/SfrDmc/transport/supervisionGate';

/** A gate on a clock that only moves when someone waits. */
function gateOnFakeClock(processes = 1) {
	let now = 1_000_000;
	const waits: number[] = [];
	const gate = new SupervisionGate(
		processes,
		() => SUPERVISION_MINUTE_MS,
		() => now,
		async (ms) => {
			waits.push(ms);
			now += ms;
		},
	);
	return { gate, waits, now: () => now, advance: (ms: number) => (now += ms) };
}

it('holds the service for a minute and a second after an answer, whatever the method asked next', async () => {
	const { gate, now, advance } = gateOnFakeClock();
	const first = await gate.acquire();
	const startedAt = now();
	advance(5_000); // the call takes 5 s
	first();
	const second = await gate.acquire();
	expect(now() - startedAt).toBe(5_000 + 61_000);
	second();
});

it('spaces one process of three by three minutes and a second, so the cluster keeps the pace', async () => {
	const { gate, now } = gateOnFakeClock(3);
	expect(gate.intervalMs()).toBe(3 * 60_000 + 1_000);
	(await gate.acquire())();
	const releasedAt = now();
	(await gate.acquire())();
	expect(now() - releasedAt).toBe(181_000);
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

it('never loosens a shared gate to fewer processes', () => {
	const { gate } = gateOnFakeClock(2);
	gate.setProcesses(1);
	expect(gate.intervalMs()).toBe(2 * 60_000 + 1_000);
	expect(() => gate.setProcesses(0)).toThrow('at least 1, not 0');
});

it('gates SupervisionWS paths only', () => {
	expect(isSupervisionPath('SupervisionWS/findCraByIds')).toBe(true);
	expect(isSupervisionPath('SupervisionWS/getResponsesSMS')).toBe(true);
	expect(isSupervisionPath('MessagesUnitairesWS/getSingleCallCra')).toBe(false);
	expect(isSupervisionPath('AdminWS/findServiceOadc')).toBe(false);
});
