import { sendItems } from '../../nodes/SfrDmc/transport/batchSender';
import { DmcApiError, DmcClient, type DmcMessage } from '../../nodes/SfrDmc/transport/DmcClient';
import { NODE } from '../actions/executeContext';
import { heldClients, itemsOf, manualSlots, newLogin, settle } from './queueFixtures';

const refused = new DmcApiError(NODE, 'invalid_parameter', 'refused', 'DMC refused', 'detail');
const kinds = (results: ReadonlyArray<{ item: { itemIndex: number } }>) =>
	results.map((result) => [result.item.itemIndex, Object.keys(result).filter((key) => key !== 'item')[0]]);

describe('sendItems with a mocked transport', () => {
	it('gives each item its own ids, sliced from its call in message order, each item whole', async () => {
		const slots = manualSlots({ free: true });
		const dmc = heldClients(slots, { autoAnswer: true });
		const results = await sendItems(dmc.client('a'), itemsOf('a', [15, 3, 10]), { stopAfterFailure: true, doubtBudgetMs: 0 });
		expect(dmc.calls.map((call) => call.messages.length)).toEqual([18, 10]);
		expect(results.map((result) => [result.item.itemIndex, 'ids' in result && result.ids])).toEqual([
			[0, Array.from({ length: 15 }, (_, m) => `a.0.${m}-id`)],
			[1, ['a.1.0-id', 'a.1.1-id', 'a.1.2-id']],
			[2, Array.from({ length: 10 }, (_, m) => `a.2.${m}-id`)],
		]);
		expect(slots.counts).toEqual({ used: 2, unused: 0 });
	});

	it('with continue-on-fail, fails exactly the items of the refused call and sends the rest', async () => {
		const slots = manualSlots({ free: true });
		const dmc = heldClients(slots, {
			autoAnswer: true,
			fail: (messages) => (messages.some((m) => m.to === 'a.1.0') ? refused : undefined),
		});
		const results = await sendItems(dmc.client('a'), itemsOf('a', [20, 20, 20]), { stopAfterFailure: false, doubtBudgetMs: 0 });
		expect(kinds(results)).toEqual([
			[0, 'ids'],
			[1, 'error'],
			[2, 'ids'],
		]);
		expect(results[1]).toEqual({ item: expect.objectContaining({ itemIndex: 1 }), error: refused });
	});

	it('after a failure, withdraws the items no call has taken yet: each is reported skipped, none is sent', async () => {
		const slots = manualSlots();
		const dmc = heldClients(slots);
		const pending = sendItems(dmc.client('a'), itemsOf('a', [20, 20, 20, 20, 20, 20, 20]), { stopAfterFailure: true, doubtBudgetMs: 0 });
		for (let n = 0; n < 3; n++) {
			await settle();
			slots.grant();
		}
		await settle();
		expect(dmc.calls).toHaveLength(3);
		dmc.calls[0].answer(refused);
		await settle();
		dmc.calls[1].answer();
		dmc.calls[2].answer();
		const results = await pending;
		expect(kinds(results)).toEqual([
			[0, 'error'],
			[1, 'ids'],
			[2, 'ids'],
			[3, 'skipped'],
			[4, 'skipped'],
			[5, 'skipped'],
			[6, 'skipped'],
		]);
		// The slot asked for the next call is given back unused when it comes.
		slots.grant();
		await settle();
		expect(dmc.calls).toHaveLength(3);
		expect(slots.counts).toEqual({ used: 3, unused: 1 });
	});

	it('rethrows an exception that is not a DMC failure (a bug), once its calls in flight are over, and starts no further call', async () => {
		const bug = new TypeError('not a DMC failure');
		const slots = manualSlots();
		const dmc = heldClients(slots);
		const pending = sendItems(dmc.client('a'), itemsOf('a', [20, 20, 20, 20]), { stopAfterFailure: false, doubtBudgetMs: 0 });
		let outcome: unknown;
		pending.catch((error: unknown) => (outcome = error));
		for (let n = 0; n < 2; n++) {
			await settle();
			slots.grant();
		}
		await settle();
		dmc.calls[0].answer(bug);
		await settle();
		expect(outcome).toBeUndefined();
		dmc.calls[1].answer();
		await expect(pending).rejects.toBe(bug);
		slots.grant();
		await settle();
		expect(dmc.calls).toHaveLength(2);
	});

	it('refuses an item larger than a call before queueing anything', async () => {
		const slots = manualSlots({ free: true });
		const dmc = heldClients(slots, { autoAnswer: true });
		await expect(sendItems(dmc.client('a'), itemsOf('a', [1, 21]), { stopAfterFailure: true, doubtBudgetMs: 0 })).rejects.toThrow(
			/An item of 21 messages/,
		);
		await settle();
		expect(dmc.calls).toHaveLength(0);
	});

	describe('cancellation by n8n', () => {
		it('withdraws the items still waiting, and reports those in a call in flight with its outcome', async () => {
			const slots = manualSlots();
			const dmc = heldClients(slots);
			const cancel = new AbortController();
			const pending = sendItems(dmc.client('a'), itemsOf('a', [20, 20, 20]), {
				stopAfterFailure: true,
				doubtBudgetMs: 0,
				cancelSignal: cancel.signal,
			});
			await settle();
			slots.grant();
			await settle();
			cancel.abort();
			dmc.calls[0].answer();
			expect(kinds(await pending)).toEqual([
				[0, 'ids'],
				[1, 'skipped'],
				[2, 'skipped'],
			]);
			slots.grant();
			await settle();
			expect(dmc.calls).toHaveLength(1);
		});

		it('sends nothing for an execution cancelled before it sends', async () => {
			const slots = manualSlots({ free: true });
			const dmc = heldClients(slots, { autoAnswer: true });
			const cancel = new AbortController();
			cancel.abort();
			const results = await sendItems(dmc.client('a'), itemsOf('a', [1, 2]), {
				stopAfterFailure: false,
				doubtBudgetMs: 0,
				cancelSignal: cancel.signal,
			});
			expect(kinds(results)).toEqual([
				[0, 'skipped'],
				[1, 'skipped'],
			]);
			expect(dmc.calls).toHaveLength(0);
			expect(slots.counts).toEqual({ used: 0, unused: 1 });
		});

		it('leaves a call in flight to finish for the other executions in it when the one whose request carries it is cancelled', async () => {
			const slots = manualSlots();
			const dmc = heldClients(slots);
			const cancel = new AbortController();
			const first = sendItems(dmc.client('a'), itemsOf('a', [1]), {
				stopAfterFailure: true,
				doubtBudgetMs: 0,
				cancelSignal: cancel.signal,
			});
			const second = sendItems(dmc.client('b'), itemsOf('b', [1]), { stopAfterFailure: true, doubtBudgetMs: 0 });
			await settle();
			slots.grant();
			await settle();
			expect(dmc.calls.map((call) => [call.by, call.messages.map((m) => m.to)])).toEqual([['a', ['a.0.0', 'b.0.0']]]);
			cancel.abort();
			dmc.calls[0].answer();
			expect(kinds(await first)).toEqual([[0, 'ids']]);
			expect(await second).toEqual([{ item: expect.objectContaining({ itemIndex: 0 }), ids: ['b.0.0-id'] }]);
		});
	});
});

