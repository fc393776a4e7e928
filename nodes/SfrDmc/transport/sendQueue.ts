import { MAX_MESSAGES_PER_CALL, packIntoBatches, type Batch, type ItemMessages } from '../domain/batches';
import type { Release } from './rateLimiter';

/** Where calls get their slot: the service's rate limiter. */
export interface SlotSource {
	acquire(): Promise<Release>;
}

/**
 * Makes one call with the given messages in a slot the queue already holds, and resolves
 * with what the call gave for all of them (or throws the call's failure). It owns the slot
 * from then on. `callers` are the callers of the call's items, oldest first, one per item:
 * whatever runs once per call (resolving an answer lost in doubt, say) runs here, with
 * what each caller asked for.
 */
export type SendCall<M, R, C> = (messages: readonly M[], slot: Release, callers: readonly C[]) => Promise<R>;

/**
 * What became of one queued item: its call's result, the item's messages being those at
 * `offset` onwards in that call; the call's failure, shared by every item in it; or
 * withdrawn by its execution before any call took it.
 */
export type QueuedOutcome<R> = { result: R; offset: number } | { error: unknown } | { withdrawn: true };

/** One execution's use of the queue. */
export interface QueueSession<M, R> {
	/**
	 * Queues items, each whole and in order (none if one cannot fit in a call); each
	 * outcome resolves when the item's call is over or it is withdrawn.
	 */
	add(items: ReadonlyArray<readonly M[]>): Array<Promise<QueuedOutcome<R>>>;
	/** Withdraws every item of this session that no call has taken yet. */
	withdraw(): void;
}

interface Entry<M, R, C> extends ItemMessages<M> {
	caller: C;
	/** A call took it: withdrawing no longer can. */
	taken: boolean;
	settle: (outcome: QueuedOutcome<R>) => void;
}

/** How many calls of one queue may wait on DMC at once; the limiter paces their start. */
const MAX_CALLS_IN_FLIGHT = 5;

/**
 * How many of the oldest waiting items one packing considers. Packing only the next 20
 * (enough for one call) wastes about 7% of the calls for items of 1 to 20 messages; a
 * thousand packs as well as the whole list would, and bounds the work per packing.
 */
const MAX_ITEMS_PACKED = 1000;

/**
 * Messages of every execution that sends through one DMC login, waiting for a call. A
 * call's messages are chosen only when the limiter grants its slot: an execution alone
 * goes out at once, and while calls queue for the limiter (a burst), the messages that
 * arrived meanwhile share the next calls, up to 20 each, each item whole: the oldest item
 * goes in the next call, with the others that pack best among the next in line.
 * Every call runs the queue's one `sendCall`, told whose items it carries.
 */
export class SendQueue<M, R, C> {
	private waiting: Array<Entry<M, R, C>> = [];
	/** The packing of the waiting items still to go, call by call; dropped when they change. */
	private plan: Array<Batch<Entry<M, R, C>>> = [];
	private inFlight = 0;
	private asking = false;
	private nextEntry = 0;

	constructor(
		private readonly slots: SlotSource,
		private readonly sendCall: SendCall<M, R, C>,
		private readonly maxPerCall = MAX_MESSAGES_PER_CALL,
		private readonly maxInFlight = MAX_CALLS_IN_FLIGHT,
	) {}

	/** One execution's session; `caller` is what the calls carrying its items are told of it. */
	join(caller: C): QueueSession<M, R> {
		const mine = new Set<Entry<M, R, C>>();
		return {
			add: (items) => {
				const wrong = items.find((messages) => messages.length === 0 || messages.length > this.maxPerCall);
				if (wrong) throw new RangeError(`An item of ${wrong.length} messages cannot go in one call (1 to ${this.maxPerCall})`);
				const outcomes = items.map(
					async (messages) =>
						await new Promise<QueuedOutcome<R>>((resolve) => {
							const entry: Entry<M, R, C> = {
								itemIndex: this.nextEntry++,
								messages: [...messages],
								caller,
								taken: false,
								settle: (outcome) => {
									mine.delete(entry);
									resolve(outcome);
								},
							};
							mine.add(entry);
							this.waiting.push(entry);
							this.plan = [];
						}),
				);
				this.pump();
				return outcomes;
			},
			withdraw: () => {
				const leaving = [...mine].filter((entry) => !entry.taken);
				if (leaving.length === 0) return;
				const gone = new Set(leaving);
				this.waiting = this.waiting.filter((entry) => !gone.has(entry));
				this.plan = [];
				for (const entry of leaving) entry.settle({ withdrawn: true });
			},
		};
	}

	/** Asks the limiter for one slot at a time, so that a call's messages are picked as late as possible. */
	private pump(): void {
		if (this.asking || this.waiting.length === 0 || this.inFlight >= this.maxInFlight) return;
		this.asking = true;
		this.slots.acquire().then(
			(slot) => {
				this.asking = false;
				this.startCall(slot);
				this.pump();
			},
			(error: unknown) => {
				// The limiter never fails; if it did, no call could start, so every waiting item fails.
				this.asking = false;
				const failed = this.waiting;
				this.waiting = [];
				this.plan = [];
				for (const entry of failed) entry.settle({ error });
			},
		);
	}

	private startCall(slot: Release): void {
		// Packing puts the oldest item in the first call, so none waits for ever; the others
		// in it need not be the next in line (better packed), so they leave by name. While
		// nothing is added or withdrawn, the next calls follow the same packing.
		if (this.plan.length === 0) this.plan = packIntoBatches(this.waiting.slice(0, MAX_ITEMS_PACKED), this.maxPerCall);
		const call = this.plan.shift();
		if (!call) {
			slot({ unused: true });
			return;
		}
		const taken = new Set(call.items);
		this.waiting = this.waiting.filter((entry) => !taken.has(entry));
		for (const entry of call.items) entry.taken = true;
		this.inFlight++;
		const offsets: number[] = [];
		let offset = 0;
		for (const entry of call.items) {
			offsets.push(offset);
			offset += entry.messages.length;
		}
		const settleAll = (outcome: (index: number) => QueuedOutcome<R>) => call.items.forEach((entry, index) => entry.settle(outcome(index)));
		void (async () => {
			try {
				const result = await this.sendCall(
					call.messages,
					slot,
					call.items.map((entry) => entry.caller),
				);
				settleAll((index) => ({ result, offset: offsets[index] }));
			} catch (error) {
				settleAll(() => ({ error }));
			} finally {
				// Releasing is idempotent: this frees the slot of a call that threw before it could.
				slot();
				this.inFlight--;
				this.pump();
			}
		})();
	}
}
