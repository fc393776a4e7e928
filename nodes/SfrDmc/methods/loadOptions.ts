import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { connectDmc } from '../transport/connectDmc';

/** The Sender drop-down of the send operation: the account default, then each allowed sender. */
export async function getSenders(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = await connectDmc(this);
	const senders = await client.findServiceOadc();
	return [
		{ name: "Account's Default", value: '', description: 'Let DMC choose the sender' },
		...senders.map((sender) => ({ name: sender, value: sender })),
	];
}
