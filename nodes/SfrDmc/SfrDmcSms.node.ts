import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { router } from './actions/router';
import * as getReplies from './actions/getReplies.operation';
import * as getStatus from './actions/getStatus.operation';
import * as listSenders from './actions/listSenders.operation';
import * as send from './actions/send.operation';

export class SfrDmcSms implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SFR DMC SMS',
		name: 'sfrDmcSms',
		icon: { light: 'file:sfrDmc.svg', dark: 'file:sfrDmc.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] }}',
		description: 'Send SMS through SFR Business DMC and follow their delivery, replies and STOPs',
		defaults: { name: 'SFR DMC SMS' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'sfrDmcApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'send',
				options: [
					{
						name: 'Get Replies',
						value: 'getReplies',
						action: 'Get replies and STOP requests',
						description: 'Get the replies and STOP requests received in a time window',
					},
					{
						name: 'Get Status',
						value: 'getStatus',
						action: 'Get the delivery status of messages',
						description: 'Get the delivery report of messages by ID or reference',
					},
					{
						name: 'List Senders',
						value: 'listSenders',
						action: 'List the allowed senders',
						description: 'List the sender IDs the account may use',
					},
					{
						name: 'Send',
						value: 'send',
						action: 'Send an SMS',
						description: 'Send an SMS to up to 20 recipients per item',
					},
				],
			},
			...send.description,
			...getStatus.description,
			...getReplies.description,
			...listSenders.description,
		],
	};

	methods = {
		loadOptions: { getSenders: listSenders.getSenders },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
