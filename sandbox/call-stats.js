'use strict';

/**
 * Counters about DMC calls. Rate figures (violations, peak) come from the
 * rolling windows, which are exact; these are the simple tallies.
 */
class CallStats {
	constructor() {
		this.reset();
	}

	reset() {
		this.calls = 0;
		this.byMethod = {};
		this.failures = 0;
		this.authFailures = 0;
		this.refused = 0;
		this.refusedTooFrequent = 0;
		this.faultsApplied = 0;
	}

	countCall(methodName) {
		this.calls++;
		this.byMethod[methodName] = (this.byMethod[methodName] || 0) + 1;
	}

	countAnswer(envelope) {
		if (envelope.success) return;
		this.failures++;
		if (envelope.errorCode === 'authentication_failed') this.authFailures++;
	}

	snapshot() {
		return {
			calls: this.calls,
			callsByMethod: { ...this.byMethod },
			failures: this.failures,
			authFailures: this.authFailures,
			refused: this.refused,
			refusedTooFrequent: this.refusedTooFrequent,
			faultsApplied: this.faultsApplied,
		};
	}
}

module.exports = { CallStats };
