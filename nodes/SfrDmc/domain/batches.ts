/** Most messages DMC's `batchSingleCall` takes in one call. */
export const MAX_MESSAGES_PER_CALL = 20;

export interface ItemMessages<M> {
	itemIndex: number;
	messages: M[];
}

export interface Batch<I extends ItemMessages<unknown>> {
	items: I[];
	/** The items' messages in call order: what goes over the wire. */
	messages: Array<I['messages'][number]>;
}

/**
 * Packs items' messages into as few calls as possible, in order. An item never straddles
 * two calls, so one call's failure fails whole items: none is left half sent.
 */
export function packIntoBatches<I extends ItemMessages<unknown>>(items: readonly I[], maxPerCall = MAX_MESSAGES_PER_CALL): Array<Batch<I>> {
	const batches: Array<Batch<I>> = [];
	let current: Batch<I> | undefined;
	for (const item of items) {
		if (item.messages.length === 0) continue;
		if (item.messages.length > maxPerCall) {
			throw new RangeError(`Item ${item.itemIndex} has ${item.messages.length} messages; a call takes at most ${maxPerCall}`);
		}
		if (!current || current.messages.length + item.messages.length > maxPerCall) {
			current = { items: [], messages: [] };
			batches.push(current);
		}
		current.items.push(item);
		current.messages.push(...item.messages);
	}
	return batches;
}
