import { sleep } from 'n8n-workflow';

import type { Clock, Release } from './rateLimiter';

/**
 * The vendor guide (§2.4): every SupervisionWS method takes at most one call a minute, and
 * a second call to one of them less than a minute after the first raises an exception.
 * The rule is stated per method ("à une de ces méthodes"), so each method has its own turn.
 */
export const SUPERVISION_MINUTE_MS = 60_000;

/**
 * As for the limiter's slots, DMC counts a call at its arrival, some instant between its
 * start and its answer. A method's turn is therefore held from a call's start until a
 * minute after its answer, plus this fraction of the minute (1 s of a real minute): DMC
 * measures on its own clock and rounds who knows how, and a second is cheap beside a minute.
 */
const SAFETY_MARGIN_FRACTION = 1 / 60;

/** Calls paths of this service go through the gate. */
export const SUPERVISION_PREFIX = 'SupervisionWS/';

/** Whether a call to `path` (`<Service>/<method>`) falls under the once-a-minute rule. */
export function isSupervisionPath(path: string): boolean {
	return path.startsWith(SUPERVISION_PREFIX);
}

interface MethodTurn {
	/** Settles when the call holding the turn (or the last one waiting for it) is over. */
	tail: Promise<unknown>;
	/** The earliest instant the next call may start. */
	openAt: number;
}

/**
 * One call at a time per SupervisionWS method, each starting at least an interval after the
 * previous one's answer. With `processes` n8n processes sharing the service, each counting
 * only its own calls, a process calls a method at most once per `processes` minutes, so the
 * cluster as a whole keeps the rule. Waiters are served in arrival order.
 */
export class SupervisionGate {
	private readonly turns = new Map<string, MethodTurn>();

	constructor(
		private processes = 1,
		private readonly minuteMs: () => number = () => SUPERVISION_MINUTE_MS,
		private readonly now: Clock = Date.now,
		private readonly wait: (ms: number) => Promise<void> = sleep,
	) {
		this.setProcesses(processes);
	}

	/** Raises the process count; a lower one never loosens a gate already shared. */
	setProcesses(processes: number): void {
		if (!Number.isInteger(processes) || processes < 1) {
			throw new RangeError(`n8n Processes Sharing This Service must be a whole number of at least 1, not ${processes}`);
		}
		this.processes = Math.max(this.processes, processes);
	}

	/** How long a method stays closed after a call's answer. */
	intervalMs(): number {
		const minute = this.minuteMs();
		return this.processes * minute + Math.ceil(minute * SAFETY_MARGIN_FRACTION);
	}

	/** When the next call of `method` could start if nobody else waited: a hint for callers. */
	opensAt(method: string): number {
		return Math.max(this.now(), this.turns.get(method)?.openAt ?? 0);
	}

	/**
	 * Resolves when a call of `method` may start; call the returned function when its answer
	 * (or its failure) is in. `{ unused: true }` gives the turn back at once: no call was made.
	 */
	acquire(method: string): Promise<Release> {
		const turn = this.turns.get(method) ?? { tail: Promise.resolve(), openAt: 0 };
		this.turns.set(method, turn);
		let over!: () => void;
		const done = new Promise<void>((resolve) => (over = resolve));
		const granted = turn.tail.then(async () => {
			for (let left = turn.openAt - this.now(); left > 0; left = turn.openAt - this.now()) await this.wait(left);
		});
		turn.tail = granted.then(async () => await done);
		return granted.then(() => {
			let released = false;
			return (options) => {
				if (released) return;
				released = true;
				if (!options?.unused) turn.openAt = this.now() + this.intervalMs();
				over();
			};
		});
	}
}

/**
 * The minute the gates count in. Only tests change it, together with the sandbox's
 * interval, so that suites need not wait real minutes; it never makes the gate looser than
 * the DMC it talks to.
 */
let minuteMs = SUPERVISION_MINUTE_MS;

export function scaleSupervisionMinuteForTests(testMinuteMs: number): void {
	if (!Number.isFinite(testMinuteMs) || testMinuteMs <= 0)
		throw new RangeError(`A minute must be a positive duration, not ${testMinuteMs}`);
	minuteMs = testMinuteMs;
}

/**
 * One gate per DMC service in this process, shared by every execution, node and trigger,
 * keyed like the limiters (platform host and service id), since DMC's rule is per service.
 */
const gates = new Map<string, SupervisionGate>();

export function gateForService(host: string, serviceId: string, processes = 1): SupervisionGate {
	const key = JSON.stringify([host, serviceId]);
	const shared = gates.get(key);
	if (shared) {
		shared.setProcesses(processes);
		return shared;
	}
	const created = new SupervisionGate(processes, () => minuteMs);
	gates.set(key, created);
	return created;
}
