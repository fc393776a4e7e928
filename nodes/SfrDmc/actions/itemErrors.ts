import { ExpressionError, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { InputError } from '../domain/inputError';
import { DmcApiError } from '../transport/DmcClient';

/** One item's input as read, or under continue-on-fail the error item that stands for it. */
export type ItemInput<T> = { itemIndex: number; input: T } | { itemIndex: number; failed: INodeExecutionData };

/**
 * Reads every item's input before any call to DMC. A domain InputError or an n8n expression
 * error is the item's fault: it becomes "… [item N]", as n8n's own nodes end such messages, which stops the node or, under
 * continue-on-fail, the item's error item. Any other exception is our bug and is rethrown.
 */
export function readItems<T>(context: IExecuteFunctions, read: (itemIndex: number) => T): Array<ItemInput<T>> {
	return context.getInputData().map((_, itemIndex) => {
		try {
			return { itemIndex, input: read(itemIndex) };
		} catch (cause) {
			// Not the user's input: our own bug, reported as the node's error and never as an item's.
			if (!(cause instanceof InputError || cause instanceof ExpressionError))
				throw new NodeOperationError(context.getNode(), cause as Error);
			return { itemIndex, failed: inputFailureItem(context, cause, itemIndex) };
		}
	});
}

/** An item's bad input as "… [item N]": thrown, or under continue-on-fail its error item. */
function inputFailureItem(context: IExecuteFunctions, cause: InputError | ExpressionError, itemIndex: number): INodeExecutionData {
	const failure = new NodeOperationError(context.getNode(), `${cause.message} [item ${itemIndex}]`, {
		itemIndex,
		description: (cause instanceof ExpressionError && cause.description) || undefined,
	});
	if (!context.continueOnFail()) throw failure;
	return errorItem(failure, itemIndex);
}

/** The failed DMC call to report as items under continue-on-fail; rethrows anything else. */
export function continuedDmcFailure(context: IExecuteFunctions, error: unknown): DmcApiError {
	if (!(error instanceof DmcApiError) || !context.continueOnFail()) throw error;
	return error;
}

/** The json of a failed item: the message and, for a DMC failure, its code, outcome and DMC's text. */
export function errorJson(error: Error): IDataObject {
	if (!(error instanceof DmcApiError)) return { error: error.message };
	return { error: error.message, errorCode: error.errorCode, outcome: error.outcome, description: error.description ?? null };
}

export function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	return { json: errorJson(error), pairedItem: { item: itemIndex } };
}

/**
 * The output of operations that call DMC once per item: `produce`'s results paired with
 * their item, the error items of bad inputs (also those `produce` finds, as InputError),
 * and for a failed call the item's error item.
 */
export async function outputPerItem<T>(
	context: IExecuteFunctions,
	inputs: ReadonlyArray<ItemInput<T>>,
	produce: (input: T) => Promise<IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	for (const entry of inputs) {
		if ('failed' in entry) {
			output.push(entry.failed);
			continue;
		}
		try {
			const results = await produce(entry.input);
			output.push(...results.map((json) => ({ json, pairedItem: { item: entry.itemIndex } })));
		} catch (error) {
			// An input DMC's answer shows to be wrong (a campaign in the wrong state): the item's fault.
			if (error instanceof InputError) output.push(inputFailureItem(context, error, entry.itemIndex));
			else output.push(errorItem(continuedDmcFailure(context, error), entry.itemIndex));
		}
	}
	return output;
}
