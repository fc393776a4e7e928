import { sleep } from 'n8n-workflow';

/** SFR's contractual cap: at most this many calls in any rolling second per DMC service. */
export const DEFAULT_MAX_CALLS_PER_SECOND = 5;

const WINDOW_MS = 1000;
/**
 * Calls are timed as they leave; DMC counts them as they arrive. A call that leaves late
 * (a busy event loop, a GC pause) could land within a second of the next ones, so each
 * slot is kept a little longer than the window.
 */
const SAFETY_MARGIN_MS = 30;

export type Clock = () => number;

/**
 * Lets at most `limit` calls start in any rolling window: a call waits until the oldest of
 * the last `limit` starts is out of the window. Waiters are served in arrival order.
 */
export class RollingWindowLimiter {
	private readonly starts: number[] = [];
	private queue: Promise<void> = Promise.resolve();

	constructor(
		private limit: number,
		private readonly windowMs = WINDOW_MS + SAFETY_MARGIN_MS,
		private readonly now: Clock = Date.now,
		private readonly wait: (ms: number) => Promise<void> = sleep,
	) {
		this.setLimit(limit);
	}

	/** Changes the cap; calls already started still count against the new one. */
	setLimit(limit: number): void {
		if (!Number.isInteger(limit) || limit < 1) {
			throw new RangeError(`The call limit must be a whole number of at least 1, not ${limit}`);
		}
		this.limit = limit;
	}

	/** Resolves when one more call may start, and counts it as started. */
	acquire(): Promise<void> {
		const turn = this.queue.then(async () => this.takeSlot());
		this.queue = turn;
		return turn;
	}

	private async takeSlot(): Promise<void> {
		for (;;) {
			const now = this.now();
			while (this.starts.length > 0 && now - this.starts[0] >= this.windowMs) this.starts.shift();
			if (this.starts.length < this.limit) {
				this.starts.push(now);
				return;
			}
			await this.wait(this.starts[0] + this.windowMs - now);
		}
	}
}

/**
 * One limiter per DMC service in this process: every execution, and every node instance
 * that uses the same service, shares it, since SFR counts calls per service. The platform's
 * host is part of the key (a sandbox is not SFR); its API version is not (the service is
 * the same whichever version path it is called through).
 */
const limiters = new Map<string, RollingWindowLimiter>();

export function limiterForService(
	host: string,
	serviceId: string,
	maxCallsPerSecond = DEFAULT_MAX_CALLS_PER_SECOND,
): RollingWindowLimiter {
	const key = JSON.stringify([host, serviceId]);
	const limiter = limiters.get(key);
	if (limiter) {
		limiter.setLimit(maxCallsPerSecond);
		return limiter;
	}
	const created = new RollingWindowLimiter(maxCallsPerSecond);
	limiters.set(key, created);
	return created;
}
