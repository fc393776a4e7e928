'use strict';

/**
 * Exact rolling-window call counter, one window per key (serviceId).
 *
 * A call is a violation when, at its arrival time t, at least `limit` earlier calls
 * with the same key arrived in the preceding window, i.e. at times t' with
 * t - windowMs < t' <= t. Arrivals are kept in arrival order (ties keep insertion
 * order), so a call recorded slightly late (its body was read after a later call's)
 * is still judged in its true place; stats are recomputed from the full log and
 * are therefore exact.
 */
class RollingWindow {
	constructor({ limit, windowMs }) {
		this.limit = limit;
		this.windowMs = windowMs;
		this.logs = new Map();
	}

	/**
	 * Record a call arriving at time `t` (ms, may be fractional) for `key`.
	 * @returns {{ violation: boolean, inWindow: number }} inWindow = earlier calls within the window
	 */
	record(key, t) {
		let log = this.logs.get(key);
		if (!log) {
			log = [];
			this.logs.set(key, log);
		}
		let index = log.length;
		while (index > 0 && log[index - 1] > t) index--;
		log.splice(index, 0, t);
		let inWindow = 0;
		for (let i = index - 1; i >= 0 && t - log[i] < this.windowMs; i--) inWindow++;
		return { violation: inWindow >= this.limit, inWindow };
	}

	/** Exact totals over everything recorded since the last reset. */
	summary() {
		let calls = 0;
		let violations = 0;
		let peak = 0;
		let lastAt = null;
		const byKey = {};
		for (const [key, log] of this.logs) {
			let start = 0;
			let keyViolations = 0;
			for (let i = 0; i < log.length; i++) {
				while (log[i] - log[start] >= this.windowMs) start++;
				const earlier = i - start;
				if (earlier >= this.limit) keyViolations++;
				peak = Math.max(peak, earlier + 1);
			}
			calls += log.length;
			violations += keyViolations;
			if (log.length > 0 && (lastAt === null || log[log.length - 1] > lastAt)) lastAt = log[log.length - 1];
			byKey[key] = { calls: log.length, violations: keyViolations };
		}
		return { calls, violations, peak, byKey, lastAt };
	}

	reset() {
		this.logs.clear();
	}
}

module.exports = { RollingWindow };
