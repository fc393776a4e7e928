import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

import * as cancel from './cancel.operation';
import * as getReplies from './getReplies.operation';
import * as getStatus from './getStatus.operation';
import * as listSenders from './listSenders.operation';
import * as send from './send.operation';
import * as sendVoice from './sendVoice.operation';

type Execute = (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>;

interface Operation {
	/** Its entry in the Operation selector. */
	option: INodePropertyOptions & { value: string };
	/** Its parameters; each is shown only while the operation is selected. */
	parameters: INodeProperties[];
	execute: Execute;
}

/** Every operation of the node, as the editor lists them: adding one is adding it here. */
const operations: Operation[] = [
	{
		option: {
			name: 'Cancel',
			value: 'cancel',
			action: 'Cancel messages not yet delivered',
			description: 'Stop messages DMC has not delivered yet, by ID or reference',
		},
		parameters: cancel.description,
		execute: cancel.execute,
	},
	{
		option: {
			name: 'Get Replies',
			value: 'getReplies',
			action: 'Get replies and STOP requests',
			description: 'Get the replies and STOP requests received in a time window',
		},
		parameters: getReplies.description,
		execute: getReplies.execute,
	},
	{
		option: {
			name: 'Get Status',
			value: 'getStatus',
			action: 'Get the delivery status of messages',
			description: 'Get the delivery report of messages by ID or reference',
		},
		parameters: getStatus.description,
		execute: getStatus.execute,
	},
	{
		option: {
			name: 'List Senders',
			value: 'listSenders',
			action: 'List the allowed senders',
			description: 'List the sender IDs the account may use',
		},
		parameters: listSenders.description,
		execute: listSenders.execute,
	},
	{
		option: {
			name: 'Send',
			value: 'send',
			action: 'Send an SMS',
			description: 'Send an SMS to up to 20 recipients per item',
		},
		parameters: send.description,
		execute: send.execute,
	},
	{
		option: {
			name: 'Send Voice Message',
			value: 'sendVoice',
			action: 'Send a voice message',
			description: 'Call up to 20 numbers per item, landlines included, and read a text aloud',
		},
		parameters: sendVoice.description,
		execute: sendVoice.execute,
	},
];

export const operationSelector: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: 'send',
	options: operations.map((operation) => operation.option),
};

/** The selector, then each operation's parameters. */
export const properties: INodeProperties[] = [
	operationSelector,
	...operations.flatMap((operation) => updateDisplayOptions({ show: { operation: [operation.option.value] } }, operation.parameters)),
];

/** The canvas subtitle: the selected operation's name, as the selector shows it. */
export const subtitle = `={{ ${JSON.stringify(Object.fromEntries(operations.map(({ option }) => [option.value, option.name])))}[$parameter["operation"]] }}`;

export function findOperation(value: string): Execute | undefined {
	return operations.find((operation) => operation.option.value === value)?.execute;
}
