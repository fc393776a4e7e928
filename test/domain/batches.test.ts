import { MAX_MESSAGES_PER_CALL, packIntoBatches, type ItemMessages } from '../../nodes/SfrDmc/domain/batches';

const item = (itemIndex: number, count: number): ItemMessages<string> => ({
	itemIndex,
	messages: Array.from({ length: count }, (_, n) => `${itemIndex}.${n}`),
});

describe('packIntoBatches', () => {
	it('packs single-recipient items 20 to a call, across items', () => {
		const batches = packIntoBatches(Array.from({ length: 45 }, (_, i) => item(i, 1)));
		expect(batches.map((batch) => batch.messages.length)).toEqual([20, 20, 5]);
		expect(batches[1].items.map((entry) => entry.itemIndex)).toEqual(Array.from({ length: 20 }, (_, i) => 20 + i));
	});

	it('never splits an item across two calls', () => {
		const batches = packIntoBatches([item(0, 15), item(1, 10), item(2, 5), item(3, 20), item(4, 1)]);
		expect(batches.map((batch) => batch.items.map((entry) => entry.itemIndex))).toEqual([[0], [1, 2], [3], [4]]);
		for (const batch of batches) {
			for (const entry of batch.items) {
				expect(batch.messages).toEqual(expect.arrayContaining(entry.messages));
			}
		}
	});

	it('keeps every message, in order, and at most 20 per call', () => {
		const items = Array.from({ length: 200 }, (_, i) => item(i, 1 + ((i * 7) % 20)));
		const batches = packIntoBatches(items);
		expect(batches.flatMap((batch) => batch.messages)).toEqual(items.flatMap((entry) => entry.messages));
		expect(Math.max(...batches.map((batch) => batch.messages.length))).toBeLessThanOrEqual(MAX_MESSAGES_PER_CALL);
	});

	it('skips items without messages and refuses an item larger than a call', () => {
		expect(packIntoBatches([item(0, 0)])).toEqual([]);
		expect(() => packIntoBatches([item(3, 21)])).toThrow(/Item 3 has 21 messages/);
	});
});
