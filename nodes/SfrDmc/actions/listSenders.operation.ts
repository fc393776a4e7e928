import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { connectDmc } from '../transport/connectDmc';
import { outputPerItem, readItems } from './itemErrors';

export const description: INodeProperties[] = [];

/** One output item per sender id (OADC) the account may use, for each input item. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const inputs = readItems(this, () => undefined);
	const client = await connectDmc(this);
	return [await outputPerItem(this, inputs, async () => (await client.findServiceOadc()).map((sender) => ({ sender })))];
}
