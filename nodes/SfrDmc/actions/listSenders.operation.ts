import {
	NodeApiError,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INodeExecutionData,
	type INodePropertyOptions,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';

import { connectDmc } from '../transport/connectDmc';
import { errorItem } from './itemErrors';

export const description: INodeProperties[] = [];

/** One output item per sender id (OADC) the account may use, for each input item. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const client = await connectDmc(this);
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const senders = await client.findServiceOadc();
			output.push(...senders.map((sender) => ({ json: { sender }, pairedItem: { item: itemIndex } })));
		} catch (error) {
			// DmcClient throws only NodeApiErrors, which NodeApiError returns unchanged.
			if (!this.continueOnFail()) throw new NodeApiError(this.getNode(), error as JsonObject);
			output.push(errorItem(error as Error, itemIndex));
		}
	}
	return [output];
}

/** The Sender drop-down of the send operation: the account default, then each allowed sender. */
export async function getSenders(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = await connectDmc(this);
	const senders = await client.findServiceOadc();
	return [
		{ name: "Account's Default", value: '', description: 'Let DMC choose the sender' },
		...senders.map((sender) => ({ name: sender, value: sender })),
	];
}
