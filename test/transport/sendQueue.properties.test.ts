/**
 * Property tests of the sending queue through `sendItems`: random executions (item sizes,
 * continue-on-fail or not, cancelled or not) arriving in a random interleaving with the
 * limiter's grants, the answers of calls and their failures.
 */
import fc from 'fast-check';

import { MAX_MESSAGES_PER_CALL } from '../../nodes/SfrDmc/domain/batches';
import { sendItems, type ItemSendResult } from '../../nodes/SfrDmc/transport/batchSender';
import { DmcApiError } from '../../nodes/SfrDmc/transport/DmcClient';
import { NODE } from '../actions/executeContext';
import { heldClients, itemsOf, manualSlots, settle } from './queueFixtures';

type Item = ReturnType<typeof itemsOf>[number];

const execution = fc.record({
	sizes: fc.array(fc.integer({ min: 1, max: MAX_MESSAGES_PER_CALL }), { minLength: 1, maxLength: 8 }),
	stopAfterFailure: fc.boolean(),
	cancelAt: fc.option(fc.nat({ max: 60 }), { nil: undefined }),
});

/** What happens next: an execution starts, the limiter grants a slot, or the oldest call is answered (or fails). */
const step = fc.oneof(
	fc.constant({ kind: 'start' as const }),
	fc.constant({ kind: 'grant' as const }),
	fc.record({ kind: fc.constant('answer' as const), fails: fc.boolean() }),
);

const scenario = fc.record({ executions: fc.array(execution, { minLength: 1, maxLength: 8 }), steps: fc.array(step, { maxLength: 60 }) });

describe('the sending queue under random interleavings', () => {
	it('puts each message in at most one call, every message not withdrawn in exactly one, no call over 20 or splitting an item; each execution maps its own ids', async () => {
		await fc.assert(
			fc.asyncProperty(scenario, async ({ executions, steps }) => {
				const slots = manualSlots();
				const dmc = heldClients(slots);
				const refused = new DmcApiError(NODE, 'invalid_parameter', 'refused', 'DMC refused', 'detail');
				const failedCalls = new Set<number>();
				let answered = 0;
				const runs: Array<Promise<Array<ItemSendResult<Item>>>> = [];
				const cancels = executions.map(() => new AbortController());
				const items = executions.map((spec, n) => itemsOf(`e${n}`, spec.sizes));
				const start = () => {
					const n = runs.length;
					const spec = executions[n];
					runs.push(
						sendItems(dmc.client(`e${n}`), items[n], {
							stopAfterFailure: spec.stopAfterFailure,
							doubtBudgetMs: 0,
							cancelSignal: cancels[n].signal,
						}),
					);
				};
				const answer = (fails: boolean) => {
					const index = answered++;
					if (fails) failedCalls.add(index);
					dmc.calls[index].answer(fails ? refused : undefined);
				};
				const cancelDue = (at: number) => executions.forEach((spec, n) => spec.cancelAt === at && cancels[n].abort());

				for (const [at, next] of steps.entries()) {
					cancelDue(at);
					if (next.kind === 'start' && runs.length < executions.length) start();
					if (next.kind === 'grant') slots.grant();
					if (next.kind === 'answer' && answered < dmc.calls.length) answer(next.fails);
					await settle();
				}
				// Then everything still to do, with no further failure or cancellation.
				while (runs.length < executions.length) start();
				for (;;) {
					await settle();
					if (answered < dmc.calls.length) answer(false);
					else if (!slots.grant()) break;
				}
				const results = await Promise.all(runs);

				// Each message in at most one call; no call over 20; every item whole in one call.
				const callOf = new Map<string, number>();
				dmc.calls.forEach((call, index) => {
					expect(call.messages.length).toBeLessThanOrEqual(MAX_MESSAGES_PER_CALL);
					for (const message of call.messages) {
						expect(callOf.has(message.to)).toBe(false);
						callOf.set(message.to, index);
					}
				});
				results.forEach((perItem, n) => {
					expect(perItem.map((result) => result.item)).toEqual(items[n]);
					for (const result of perItem) {
						const { messages } = result.item;
						const calls = new Set(messages.map((message) => callOf.get(message.to)));
						// An item is in exactly one call, or in none when it was withdrawn.
						expect(calls.size).toBe(1);
						const [call] = [...calls];
						if ('skipped' in result) {
							expect(call).toBeUndefined();
							continue;
						}
						expect(call).toBeDefined();
						const first = dmc.calls[call!].messages.findIndex((message) => message.to === messages[0].to);
						expect(dmc.calls[call!].messages.slice(first, first + messages.length).map((m) => m.to)).toEqual(messages.map((m) => m.to));
						if (failedCalls.has(call!)) expect(result).toEqual({ item: result.item, error: refused });
						else expect(result).toEqual({ item: result.item, ids: messages.map((message) => `${message.to}-id`) });
					}
					// An execution withdraws only when it stops on a failure or is cancelled.
					const withdrew = perItem.some((result) => 'skipped' in result);
					if (withdrew)
						expect(cancels[n].signal.aborted || (executions[n].stopAfterFailure && perItem.some((result) => 'error' in result))).toBe(true);
				});
				// Every slot granted either carried a call or was given back unused.
				expect(slots.counts.used).toBe(dmc.calls.length);
			}),
			{ numRuns: 300 },
		);
	});
});
