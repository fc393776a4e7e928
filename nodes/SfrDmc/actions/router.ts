import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { findOperation } from './index';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0, 'message') as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = findOperation(resource, operation);
	if (!execute) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of resource "${resource}" is not supported`);
	}
	return await execute.call(this);
}
