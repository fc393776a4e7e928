import { sleep } from 'n8n-workflow';

import type { Clock, Release } from './rateLimiter';
import { ReportLookupQueue } from './reportLookupQueue';

/**
 * The vendor guide (§2.4): "L'ensemble de ces méthodes est limité à un appel par minute",
 * then a second call "à une de ces méthodes" within a minute raises an exception. The first
 * sentence reads as one call a minute for the whole service, the second as one per method.
 * We take the stricter reading: one SupervisionWS call a minute per service, whatever the
 * method, so that a Get Replies and a Get Status a second apart never collide either.
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

/**
 * One SupervisionWS call at a time per service, each starting at least an interval after
 * the previous one's answer. With `processes` n8n processes sharing the service, each
 * counting only its own calls, a process calls at most once per `processes` minutes: the
 * cluster keeps the rule's pace, though two processes can still land within one minute of
 * each other (they share no clock); DMC then refuses one, which DmcClient waits out.
 * Waiters are served in arrival order.
 */
export class SupervisionGate {
	/** Settles when the call holding the turn (or the last one waiting for it) is over. */
	private tail: Promise<unknown> = Promise.resolve();
	/** The earliest instant the next call may start. */
	private openAt = 0;
	/** `findCraByIds` look-ups waiting for the turn, merged into as few calls as possible. */
	readonly reportLookups = new ReportLookupQueue();

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

	/** When the next call could start if nobody else waited: a hint for callers. */
	opensAt(): number {
		return Math.max(this.now(), this.openAt);
	}

	/**
	 * Resolves when a SupervisionWS call may start; call the returned function when its
	 * answer (or its failure) is in. `{ unused: true }` gives the turn back at once: no call
	 * was made.
	 */
	acquire(): Promise<Release> {
		let over!: () => void;
		const done = new Promise<void>((resolve) => (over = resolve));
		const granted = this.tail.then(async () => {
			for (let left = this.openAt - this.now(); left > 0; left = this.openAt - this.now()) await this.wait(left);
		});
		this.tail = granted.then(async () => await done);
		return granted.then(() => {
			let released = false;
			return (options) => {
				if (released) return;
				released = true;
				if (!options?.unused) this.openAt = this.now() + this.intervalMs();
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
