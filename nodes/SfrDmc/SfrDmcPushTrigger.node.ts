import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { PUSH_EVENTS, pushTriggerProperties } from './pushTrigger/description';
import { eventSubtitle } from './trigger/eventProperties';
import { createPushWebhook, type PushClock } from './pushTrigger/webhook';

/**
 * Starts a workflow on each report DMC pushes (Push CRA): replies, STOP requests and
 * delivery statuses, as they happen, with no report query. DMC's push URL is set on SFR's
 * side, so there is nothing to register: the node only listens on n8n's webhook URL.
 */
export class SfrDmcPushTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SFR DMC Push Trigger',
		name: 'sfrDmcPushTrigger',
		icon: { light: 'file:sfrDmc.svg', dark: 'file:sfrDmc.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventSubtitle(PUSH_EVENTS),
		description: 'Starts a workflow as soon as SFR Business DMC pushes a reply, a STOP or a delivery report',
		defaults: { name: 'SFR DMC Push Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'sfrDmcApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'push' }],
		properties: pushTriggerProperties,
	};

	/**
	 * DMC has no API to register a push URL (SFR sets it), so there is nothing to create or
	 * delete on DMC's side: activation only opens n8n's webhook URL.
	 */
	webhookMethods = {
		default: {
			checkExists: async (): Promise<boolean> => false,
			create: async (): Promise<boolean> => true,
			delete: async (): Promise<boolean> => true,
		},
	};

	webhook: (this: IWebhookFunctions) => Promise<IWebhookResponseData>;

	/** n8n builds the node without arguments; tests pass a fake clock. */
	constructor(clock: PushClock = () => Date.now()) {
		this.webhook = createPushWebhook(clock);
	}
}
