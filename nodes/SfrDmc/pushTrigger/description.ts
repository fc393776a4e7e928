import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { includeStopsOption, statusesProperty, TRIGGER_EVENTS } from '../trigger/eventProperties';
import { MAX_PUSH_BODY_KB } from './requestBody';

/** Push brings every status as it happens, so it also offers all of them at once. */
export const PUSH_EVENTS: INodePropertyOptions[] = [
	{
		name: 'All Events',
		value: 'allEvents',
		action: 'All Events',
		description: 'Every reply, STOP and status change DMC pushes, SENT and other intermediate ones included',
	},
	...TRIGGER_EVENTS,
];

/** The Push Trigger's parameters. */
export const pushTriggerProperties: INodeProperties[] = [
	{
		displayName:
			"DMC pushes to a URL set by SFR or your DMC administrator: give them this node's Production URL (from Webhook URLs above) as the service's push URL, with the JSON or XML format",
		name: 'pushUrlNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		default: 'replyReceived',
		options: PUSH_EVENTS,
	},
	statusesProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Accept Other Spaces',
				name: 'allowOtherSpaces',
				type: 'boolean',
				default: false,
				description: "Whether to accept reports for any space of the credential's service, not only the credential's space",
			},
			{
				displayName: 'Allowed Source IPs',
				name: 'allowedIps',
				type: 'string',
				default: '',
				placeholder: '192.0.2.10, 198.51.100.0/24',
				description:
					"Only accept pushes from these addresses or IPv4 ranges, separated by commas. Empty: any address. Behind a proxy, set n8n's N8N_PROXY_HOPS so that n8n sees the sender's address.",
			},
			includeStopsOption,
			{
				displayName: 'Max Body Size (KB)',
				name: 'maxBodyKb',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_PUSH_BODY_KB, numberPrecision: 0 },
				default: 512,
				description: 'Larger pushes are refused with HTTP 413 and start nothing',
			},
		],
	},
];
