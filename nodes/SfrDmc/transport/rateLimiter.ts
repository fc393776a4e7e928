import { sleep } from 'n8n-workflow';

/** SFR's contractual cap: at most this many calls in any rolling second per DMC service. */
export const DEFAULT_MAX_CALLS_PER_SECOND = 5;

/**
 * DMC counts a call when it arrives, which we cannot see: it is some instant between the
 * moment we start it and the moment its answer (or failure) comes back. A slot is therefore
 * held from the call's start until one window after its end. Whatever the network did, at
 * most `limit` calls can then have arrived in any window: the next call in a slot starts a
 * full window after the previous one ended, so after it arrived. A 5 ms margin covers timer
 * rounding. The price is the latency: each slot serves one call per (window + latency).
 */
const WINDOW_MS = 1005;

/**
 * The calls per second one process may make when `processes` n8n processes send for the same
 * service. Each process counts only its own calls (a verified node reaches neither Redis nor
 * the other processes), so the cap is split statically: rounded down, so that the processes
 * together stay within the cap, but at least 1, since a process that may not call at all
 * would hang. When `processes` exceeds the cap, the floor of 1 means the cap cannot be held.
 */
export function callsPerSecondPerProcess(maxCallsPerSecond: number, processes = 1): number {
	for (const [name, value] of [
		['Max Calls per Second', maxCallsPerSecond],
		['n8n Processes Sharing This Service', processes],
	] as const) {
		if (!Number.isInteger(value) || value < 1) {
			throw new RangeError(`${name} must be a whole number of at least 1, not ${JSON.stringify(value)}`);
		}
	}
	return Math.max(1, Math.floor(maxCallsPerSecond / processes));
}

export type Clock = () => number;

/**
 * Call when the call is over (answered or failed): its slot stays taken one window more.
 * `{ unused: true }` gives back a slot no call was made in (the sending queue's waiting
 * messages were all withdrawn meanwhile): it frees at once, as nothing reached DMC.
 */
export type Release = (options?: { unused?: boolean }) => void;

/**
 * Lets a call start only while fewer than `limit` calls are in flight or ended within the
 * last window. Waiters are served in arrival order.
 */
export class RollingWindowLimiter {
	private readonly ends: number[] = [];
	private inFlight = 0;
	private queue: Promise<unknown> = Promise.resolve();
	private wake: (() => void) | undefined;

	constructor(
		private limit: number,
		private readonly windowMs = WINDOW_MS,
		private readonly now: Clock = Date.now,
		private readonly wait: (ms: number) => Promise<void> = sleep,
	) {
		this.setLimit(limit);
	}

	/** Changes the cap; calls already counted still count against the new one. */
	setLimit(limit: number): void {
		if (!Number.isInteger(limit) || limit < 1) {
			throw new RangeError(`The call limit must be a whole number of at least 1, not ${limit}`);
		}
		this.limit = limit;
	}

	/** Resolves when one more call may start; call the returned function when it is over. */
	acquire(): Promise<Release> {
		const turn = this.queue.then(async () => await this.takeSlot());
		this.queue = turn;
		return turn;
	}

	private async takeSlot(): Promise<Release> {
		for (;;) {
			const now = this.now();
			while (this.ends.length > 0 && now - this.ends[0] >= this.windowMs) this.ends.shift();
			if (this.inFlight + this.ends.length < this.limit) {
				this.inFlight++;
				let released = false;
				return (options) => {
					if (released) return;
					released = true;
					this.inFlight--;
					if (!options?.unused) this.ends.push(this.now());
					this.wake?.();
				};
			}
			// Wait for the oldest ended call to leave the window, or for a call in flight to end.
			const woken = new Promise<void>((resolve) => (this.wake = resolve));
			const waits = [woken];
			if (this.ends.length > 0) waits.push(this.wait(this.ends[0] + this.windowMs - now));
			await Promise.race(waits);
			this.wake = undefined;
		}
	}
}

/**
 * One limiter per DMC service in this process: every execution, and every node instance
 * that uses the same service, shares it, since SFR counts calls per service. The platform's
 * host is part of the key (a sandbox is not SFR); its API version is not (the service is
 * the same whichever version path it is called through). Its cap only ever goes down: a
 * raised cap takes effect when n8n restarts.
 */
const limiters = new Map<string, { limiter: RollingWindowLimiter; cap: number }>();

export function limiterForService(host: string, serviceId: string, maxCallsPerSecond = DEFAULT_MAX_CALLS_PER_SECOND): RollingWindowLimiter {
	const key = JSON.stringify([host, serviceId]);
	const shared = limiters.get(key);
	if (!shared) {
		const created = { limiter: new RollingWindowLimiter(maxCallsPerSecond), cap: maxCallsPerSecond };
		limiters.set(key, created);
		return created.limiter;
	}
	// Two credentials of one service may ask for different caps (one taken over from an old
	// contract, say). Taking the latest would flip the shared cap at every connect, and the
	// higher one could push the service past what the other knows SFR allows. The lowest
	// cap asked for in this process is the only one safe for both.
	if (maxCallsPerSecond < shared.cap) {
		shared.limiter.setLimit(maxCallsPerSecond);
		shared.cap = maxCallsPerSecond;
	}
	return shared.limiter;
}
