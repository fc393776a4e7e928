import { limiterForService, RollingWindowLimiter } from '../../nodes/SfrDmc/transport/rateLimiter';

/** A clock that only moves when a caller waits: the test is exact, not timed. */
function virtualClock() {
	let now = 0;
	return {
		now: () => now,
		wait: async (ms: number) => {
			now += Math.max(ms, 0);
			await Promise.resolve();
		},
	};
}

/** Most starts found in any window of `windowMs` (a start at t counts in [t, t + windowMs)). */
function busiestWindow(starts: number[], windowMs: number): number {
	const sorted = [...starts].sort((a, b) => a - b);
	let most = 0;
	for (let i = 0; i < sorted.length; i++) {
		let j = i;
		while (j < sorted.length && sorted[j] - sorted[i] < windowMs) j++;
		most = Math.max(most, j - i);
	}
	return most;
}

describe('RollingWindowLimiter', () => {
	it('lets 5 calls start at once and holds the 6th until the window has passed', async () => {
		const clock = virtualClock();
		const limiter = new RollingWindowLimiter(5, 1000, clock.now, clock.wait);
		const starts: number[] = [];
		for (let n = 0; n < 6; n++) {
			await limiter.acquire();
			starts.push(clock.now());
		}
		expect(starts).toEqual([0, 0, 0, 0, 0, 1000]);
	});

	it('never allows a 6th call in any rolling second, under 200 concurrent callers', async () => {
		const clock = virtualClock();
		const limiter = new RollingWindowLimiter(5, 1000, clock.now, clock.wait);
		const starts: number[] = [];
		await Promise.all(
			Array.from({ length: 200 }, async () => {
				await limiter.acquire();
				starts.push(clock.now());
			}),
		);
		expect(starts).toHaveLength(200);
		expect(busiestWindow(starts, 1000)).toBe(5);
		// And it does not waste the allowance: 200 calls take 39 full windows.
		expect(Math.max(...starts)).toBe(39_000);
	});

	it('counts calls that started before a burst', async () => {
		const clock = virtualClock();
		const limiter = new RollingWindowLimiter(5, 1000, clock.now, clock.wait);
		const starts: number[] = [];
		for (const pause of [0, 300, 300, 300, 50]) {
			await clock.wait(pause);
			await limiter.acquire();
			starts.push(clock.now());
		}
		await Promise.all(
			Array.from({ length: 12 }, async () => {
				await limiter.acquire();
				starts.push(clock.now());
			}),
		);
		expect(busiestWindow(starts, 1000)).toBeLessThanOrEqual(5);
		expect(starts[5]).toBe(1000);
	});

	it('keeps its default window a little over one second, as margin for the network', async () => {
		const clock = virtualClock();
		const limiter = new RollingWindowLimiter(5, undefined, clock.now, clock.wait);
		for (let n = 0; n < 6; n++) await limiter.acquire();
		expect(clock.now()).toBeGreaterThan(1000);
		expect(clock.now()).toBeLessThanOrEqual(1050);
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
});
