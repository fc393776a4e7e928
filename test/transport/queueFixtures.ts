import type { DmcClient, DmcMessage } from '../../nodes/SfrDmc/transport/DmcClient';
import type { Release } from '../../nodes/SfrDmc/transport/rateLimiter';

/** Lets every pending promise callback run (no timer involved). */
export async function settle(rounds = 20): Promise<void> {
	for (let n = 0; n < rounds; n++) await Promise.resolve();
}

/**
 * A limiter whose slots the test hands out: `grant()` resolves the oldest waiting
 * `acquire()`, or with `free` every acquire is granted at once. It counts the slots given
 * back used and unused.
 */
export function manualSlots(options: { free?: boolean } = {}) {
	const waiting: Array<(release: Release) => void> = [];
	const counts = { used: 0, unused: 0 };
	const release: () => Release = () => {
		let done = false;
		return (how) => {
			if (done) return;
			done = true;
			if (how?.unused) counts.unused++;
			else counts.used++;
		};
	};
	return {
		counts,
		acquire: async () => (options.free ? release() : await new Promise<Release>((resolve) => waiting.push(resolve))),
		get asked() {
			return waiting.length;
		},
		grant(): boolean {
			const next = waiting.shift();
			next?.(release());
			return next !== undefined;
		},
	};
}

export type Slots = ReturnType<typeof manualSlots>;

export interface RecordedCall {
	/** The client (execution) whose request function made the call. */
	by: string;
	messages: DmcMessage[];
	/** Settles the call: ids `<to>-id`, or the given failure. */
	answer(failure?: Error): void;
}

let logins = 0;

/** A fresh login key: queues are per login and per process, so each test gets its own. */
export const newLogin = () => `test-login-${++logins}`;

/**
 * Clients of one login whose `batchSingleCall` waits until the test answers it, unless
 * `autoAnswer` settles each call at once (then `fail` decides which calls fail).
 */
export function heldClients(
	slots: Slots,
	options: { autoAnswer?: boolean; fail?: (messages: readonly DmcMessage[]) => Error | undefined } = {},
) {
	const loginKey = newLogin();
	const calls: RecordedCall[] = [];
	const client = (name: string) =>
		({
			loginKey,
			limiter: slots,
			batchSingleCall: async (messages: readonly DmcMessage[], slot?: Release) =>
				await new Promise<string[]>((resolve, reject) => {
					const call: RecordedCall = {
						by: name,
						messages: [...messages],
						answer: (failure) => {
							slot?.();
							if (failure) reject(failure);
							else resolve(messages.map((message) => `${message.to}-id`));
						},
					};
					calls.push(call);
					if (options.autoAnswer) call.answer(options.fail?.(messages));
				}),
		}) as unknown as DmcClient;
	return { client, calls };
}

export const message = (to: string): DmcMessage => ({ media: 'SMS', textMsg: 'x', to });

/** Item n of `name` has `sizes[n]` messages, to `<name>.<n>.<m>`. */
export const itemsOf = (name: string, sizes: readonly number[]) =>
	sizes.map((size, itemIndex) => ({ itemIndex, messages: Array.from({ length: size }, (_, m) => message(`${name}.${itemIndex}.${m}`)) }));
