import { packIntoBatches, type ItemMessages } from '../../nodes/SfrDmc/domain/batches';

const item = (itemIndex: number, count: number): ItemMessages<string> => ({
	itemIndex,
	messages: Array.from({ length: count }, (_, n) => `${itemIndex}.${n}`),
});
const itemsOfSizes = (sizes: readonly number[]) => sizes.map((size, index) => item(index, size));
const layout = (sizes: readonly number[]) =>
	packIntoBatches(itemsOfSizes(sizes)).map((batch) => batch.items.map((entry) => entry.itemIndex));

describe('packIntoBatches', () => {
	it('packs single-recipient items 20 to a call, in input order', () => {
		const batches = packIntoBatches(Array.from({ length: 45 }, (_, i) => item(i, 1)));
		expect(batches.map((batch) => batch.messages.length)).toEqual([20, 20, 5]);
		expect(batches[1].items.map((entry) => entry.itemIndex)).toEqual(Array.from({ length: 20 }, (_, i) => 20 + i));
	});

	it('fills the room that input order would waste, keeping each item whole', () => {
		// In input order: [15], [10, 5], [20], [1]: 4 calls.
		expect(layout([15, 10, 5, 20, 1])).toEqual([[0, 2], [1, 4], [3]]);
		// Alternating large and small items, 100 messages: 7 calls in input order, 5 (the ideal) here.
		const sizes = [12, 3, 15, 8, 17, 5, 11, 9, 13, 7];
		expect(layout(sizes)).toHaveLength(5);
	});

	it('keeps input order when it needs fewer calls than largest-first would', () => {
		// Largest first gives [9, 8, 1], [6, 6, 6, 4]… 3 calls; input order fills 2 exactly.
		expect(layout([6, 4, 9, 1, 8, 6, 6])).toEqual([
			[0, 1, 2, 3],
			[4, 5, 6],
		]);
	});

	it("lists a call's items in input order, and the calls in the order of their first item", () => {
		const batches = packIntoBatches(itemsOfSizes([3, 18, 2, 17]));
		expect(batches.map((batch) => batch.items.map((entry) => entry.itemIndex))).toEqual([
			[0, 3],
			[1, 2],
		]);
		expect(batches[0].messages).toEqual([...item(0, 3).messages, ...item(3, 17).messages]);
	});

	it('skips items without messages and refuses an item larger than a call', () => {
		expect(packIntoBatches([item(0, 0)])).toEqual([]);
		expect(() => packIntoBatches([item(3, 21)])).toThrow(/Item 3 has 21 messages/);
	});
});
