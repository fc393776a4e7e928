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

/**
 * How long, from the beginning of its slot, a process of a cluster may start its call: a
 * whole minute, so that a trigger polling every minute always has a tick within its slot
 * (n8n polls at a fixed second of each minute, and a poll must make its call within that tick).
 */
const SLOT_OPEN_FRACTION = 1;

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
 * share no memory, so they share the wall clock instead: time is cut into slots, in cycles
 * of N slots counted from the epoch, and a process starts its calls only within the first
 * minute of its own slot. A slot is that minute, then a minute and the margin in which
 * nobody starts, so processes in different slots are always more than a minute apart, and
 * one process makes one call a cycle. A process picks its slot at random; two that picked
 * the same one meet, DMC refuses one of the calls, and that process moves to another slot
 * (`holdAfterRefusal`), so the cluster settles into distinct slots.
 *
 * A caller that cannot wait long (a trigger's poll: see `turnWithin`) keeps its place in
 * the queue instead, and the turn, once it comes, is kept for that caller's next attempt.
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
	/** Turns kept for callers that could not wait for them, by the caller's key. */
	private readonly kept = new Map<string, KeptTurn>();

	constructor(
		private processes = 1,
		private readonly minuteMs: () => number = () => SUPERVISION_MINUTE_MS,
		private readonly now: Clock = Date.now,
		private readonly wait: (ms: number) => Promise<void> = sleep,
		private readonly random: () => number = Math.random,
	) {
		this.setProcesses(processes);
		this.slot = Math.floor(this.random() * this.processes);
		// A process of a cluster that starts (a worker restarted after a crash, say) cannot
		// know when its previous life last called, perhaps seconds ago in this very slot.
		if (this.processes > 1) this.openAt = this.now() + this.spacingMs();
	}

	/** Raises the process count; a lower one never loosens a gate already shared. */
	setProcesses(processes: number): void {
		if (!Number.isInteger(processes) || processes < 1) {
			throw new RangeError(`n8n Processes Sharing This Service must be a whole number of at least 1, not ${processes}`);
		}
		if (processes > this.processes) this.slot = Math.floor(this.random() * processes);
		this.processes = Math.max(this.processes, processes);
	}

	/** A minute and the margin: the least time between two calls. */
	spacingMs(): number {
		const minute = this.minuteMs();
		return minute + Math.ceil(minute * SAFETY_MARGIN_FRACTION);
	}

	/** How long a call may still start after its slot began, when several processes share the service. */
	private slotOpenMs(): number {
		return Math.ceil(this.minuteMs() * SLOT_OPEN_FRACTION);
	}

	/** One process's share of the cycle: the time its calls may start in, then the spacing. */
	private slotMs(): number {
		return this.slotOpenMs() + this.spacingMs();
	}

	/** The longest a process's gate stays closed between two of its calls: the spacing alone, or one slot per process. */
	intervalMs(): number {
		return this.processes === 1 ? this.spacingMs() : this.processes * this.slotMs();
	}

	/** When the next call could start if nobody else waited: a hint for callers. */
	opensAt(): number {
		const earliest = Math.max(this.now(), this.openAt);
		if (this.processes === 1) return earliest;
		const cycle = this.intervalMs();
		const ownStart = Math.floor(earliest / cycle) * cycle + this.slot * this.slotMs();
		if (earliest < ownStart) return ownStart;
		return earliest <= ownStart + this.slotOpenMs() ? earliest : ownStart + cycle;
	}

	/** Until when a call granted now may still start: its slot's open time, or a spacing alone. */
	private startableUntil(): number {
		const now = this.now();
		if (this.processes === 1) return now + this.spacingMs();
		const cycle = this.intervalMs();
		const ownStart = Math.floor(now / cycle) * cycle + this.slot * this.slotMs();
		return Math.max(now, ownStart + this.slotOpenMs());
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
		this.openAt = Math.max(this.openAt, this.now() + this.spacingMs());
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
				if (!options?.unused) this.openAt = this.now() + this.spacingMs();
				over();
			};
		});
	}

	/**
	 * The turn for `key` if it comes within `maxWaitMs`, else undefined. The caller keeps its
	 * place in the queue all the same: when the turn comes, it is kept for `key` for as long
	 * as a call may start in it (a minute and the margin alone, the rest of the slot's open
	 * time in a cluster), and the caller's next `turnWithin` takes it at once. A turn nobody
	 * came for is given back unused. n8n's scheduled polls need this: a poll still running
	 * at the next tick loses n8n's expression engine, and its requests fail.
	 */
	async turnWithin(key: string, maxWaitMs: number): Promise<Release | undefined> {
		const kept = this.kept.get(key) ?? this.keepTurnFor(key);
		if (kept.turn !== undefined) {
			this.kept.delete(key);
			return kept.turn;
		}
		if (!this.opensWithin(maxWaitMs)) return undefined;
		return await new Promise<Release | undefined>((resolve) => {
			kept.caller?.(undefined);
			kept.caller = resolve;
			void this.wait(maxWaitMs).then(() => {
				if (kept.caller !== resolve) return;
				kept.caller = undefined;
				resolve(undefined);
			});
		});
	}

	/** Queues for a turn that will be handed to the caller of `key` waiting for it, or kept for its next attempt. */
	private keepTurnFor(key: string): KeptTurn {
		const kept: KeptTurn = {};
		this.kept.set(key, kept);
		void this.acquire().then(async (turn) => {
			if (kept.caller !== undefined) {
				this.kept.delete(key);
				kept.caller(turn);
				kept.caller = undefined;
				return;
			}
			kept.turn = turn;
			await this.wait(this.startableUntil() - this.now());
			if (this.kept.get(key) !== kept) return;
			this.kept.delete(key);
			turn({ unused: true });
		});
		return kept;
	}
}

/** A turn asked for by a caller that could not wait for it. */
interface KeptTurn {
	/** The caller waiting for it now, if any. */
	caller?: (turn: Release | undefined) => void;
	/** Once granted with nobody waiting: kept until taken, or until a call could no longer start in it. */
	turn?: Release;
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
