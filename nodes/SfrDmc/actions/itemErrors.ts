import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

/** An input problem of one item, named in the message as n8n users read it: "Item 3: …". */
export function itemInputError(context: IExecuteFunctions, itemIndex: number, cause: unknown): NodeOperationError {
	const message = cause instanceof Error ? cause.message : String(cause);
	return new NodeOperationError(context.getNode(), `Item ${itemIndex}: ${message}`, { itemIndex });
}

/** The output item that stands for a failed input item under "continue on fail". */
export function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	return { json: { error: error.message }, pairedItem: { item: itemIndex } };
}
