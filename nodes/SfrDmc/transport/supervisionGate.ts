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
 * In a cluster, how long after its slot begins a call may still start: a second in most
 * slots, 40 s in the pollers' slot. A trigger's poll must make its call during one of n8n's
 * ticks (see `turnWithin`), which come at a fixed second of each minute, and it may wait
 * 20 s for the turn: a slot open for 40 s then meets some tick wherever it falls.
 */
const SLOT_OPEN_FRACTION = 1 / 60;
const POLL_SLOT_OPEN_FRACTION = 2 / 3;

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
 * share no memory, so they share the wall clock instead: time is cut into cycles of N
 * slots counted from the epoch, and a process starts its calls only at the beginning of its
 * own slot, after which nobody starts a call for a minute and the margin. Processes in
 * different slots are then always more than a minute apart, and each makes one call a
 * cycle. Slot 0 opens for 40 s instead of a second: the process whose triggers poll (n8n's
 * main in queue mode) takes it, the others pick one of the rest at random. Two processes in
 * one slot meet, DMC refuses one of the calls, and that process moves to another slot
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
	/** Whether triggers poll through this gate (see `turnWithin`): they need the pollers' slot. */
	private polls = false;
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
		this.slot = this.pickSlot();
		// A process of a cluster that starts (a worker restarted after a crash, say) cannot
		// know when its previous life last called, perhaps seconds ago in this very slot.
		if (this.processes > 1) this.openAt = this.now() + this.spacingMs();
	}

	/** Raises the process count; a lower one never loosens a gate already shared. */
	setProcesses(processes: number): void {
		if (!Number.isInteger(processes) || processes < 1) {
			throw new RangeError(`n8n Processes Sharing This Service must be a whole number of at least 1, not ${processes}`);
		}
		const raised = processes > this.processes;
		this.processes = Math.max(this.processes, processes);
		if (raised) this.slot = this.pickSlot();
	}

	/** Takes the pollers' slot, once: triggers poll through this gate. */
	servePolls(): void {
		if (this.polls) return;
		this.polls = true;
		this.slot = this.pickSlot();
	}

	/** The pollers' slot for a process whose triggers poll, one of the others at random otherwise. */
	private pickSlot(): number {
		if (this.polls || this.processes === 1) return 0;
		return 1 + Math.floor(this.random() * (this.processes - 1));
	}

	/** A minute and the margin: the least time between two calls. */
	spacingMs(): number {
		const minute = this.minuteMs();
		return minute + Math.ceil(minute * SAFETY_MARGIN_FRACTION);
	}

	/** How long after `slot` begins a call may still start in it. */
	private slotOpenMs(slot: number): number {
		return Math.ceil(this.minuteMs() * (slot === 0 ? POLL_SLOT_OPEN_FRACTION : SLOT_OPEN_FRACTION));
	}

	/** A slot's share of the cycle: the time its calls may start in, then the spacing. */
	private slotMs(slot: number): number {
		return this.slotOpenMs(slot) + this.spacingMs();
	}

	/** The longest a process's gate stays closed between two of its calls: the spacing alone, or a cycle. */
	intervalMs(): number {
		if (this.processes === 1) return this.spacingMs();
		return this.slotMs(0) + (this.processes - 1) * this.slotMs(1);
	}

	/** Where this process's slot begins in the cycle around `at`, and until when a call may start in it. */
	private ownSlotAround(at: number): { start: number; startableUntil: number } {
		const start =
			Math.floor(at / this.intervalMs()) * this.intervalMs() + (this.slot === 0 ? 0 : this.slotMs(0) + (this.slot - 1) * this.slotMs(1));
		return { start, startableUntil: start + this.slotOpenMs(this.slot) };
	}

	/** When the next call could start if nobody else waited: a hint for callers. */
	opensAt(): number {
		const earliest = Math.max(this.now(), this.openAt);
		if (this.processes === 1) return earliest;
		const own = this.ownSlotAround(earliest);
		if (earliest < own.start) return own.start;
		return earliest <= own.startableUntil ? earliest : own.start + this.intervalMs();
	}

	/** Until when a call granted now may still start: its slot's open time, or a spacing alone. */
	private startableUntil(): number {
		const now = this.now();
		if (this.processes === 1) return now + this.spacingMs();
		return Math.max(now, this.ownSlotAround(now).startableUntil);
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
		this.servePolls();
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
