import { sleep } from 'n8n-workflow';

import { packIntoBatches } from '../../nodes/SfrDmc/domain/batches';
import { sendBatches } from '../../nodes/SfrDmc/transport/batchSender';
import { DmcApiError, type DmcClient, type DmcMessage } from '../../nodes/SfrDmc/transport/DmcClient';
import { NODE } from '../actions/executeContext';

const message = (to: string): DmcMessage => ({ media: 'SMS', textMsg: 'x', to });
/** Item n has `sizes[n]` messages, to +n0, +n1, … */
const items = (sizes: number[]) =>
	sizes.map((size, itemIndex) => ({ itemIndex, messages: Array.from({ length: size }, (_, m) => message(`+${itemIndex}${m}`)) }));

/** A client whose batchSingleCall answers `answer(call)` for the nth call, ids `<to>-id` by default. */
function client(answer: (call: number, messages: readonly DmcMessage[]) => string[] | Error = (_, messages) => messages.map((m) => `${m.to}-id`)) {
	const calls: DmcMessage[][] = [];
	const batchSingleCall = jest.fn(async (messages: readonly DmcMessage[]) => {
		calls.push([...messages]);
		const result = answer(calls.length, messages);
		if (result instanceof Error) throw result;
		return result;
	});
	return { client: { batchSingleCall } as unknown as DmcClient, calls };
}

const refused = new DmcApiError(NODE, 'invalid_parameter', 'refused', 'DMC refused', 'detail');

describe('sendBatches with a mocked transport', () => {
	it('gives each item its own ids, sliced from its call in message order', async () => {
		const dmc = client();
		const results = await sendBatches(dmc.client, packIntoBatches(items([15, 3, 10])), { stopAfterFailure: true, doubtBudgetMs: 0 });
		expect(dmc.calls.map((call) => call.length)).toEqual([18, 10]);
		expect(results.map((result) => [result.item.itemIndex, 'ids' in result && result.ids])).toEqual([
			[0, Array.from({ length: 15 }, (_, m) => `+0${m}-id`)],
			[1, ['+10-id', '+11-id', '+12-id']],
			[2, Array.from({ length: 10 }, (_, m) => `+2${m}-id`)],
		]);
	});

	it('with continue-on-fail, fails exactly the items of the refused call and sends the rest', async () => {
		const dmc = client((_, messages) => (messages.some((m) => m.to === '+10') ? refused : messages.map((m) => `${m.to}-id`)));
		const results = await sendBatches(dmc.client, packIntoBatches(items([20, 20, 20])), { stopAfterFailure: false, doubtBudgetMs: 0 });
		expect(results.map((result) => Object.keys(result).filter((key) => key !== 'item'))).toEqual([['ids'], ['error'], ['ids']]);
		expect(results[1]).toEqual({ item: expect.objectContaining({ itemIndex: 1 }), error: refused });
	});

	it('after a failure, gives every batch not started an explicit skipped result for each of its items', async () => {
		// Seven calls, five at a time: the first fails before any other answers.
		let release: () => void = () => undefined;
		const held = new Promise<void>((resolve) => (release = resolve));
		const batchSingleCall = jest.fn(async (messages: readonly DmcMessage[]) => {
			if (messages[0].to === '+00') throw refused;
			await held;
			return messages.map((m) => `${m.to}-id`);
		});
		const pending = sendBatches({ batchSingleCall } as unknown as DmcClient, packIntoBatches(items([20, 20, 20, 20, 20, 20, 20])), { stopAfterFailure: true, doubtBudgetMs: 0 });
		for (let n = 0; n < 10; n++) await sleep(0);
		release();
		const results = await pending;
		expect(batchSingleCall).toHaveBeenCalledTimes(5);
		expect(results).toHaveLength(7);
		expect(results.map((result) => [result.item.itemIndex, Object.keys(result).filter((key) => key !== 'item')[0]])).toEqual([
			[0, 'error'],
			[1, 'ids'],
			[2, 'ids'],
			[3, 'ids'],
			[4, 'ids'],
			[5, 'skipped'],
			[6, 'skipped'],
		]);
	});

	it('rethrows an exception that is not a DMC failure (a bug), and starts no further call', async () => {
		const bug = new TypeError('not a DMC failure');
		const dmc = client((call) => (call === 1 ? bug : ['id']));
		await expect(sendBatches(dmc.client, packIntoBatches(items([20, 20, 20, 20, 20, 20])), { stopAfterFailure: false, doubtBudgetMs: 0 })).rejects.toBe(bug);
		expect(dmc.calls.length).toBeLessThanOrEqual(5);
	});
});

