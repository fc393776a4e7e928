import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import * as getReplies from './getReplies.operation';
import * as getStatus from './getStatus.operation';
import * as listSenders from './listSenders.operation';
import * as send from './send.operation';

const operations: Record<string, (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>> = {
	send: send.execute,
	getStatus: getStatus.execute,
	getReplies: getReplies.execute,
	listSenders: listSenders.execute,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = operations[operation];
	if (!execute) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	}
	return await execute.call(this);
}
