import { packIntoBatches } from '../../nodes/SfrDmc/domain/batches';
import { sendItems } from '../../nodes/SfrDmc/transport/batchSender';
import { DmcApiError } from '../../nodes/SfrDmc/transport/DmcClient';
import { RollingWindowLimiter } from '../../nodes/SfrDmc/transport/rateLimiter';
import { SendQueue } from '../../nodes/SfrDmc/transport/sendQueue';
import { NODE } from '../actions/executeContext';
import { heldClients, itemsOf, manualSlots, settle } from './queueFixtures';

const refused = new DmcApiError(NODE, 'invalid_parameter', 'refused', 'DMC refused', 'detail');
const tos = (messages: ReadonlyArray<{ to: string }>) => messages.map((m) => m.to);

describe('the sending queue', () => {
	it('sends a lone execution at once when a slot is free: no timer, only promise callbacks stand between', async () => {
		// A real limiter with a clock that never moves and a wait that never ends: any
		// pacing or waiting for company would leave the call unmade.
		const limiter = new RollingWindowLimiter(
			5,
			1005,
			() => 0,
			async () => await new Promise<void>(() => undefined),
		);
		const calls: string[][] = [];
		const queue = new SendQueue<string, string[], string>(limiter, async (messages, slot) => {
			calls.push([...messages]);
			slot();
			return messages.map((m) => `${m}-id`);
		});
		const session = queue.join('a');
		const [outcome] = session.add([['+33600000001']]);
		await settle();
		expect(calls).toEqual([['+33600000001']]);
		expect(await outcome).toEqual({ result: ['+33600000001-id'], offset: 0 });
	});

	it('while calls wait for the limiter, puts the messages of several executions in one call, in arrival order', async () => {
		const slots = manualSlots();
		const dmc = heldClients(slots, { autoAnswer: true });
		const runs = ['a', 'b', 'c', 'd'].map((name, n) =>
			sendItems(
				dmc.client(name),
				itemsOf(name, [1, n]).filter((item) => item.messages.length > 0),
				{ stopAfterFailure: true, doubtBudgetMs: 0 },
			),
		);
		await settle();
		expect(slots.asked).toBe(1);
		slots.grant();
		const [a, b, c, d] = await Promise.all(runs);
		expect(dmc.calls.map((call) => [call.by, tos(call.messages)])).toEqual([
			['a', ['a.0.0', 'b.0.0', 'b.1.0', 'c.0.0', 'c.1.0', 'c.1.1', 'd.0.0', 'd.1.0', 'd.1.1', 'd.1.2']],
		]);
		expect(a).toEqual([{ item: expect.objectContaining({ itemIndex: 0 }), ids: ['a.0.0-id'] }]);
		expect(b.map((result) => 'ids' in result && result.ids)).toEqual([['b.0.0-id'], ['b.1.0-id']]);
		expect(c.map((result) => 'ids' in result && result.ids)).toEqual([['c.0.0-id'], ['c.1.0-id', 'c.1.1-id']]);
		expect(d.map((result) => 'ids' in result && result.ids)).toEqual([['d.0.0-id'], ['d.1.0-id', 'd.1.1-id', 'd.1.2-id']]);
	});

	it('fills a call up to 20 messages and never splits an item: the next item that does not fit opens the next call', async () => {
		const slots = manualSlots();
		const dmc = heldClients(slots, { autoAnswer: true });
		const runs = [
			sendItems(dmc.client('a'), itemsOf('a', [12]), { stopAfterFailure: true, doubtBudgetMs: 0 }),
			sendItems(dmc.client('b'), itemsOf('b', [5, 9]), { stopAfterFailure: true, doubtBudgetMs: 0 }),
			sendItems(dmc.client('c'), itemsOf('c', [3]), { stopAfterFailure: true, doubtBudgetMs: 0 }),
		];
		for (let n = 0; n < 2; n++) {
			await settle();
			slots.grant();
		}
		await Promise.all(runs);
		expect(dmc.calls.map((call) => call.messages.length)).toEqual([17, 12]);
		expect(dmc.calls.map((call) => call.by)).toEqual(['a', 'b']);
	});

	it('takes out of the queue exactly the items of a better-packed call, even when they are not the next in line', async () => {
		// 10, 15, 10, 5 go in two calls only as (10 + 10) and (15 + 5): the first call
		// skips the second item, which must wait for the next call, and nothing goes twice.
		const slots = manualSlots();
		const dmc = heldClients(slots, { autoAnswer: true });
		const run = sendItems(dmc.client('a'), itemsOf('a', [10, 15, 10, 5]), { stopAfterFailure: true, doubtBudgetMs: 0 });
		for (let n = 0; n < 2; n++) {
			await settle();
			slots.grant();
		}
		const results = await run;
		expect(dmc.calls.map((call) => [...new Set(call.messages.map((m) => m.to.split('.')[1]))])).toEqual([
			['0', '2'],
			['1', '3'],
		]);
		expect(results.map((result) => 'ids' in result && result.ids.length)).toEqual([10, 15, 10, 5]);
		expect(slots.counts).toEqual({ used: 2, unused: 0 });
	});

	it('packs beyond the next 20 items waiting: a large execution takes no more calls than packing all its items would', async () => {
		// Packing only the next 20 waiting items, these 23 took 16 calls; packed together, 15.
		const sizes = [6, 20, 12, 19, 17, 20, 3, 2, 11, 7, 9, 16, 4, 20, 17, 17, 18, 5, 3, 19, 18, 14, 8];
		const dmc = heldClients(manualSlots({ free: true }), { autoAnswer: true });
		const items = itemsOf('a', sizes);
		const results = await sendItems(dmc.client('a'), items, { stopAfterFailure: true, doubtBudgetMs: 0 });
		expect(dmc.calls).toHaveLength(packIntoBatches(items).length);
		expect(dmc.calls).toHaveLength(15);
		expect(results.map((result) => 'ids' in result && result.ids.length)).toEqual(sizes);
	});

	it('fails the items of every execution in a failed call, and only those; each execution reports only its own items', async () => {
		const slots = manualSlots();
		const dmc = heldClients(slots, {
			autoAnswer: true,
			fail: (messages) => (messages.some((m) => m.to === 'b.0.0') ? refused : undefined),
		});
		const runs = [
			sendItems(dmc.client('a'), itemsOf('a', [10]), { stopAfterFailure: false, doubtBudgetMs: 0 }),
			sendItems(dmc.client('b'), itemsOf('b', [10, 15]), { stopAfterFailure: false, doubtBudgetMs: 0 }),
			sendItems(dmc.client('c'), itemsOf('c', [5]), { stopAfterFailure: false, doubtBudgetMs: 0 }),
		];
		for (let n = 0; n < 2; n++) {
			await settle();
			slots.grant();
		}
		const [a, b, c] = await Promise.all(runs);
		expect(a).toEqual([{ item: expect.objectContaining({ itemIndex: 0 }), error: refused }]);
		expect(b.map((result) => Object.keys(result)[1])).toEqual(['error', 'ids']);
		expect(c).toEqual([{ item: expect.objectContaining({ itemIndex: 0 }), ids: Array.from({ length: 5 }, (_, m) => `c.0.${m}-id`) }]);
	});

	it('keeps at most one slot asked for and 5 calls in flight, whatever is waiting', async () => {
		const slots = manualSlots();
		const dmc = heldClients(slots);
		void sendItems(
			dmc.client('a'),
			itemsOf(
				'a',
				Array.from({ length: 10 }, () => 20),
			),
			{ stopAfterFailure: false, doubtBudgetMs: 0 },
		);
		await settle();
		expect(slots.asked).toBe(1);
		for (let n = 0; n < 5; n++) {
			expect(slots.grant()).toBe(true);
			await settle();
		}
		expect(dmc.calls).toHaveLength(5);
		expect(slots.asked).toBe(0);
		dmc.calls[0].answer();
		await settle();
		expect(slots.asked).toBe(1);
		for (const call of dmc.calls) call.answer();
	});

	it('keeps the queues of two logins apart, even for one service and limiter', async () => {
		const slots = manualSlots();
		const first = heldClients(slots, { autoAnswer: true });
		const second = heldClients(slots, { autoAnswer: true });
		const runs = [
			sendItems(first.client('a'), itemsOf('a', [1]), { stopAfterFailure: true, doubtBudgetMs: 0 }),
			sendItems(second.client('b'), itemsOf('b', [1]), { stopAfterFailure: true, doubtBudgetMs: 0 }),
		];
		await settle();
		slots.grant();
		slots.grant();
		await Promise.all(runs);
		expect(first.calls.map((call) => tos(call.messages))).toEqual([['a.0.0']]);
		expect(second.calls.map((call) => tos(call.messages))).toEqual([['b.0.0']]);
	});
});
