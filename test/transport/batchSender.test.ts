import { sendItems } from '../../nodes/SfrDmc/transport/batchSender';
import { DmcApiError } from '../../nodes/SfrDmc/transport/DmcClient';
import { NODE } from '../actions/executeContext';
import { heldClients, itemsOf, manualSlots, settle } from './queueFixtures';

const refused = new DmcApiError(NODE, 'invalid_parameter', 'refused', 'DMC refused', 'detail');
const kinds = (results: ReadonlyArray<{ item: { itemIndex: number } }>) =>
	results.map((result) => [result.item.itemIndex, Object.keys(result).filter((key) => key !== 'item')[0]]);

describe('sendItems with a mocked transport', () => {
	it('gives each item its own ids, sliced from its call in message order, each item whole', async () => {
		const slots = manualSlots({ free: true });
		const dmc = heldClients(slots, { autoAnswer: true });
		const results = await sendItems(dmc.client('a'), itemsOf('a', [15, 3, 10]), { stopAfterFailure: true });
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
		const dmc = heldClients(slots, { autoAnswer: true, fail: (messages) => (messages.some((m) => m.to === 'a.1.0') ? refused : undefined) });
		const results = await sendItems(dmc.client('a'), itemsOf('a', [20, 20, 20]), { stopAfterFailure: false });
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
		const pending = sendItems(dmc.client('a'), itemsOf('a', [20, 20, 20, 20, 20, 20, 20]), { stopAfterFailure: true });
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
		const pending = sendItems(dmc.client('a'), itemsOf('a', [20, 20, 20, 20]), { stopAfterFailure: false });
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
		await expect(sendItems(dmc.client('a'), itemsOf('a', [1, 21]), { stopAfterFailure: true })).rejects.toThrow(/An item of 21 messages/);
		await settle();
		expect(dmc.calls).toHaveLength(0);
	});

	describe('cancellation by n8n', () => {
		it('withdraws the items still waiting, and reports those in a call in flight with its outcome', async () => {
			const slots = manualSlots();
			const dmc = heldClients(slots);
			const cancel = new AbortController();
			const pending = sendItems(dmc.client('a'), itemsOf('a', [20, 20, 20]), { stopAfterFailure: true, cancelSignal: cancel.signal });
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
			const results = await sendItems(dmc.client('a'), itemsOf('a', [1, 2]), { stopAfterFailure: false, cancelSignal: cancel.signal });
			expect(kinds(results)).toEqual([
				[0, 'skipped'],
				[1, 'skipped'],
			]);
			expect(dmc.calls).toHaveLength(0);
			expect(slots.counts).toEqual({ used: 0, unused: 1 });
		});

		it("leaves a call in flight to finish for the other executions in it when the one whose request carries it is cancelled", async () => {
			const slots = manualSlots();
			const dmc = heldClients(slots);
			const cancel = new AbortController();
			const first = sendItems(dmc.client('a'), itemsOf('a', [1]), { stopAfterFailure: true, cancelSignal: cancel.signal });
			const second = sendItems(dmc.client('b'), itemsOf('b', [1]), { stopAfterFailure: true });
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