describe('sendItems with a call in doubt', () => {
	const lost = new DmcApiError(NODE, 'ETIMEDOUT', 'unknown', 'The call to DMC failed: it timed out', 'detail');
	const to = (n: number) => `+336000000${String(n).padStart(2, '0')}`;
	const sms = (n: number, refExt: string): DmcMessage => ({ media: 'SMS', textMsg: 'x', to: to(n), refExt });

	/**
	 * Clients of one login whose calls go out as soon as asked (or when the test grants a
	 * slot), a call carrying a message to `lostTo` ending in doubt; DMC's reports list, for
	 * every message sent so far, those `listed` picks, created now.
	 */
	function doubtful(options: { lostTo: string; listed: (message: DmcMessage) => boolean; slots?: ReturnType<typeof manualSlots> }) {
		const slots = options.slots ?? manualSlots({ free: true });
		const loginKey = newLogin();
		const sent: DmcMessage[][] = [];
		/** The start of each look-up's window (getSingleCallCra's beginDate). */
		const lookups: number[] = [];
		const client = () =>
			({
				loginKey,
				limiter: slots,
				batchSingleCall: async (messages: readonly DmcMessage[], slot?: () => void) => {
					slot?.();
					sent.push([...messages]);
					if (messages.some((m) => m.to === options.lostTo)) throw lost;
					return messages.map((m) => `${m.to}-${m.refExt}-id`);
				},
				listSingleCallCra: async (begin: Date) => {
					lookups.push(begin.getTime());
					return sent
						.flat()
						.filter(options.listed)
						.map((m) => ({ messageId: `${m.to}-${m.refExt}-id`, refExt: m.refExt, to: m.to }));
				},
			}) as unknown as DmcClient;
		return { client, sent, lookups, slots };
	}

	it('reports the items found again as sent (recovered) and the others as in doubt, without sending again', async () => {
		// Item 0 (two numbers) and item 1 share the lost call; DMC lists only item 0's.
		const dmc = doubtful({ lostTo: to(10), listed: (m) => m.refExt === 'ref-0' });
		const items = [
			{ itemIndex: 0, messages: [sms(0, 'ref-0'), sms(1, 'ref-0')] },
			{ itemIndex: 1, messages: [sms(10, 'ref-1')] },
		];
		const waits: number[] = [];
		const results = await sendItems(dmc.client(), items, {
			stopAfterFailure: true,
			doubtBudgetMs: 3000,
			wait: async (ms) => void waits.push(ms),
		});
		expect(dmc.sent).toHaveLength(1);
		expect(results).toEqual([
			{ item: items[0], ids: [`${to(0)}-ref-0-id`, `${to(1)}-ref-0-id`], recovered: true },
			{ item: items[1], error: lost, found: [null] },
		]);
		// One look-up, then one after each pause of the budget: 1 s, then the 2 s left.
		expect(waits).toEqual([1000, 2000]);
		// Three listings of one window: the messages sent since the lost call started.
		expect(dmc.lookups).toHaveLength(3);
		expect(new Set(dmc.lookups).size).toBe(1);
	});

	it('does not take for a lost message the id another execution of the same login got back', async () => {
		// Execution a's call (20 messages, one to +33600000000 with reference "r") is answered;
		// execution b sends to the same number with the same reference, alone in a call that is
		// lost and that DMC never stored. Only a's message is listed: it is not b's.
		const dmc = doubtful({ lostTo: 'nobody', listed: () => true });
		const first = { itemIndex: 0, messages: Array.from({ length: 20 }, (_, n) => sms(n, 'r')) };
		const second = { itemIndex: 0, messages: [{ ...sms(0, 'r'), textMsg: 'y' }] };
		const lostClient = Object.assign(dmc.client(), {
			batchSingleCall: async (_: readonly DmcMessage[], slot?: () => void) => {
				slot?.();
				throw lost;
			},
		});
		const a = await sendItems(dmc.client(), [first], { stopAfterFailure: true, doubtBudgetMs: 0 });
		const b = await sendItems(lostClient, [second], { stopAfterFailure: true, doubtBudgetMs: 0 });
		expect(a[0]).toMatchObject({ ids: expect.arrayContaining([`${to(0)}-r-id`]) });
		expect(b).toEqual([{ item: second, error: lost, found: [null] }]);
	});

	it("resolves a call carrying several executions' items once, for the longest look-up time among them, and gives each its own messages", async () => {
		const slots = manualSlots();
		const dmc = doubtful({ lostTo: to(1), listed: (m) => m.to === to(2), slots });
		const waits: number[] = [];
		const wait = async (ms: number) => void waits.push(ms);
		const a = sendItems(dmc.client(), [{ itemIndex: 0, messages: [sms(1, 'ra')] }], { stopAfterFailure: false, doubtBudgetMs: 0, wait });
		const b = sendItems(dmc.client(), [{ itemIndex: 0, messages: [sms(2, 'rb')] }], { stopAfterFailure: false, doubtBudgetMs: 3000, wait });
		await settle();
		slots.grant();
		const [resultsA, resultsB] = await Promise.all([a, b]);
		expect(dmc.sent.map((call) => call.map((m) => m.to))).toEqual([[to(1), to(2)]]);
		expect(waits).toEqual([1000, 2000]);
		// Three listings of one window: the messages sent since the lost call started.
		expect(dmc.lookups).toHaveLength(3);
		expect(new Set(dmc.lookups).size).toBe(1);
		expect(resultsA).toEqual([{ item: expect.objectContaining({ itemIndex: 0 }), error: lost, found: [null] }]);
		expect(resultsB).toEqual([{ item: expect.objectContaining({ itemIndex: 0 }), ids: [`${to(2)}-rb-id`], recovered: true }]);
	});

	it('looks up through the limiter without waiting on a slot it holds: with a cap of 1 and other calls queued, everything ends', async () => {
		// A real client and limiter at 1 call per second: the lost call, its look-up and the
		// next execution's call each need the one slot in turn.
		const paths: string[] = [];
		const request = jest.fn(async (options: { url?: string; body?: unknown }) => {
			const path = String(options.url).split('/JsonService/')[1];
			paths.push(path);
			const body = options.body as Record<string, string>;
			if (path === 'MessagesUnitairesWS/batchSingleCall') {
				const messages = JSON.parse(body.messageUnitaires) as DmcMessage[];
				if (messages.some((m) => m.to === to(1))) throw Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' });
				return { statusCode: 200, body: JSON.stringify({ success: true, response: messages.map((_, n) => 100 + n) }) };
			}
			return { statusCode: 200, body: JSON.stringify({ success: true, response: [] }) };
		});
		const client = new DmcClient({
			node: NODE,
			request,
			baseUrl: `https://${newLogin()}.example/JsonService`,
			serviceId: 'svc',
			maxCallsPerSecond: 1,
		});
		const first = sendItems(client, [{ itemIndex: 0, messages: [sms(1, 'r1')] }], { stopAfterFailure: false, doubtBudgetMs: 0 });
		const second = sendItems(client, [{ itemIndex: 0, messages: Array.from({ length: 20 }, (_, n) => sms(20 + n, 'r2')) }], {
			stopAfterFailure: false,
			doubtBudgetMs: 0,
		});
		const [a, b] = await Promise.all([first, second]);
		expect(a).toEqual([
			{ item: expect.objectContaining({ itemIndex: 0 }), error: expect.objectContaining({ outcome: 'unknown' }), found: [null] },
		]);
		expect(b[0]).toMatchObject({ ids: Array.from({ length: 20 }, (_, n) => String(100 + n)) });
		expect(paths).toEqual([
			'MessagesUnitairesWS/batchSingleCall',
			'MessagesUnitairesWS/batchSingleCall',
			'MessagesUnitairesWS/getSingleCallCra',
		]);
	});
});
