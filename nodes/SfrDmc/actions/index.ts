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
import { campaignOperations } from './campaign';

export type Execute = (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>;

export interface Operation {
	/** Its entry in the Operation selector. */
	option: INodePropertyOptions & { value: string };
	/** Its parameters; each is shown only while the operation is selected. */
	parameters: INodeProperties[];
	execute: Execute;
}

/** The Message resource's operations, as the editor lists them: adding one is adding it here. */
const messageOperations: Operation[] = [
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

interface Resource {
	option: INodePropertyOptions & { value: string };
	operations: Operation[];
	/** Its Operation selector, written out so that n8n's lint reads its default. */
	selector: INodeProperties;
}

const operationOptions = (operations: Operation[]) => operations.map((operation) => operation.option);

/**
 * Message is the default: workflows saved before campaigns existed have no resource
 * parameter, so they keep running their message operation unchanged.
 */
const resources: Resource[] = [
	{
		option: { name: 'Campaign', value: 'campaign', description: 'A broadcast that DMC sends to a contact file' },
		operations: campaignOperations,
		selector: {
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: ['campaign'] } },
			default: 'create',
			options: operationOptions(campaignOperations),
		},
	},
	{
		option: { name: 'Message', value: 'message', description: 'SMS and voice messages sent one by one' },
		operations: messageOperations,
		selector: {
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: ['message'] } },
			default: 'send',
			options: operationOptions(messageOperations),
		},
	},
];

export const resourceSelector: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	default: 'message',
	options: resources.map((resource) => resource.option),
};

/** One Operation selector per resource, as n8n's own nodes have. */
export const operationSelectors: INodeProperties[] = resources.map((resource) => resource.selector);

/** The selectors, then each operation's parameters, shown under its resource and operation. */
export const properties: INodeProperties[] = [
	resourceSelector,
	...operationSelectors,
	...resources.flatMap((resource) =>
		resource.operations.flatMap((operation) =>
			updateDisplayOptions({ show: { resource: [resource.option.value], operation: [operation.option.value] } }, operation.parameters),
		),
	),
];

const allOperations = resources.flatMap((resource) => resource.operations);

/** The canvas subtitle: the selected operation's name, as the selector shows it. */
export const subtitle = `={{ ${JSON.stringify(Object.fromEntries(allOperations.map(({ option }) => [option.value, option.name])))}[$parameter["operation"]] }}`;

export function findOperation(resource: string, value: string): Execute | undefined {
	return resources
		.find((candidate) => candidate.option.value === resource)
		?.operations.find((operation) => operation.option.value === value)?.execute;
}