describe('sendBatches with a call in doubt', () => {
	const lost = new DmcApiError(NODE, 'ETIMEDOUT', 'unknown', 'The call to DMC failed: it timed out', 'detail');
	const withRef = (sizes: number[]) =>
		items(sizes).map((item) => ({ ...item, messages: item.messages.map((m) => ({ ...m, refExt: `ref-${item.itemIndex}` })) }));

	/** A client whose call `lostCall` ends in doubt, and whose reports list `reported` (to → id). */
	function doubtful(lostCall: number, reported: (messages: readonly DmcMessage[]) => Array<[string, string]>) {
		const lookups: string[][] = [];
		let lostMessages: readonly DmcMessage[] = [];
		const batchSingleCall = jest.fn(async (messages: readonly DmcMessage[]) => {
			if (batchSingleCall.mock.calls.length === lostCall) {
				lostMessages = messages;
				throw lost;
			}
			return messages.map((m) => `${m.to}-id`);
		});
		const findCraByIds = jest.fn(async (_ids: string[], refs: string[]) => {
			lookups.push(refs);
			return reported(lostMessages).map(([to, id]) => ({
				contactId: id,
				externalReference: lostMessages.find((m) => m.to === to)?.refExt,
				callAdress: to,
				creationDate: Date.now(),
			}));
		});
		return { client: { batchSingleCall, findCraByIds } as unknown as DmcClient, batchSingleCall, lookups };
	}

	it('reports the items found again as sent (recovered) and the others as in doubt, without sending again', async () => {
		// Item 0 (numbers +00, +01) and item 1 (+10) share the lost call; DMC lists only item 0's.
		const dmc = doubtful(1, () => [
			['+33600000000', '500'],
			['+33600000001', '501'],
		]);
		const input = withRef([2, 1]).map((item) => ({ ...item, messages: item.messages.map((m) => ({ ...m, to: `+336000000${m.to.slice(1).padStart(2, '0')}` })) }));
		const waits: number[] = [];
		const results = await sendBatches(dmc.client, packIntoBatches(input), { stopAfterFailure: true, doubtBudgetMs: 3000, wait: async (ms) => void waits.push(ms) });
		expect(dmc.batchSingleCall).toHaveBeenCalledTimes(1);
		expect(results).toEqual([
			{ item: expect.objectContaining({ itemIndex: 0 }), ids: ['500', '501'], recovered: true },
			{ item: expect.objectContaining({ itemIndex: 1 }), error: lost, found: [null] },
		]);
		// One look-up, then one after each pause of the budget: 1 s, then the 2 s left.
		expect(waits).toEqual([1000, 2000]);
		expect(dmc.lookups).toEqual([['ref-0', 'ref-1'], ['ref-0', 'ref-1'], ['ref-0', 'ref-1']]);
	});

	it('does not take for a lost message the id another call of the send got', async () => {
		// Item 0 fills call 1 and ends with +33600000000; item 1, alone in call 2, sends to the
		// same number with the same reference. Call 2 is lost and DMC lists only call 1's message.
		const first = { itemIndex: 0, messages: Array.from({ length: 20 }, (_, n) => ({ media: 'SMS', textMsg: 'x', to: `+336000000${String(n + 1).padStart(2, '0')}`, refExt: 'ref' })) };
		first.messages[19].to = '+33600000000';
		const second = { itemIndex: 1, messages: [{ media: 'SMS', textMsg: 'x', to: '+33600000000', refExt: 'ref' }] };
		const dmc = doubtful(2, () => [['+33600000000', '+33600000000-id']]);
		const results = await sendBatches(dmc.client, packIntoBatches([first, second]), { stopAfterFailure: false, doubtBudgetMs: 0 });
		expect(results[0]).toMatchObject({ ids: expect.arrayContaining(['+33600000000-id']) });
		expect(results[1]).toEqual({ item: second, error: lost, found: [null] });
	});
});
