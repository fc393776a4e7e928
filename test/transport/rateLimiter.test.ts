import { sleep } from 'n8n-workflow';

import { limiterForService, RollingWindowLimiter } from '../../nodes/SfrDmc/transport/rateLimiter';

/**
 * Virtual time: `wait` registers a timer; `run` lets every caller work until all of them
 * wait, then jumps to the earliest timer. Exact and instant, whatever the machine's load.
 */
function virtualTime() {
	let now = 0;
	const timers: Array<{ at: number; resolve: () => void }> = [];
	const settle = async () => {
		for (let n = 0; n < 3; n++) await sleep(0);
	};
	return {
		now: () => now,
		wait: async (ms: number) =>
			await new Promise<void>((resolve) => {
				timers.push({ at: now + Math.max(ms, 0), resolve });
			}),
		async run<T>(work: Promise<T>): Promise<T> {
			let done = false;
			void work.finally(() => (done = true));
			await settle();
			while (!done) {
				timers.sort((a, b) => a.at - b.at);
				const next = timers.shift();
				if (!next) throw new Error('deadlock: nothing left to wait for');
				now = next.at;
				next.resolve();
				await settle();
			}
			return await work;
		},
	};
}

interface Call {
	start: number;
	end: number;
}

/**
 * The most calls DMC could count in one window, whatever instant of its [start, end]
 * each call arrived at: the most intervals meeting one window [t, t + windowMs).
 */
function worstWindow(calls: Call[], windowMs: number): number {
	let worst = 0;
	for (const anchor of calls) {
		const t = anchor.end;
		worst = Math.max(worst, calls.filter((call) => call.start < t + windowMs && call.end >= t).length);
	}
	return worst;
}

async function callThrough(limiter: RollingWindowLimiter, time: ReturnType<typeof virtualTime>, latency: number, calls: Call[]) {
	const release = await limiter.acquire();
	const start = time.now();
	await time.wait(latency);
	calls.push({ start, end: time.now() });
	release();
}

describe('RollingWindowLimiter', () => {
	it('lets 5 calls start at once and holds the 6th until a window after the first one ended', async () => {
		const time = virtualTime();
		const limiter = new RollingWindowLimiter(5, 1000, time.now, time.wait);
		const calls: Call[] = [];
		await time.run(Promise.all(Array.from({ length: 6 }, async () => await callThrough(limiter, time, 80, calls))));
		expect(calls.map((call) => call.start)).toEqual([0, 0, 0, 0, 0, 1080]);
	});

	it('never lets DMC count a 6th call in any rolling second, under 200 concurrent callers and uneven latency', async () => {
		const time = virtualTime();
		const limiter = new RollingWindowLimiter(5, 1000, time.now, time.wait);
		const calls: Call[] = [];
		const latencies = Array.from({ length: 200 }, (_, n) => [5, 80, 300, 40, 1200, 20, 90][n % 7]);
		await time.run(Promise.all(latencies.map(async (latency) => await callThrough(limiter, time, latency, calls))));
		expect(calls).toHaveLength(200);
		expect(worstWindow(calls, 1000)).toBe(5);
	});

	it('with no latency, still serves 5 calls a window: the allowance is not wasted', async () => {
		const time = virtualTime();
		const limiter = new RollingWindowLimiter(5, 1000, time.now, time.wait);
		const calls: Call[] = [];
		await time.run(Promise.all(Array.from({ length: 200 }, async () => await callThrough(limiter, time, 0, calls))));
		expect(Math.max(...calls.map((call) => call.start))).toBe(39_000);
		expect(worstWindow(calls, 1000)).toBe(5);
	});

	it('counts a call against the window until a window after it ended, however long it took', async () => {
		const time = virtualTime();
		const limiter = new RollingWindowLimiter(1, 1000, time.now, time.wait);
		const calls: Call[] = [];
		await time.run(Promise.all([callThrough(limiter, time, 5000, calls), callThrough(limiter, time, 10, calls)]));
		expect(calls).toEqual([
			{ start: 0, end: 5000 },
			{ start: 6000, end: 6010 },
		]);
	});

	it('frees at once a slot given back unused, and still counts one that carried a call', async () => {
		const time = virtualTime();
		const limiter = new RollingWindowLimiter(1, 1000, time.now, time.wait);
		const starts: number[] = [];
		const take = async (unused: boolean) => {
			const release = await limiter.acquire();
			starts.push(time.now());
			release({ unused });
		};
		await time.run(Promise.all([take(true), take(false), take(false)]));
		expect(starts).toEqual([0, 0, 1000]);
	});

	it('keeps its default window a little over one second', async () => {
		const time = virtualTime();
		const limiter = new RollingWindowLimiter(1, undefined, time.now, time.wait);
		const calls: Call[] = [];
		await time.run(Promise.all([callThrough(limiter, time, 0, calls), callThrough(limiter, time, 0, calls)]));
		expect(calls[1].start).toBeGreaterThan(1000);
		expect(calls[1].start).toBeLessThanOrEqual(1010);
	});

	it('refuses a limit that is not a whole number of at least 1', () => {
		expect(() => new RollingWindowLimiter(0)).toThrow(/at least 1/);
		expect(() => new RollingWindowLimiter(2.5)).toThrow(/whole number/);
	});
});

describe('limiterForService', () => {
	it('shares one limiter per DMC host and service, whatever the API version or execution', () => {
		const a = limiterForService('dmc.example:443', 'service-a');
		expect(limiterForService('dmc.example:443', 'service-a')).toBe(a);
		expect(limiterForService('dmc.example:443', 'service-b')).not.toBe(a);
		expect(limiterForService('127.0.0.1:9999', 'service-a')).not.toBe(a);
	});

	/** How many acquires resolve at once on a limiter nobody releases. */
	async function slotsAtOnce(limiter: RollingWindowLimiter, tries: number): Promise<number> {
		let granted = 0;
		for (let n = 0; n < tries; n++) void limiter.acquire().then(() => granted++);
		for (let n = 0; n < 10; n++) await sleep(0);
		return granted;
	}

	it.each([
		['lower then higher', [2, 5]],
		['higher then lower', [5, 2]],
		['lower, higher, lower again', [2, 5, 3]],
	])('keeps the lowest cap any credential of the service asked for (%s)', async (_, caps) => {
		const service = `service-caps-${caps.join('-')}`;
		let limiter: RollingWindowLimiter | undefined;
		for (const cap of caps) limiter = limiterForService('dmc.example:443', service, cap);
		expect(await slotsAtOnce(limiter as RollingWindowLimiter, 6)).toBe(Math.min(...caps));
	});
});
