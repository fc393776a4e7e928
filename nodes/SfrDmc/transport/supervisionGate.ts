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
 * DMC counts a call at its arrival, some instant between its start and its answer, on its
 * own clock. A call's turn is therefore held from its start until a minute after its answer,
 * plus this fraction of the minute (2 s of a real minute), which also covers two processes'
 * clocks and arrival delays: two seconds are cheap beside a minute.
 */
const SAFETY_MARGIN_FRACTION = 1 / 30;

/** How late in its slot a process may still start its call (see SupervisionGate). */
const SLOT_START_FRACTION = 1 / 60;

/** Calls paths of this service go through the gate. */
export const SUPERVISION_PREFIX = 'SupervisionWS/';

/** Whether a call to `path` (`<Service>/<method>`) falls under the once-a-minute rule. */
export function isSupervisionPath(path: string): boolean {
	return path.startsWith(SUPERVISION_PREFIX);
}

/**
 * One SupervisionWS call at a time per service, the next starting at least a minute (and
 * the margin) after the previous one's answer. Waiters are served in arrival order.
 *
 * Several n8n processes sharing the service ("n8n Processes Sharing This Service" = N)
 * share no memory, so they share the wall clock instead: time is cut into slots of a
 * minute and the margin, in cycles of N slots counted from the epoch, and a process starts
 * its calls only at the beginning of its own slot of the cycle. Processes in different
 * slots are then always more than a minute apart. A process picks its slot at random; two
 * that picked the same one meet, DMC refuses one of the calls, and that process moves to
 * another slot (`holdAfterRefusal`), so the cluster settles into distinct slots.
 */
export class SupervisionGate {
	/** Settles when the call holding the turn (or the last one waiting for it) is over. */
	private tail: Promise<unknown> = Promise.resolve();
	/** The earliest instant the next call may start. */
	private openAt = 0;
	/** This process's slot in each cycle, when several processes share the service. */
	private slot = 0;
	/** `findCraByIds` look-ups waiting for the turn, merged into as few calls as possible. */
	readonly reportLookups = new ReportLookupQueue();

	constructor(
		private processes = 1,
		private readonly minuteMs: () => number = () => SUPERVISION_MINUTE_MS,
		private readonly now: Clock = Date.now,
		private readonly wait: (ms: number) => Promise<void> = sleep,
		private readonly random: () => number = Math.random,
	) {
		this.setProcesses(processes);
		this.slot = Math.floor(this.random() * this.processes);
	}

	/** Raises the process count; a lower one never loosens a gate already shared. */
	setProcesses(processes: number): void {
		if (!Number.isInteger(processes) || processes < 1) {
			throw new RangeError(`n8n Processes Sharing This Service must be a whole number of at least 1, not ${processes}`);
		}
		if (processes > this.processes) this.slot = Math.floor(this.random() * processes);
		this.processes = Math.max(this.processes, processes);
	}

	/** A minute and the margin: the least time between two calls, and one process's slot. */
	slotMs(): number {
		const minute = this.minuteMs();
		return minute + Math.ceil(minute * SAFETY_MARGIN_FRACTION);
	}

	/** The longest a process's gate stays closed between two of its calls: one slot per process. */
	intervalMs(): number {
		return this.processes * this.slotMs();
	}

	/** When the next call could start if nobody else waited: a hint for callers. */
	opensAt(): number {
		const earliest = Math.max(this.now(), this.openAt);
		if (this.processes === 1) return earliest;
		const cycle = this.intervalMs();
		const ownStart = Math.floor(earliest / cycle) * cycle + this.slot * this.slotMs();
		const latestStart = ownStart + Math.ceil(this.minuteMs() * SLOT_START_FRACTION);
		if (earliest < ownStart) return ownStart;
		return earliest <= latestStart ? earliest : ownStart + cycle;
	}

	/** Whether a call asked now would start within `ms` (other waiters aside). */
	opensWithin(ms: number): boolean {
		return this.opensAt() - this.now() <= ms;
	}

	/**
	 * After DMC refused a call as too frequent, someone else called within our minute. Alone
	 * (one process), that is another client on its own pace, perhaps much like ours: a random
	 * part of a minute more breaks the step. In a cluster, it is a process in our slot: move
	 * to another slot.
	 */
	holdAfterRefusal(): void {
		this.openAt = Math.max(this.openAt, this.now() + this.slotMs());
		if (this.processes === 1) this.openAt += Math.floor(this.random() * this.minuteMs());
		else this.slot = (this.slot + 1 + Math.floor(this.random() * (this.processes - 1))) % this.processes;
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
			for (let left = this.opensAt() - this.now(); left > 0; left = this.opensAt() - this.now()) await this.wait(left);
		});
		this.tail = granted.then(async () => await done);
		return granted.then(() => {
			let released = false;
			return (options) => {
				if (released) return;
				released = true;
				if (!options?.unused) this.openAt = this.now() + this.slotMs();
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
