import type { INodeProperties } from 'n8n-workflow';

import { MAX_PUSH_BODY_KB } from './requestBody';

const showForReports = { show: { event: ['deliveryStatusChanged'] } };

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
		options: [
			{
				name: 'All Events',
				value: 'allEvents',
				description: 'Every reply, STOP and status change DMC pushes, SENT and other intermediate ones included',
			},
			{
				name: 'Delivery Status Changed',
				value: 'deliveryStatusChanged',
				description: 'A message was delivered (DONE) or failed (FAILED)',
			},
			{
				name: 'Reply Received',
				value: 'replyReceived',
				description: 'A recipient answered a message (STOP requests excluded unless asked)',
			},
			{
				name: 'STOP Received',
				value: 'stopReceived',
				description: 'A recipient asked to receive no more messages (opt-out)',
			},
		],
	},
	{
		displayName: 'Statuses',
		name: 'statuses',
		type: 'multiOptions',
		default: ['DONE', 'FAILED'],
		description: 'Which final statuses start the workflow',
		options: [
			{ name: 'Delivered (DONE)', value: 'DONE' },
			{ name: 'Failed (FAILED)', value: 'FAILED' },
		],
		displayOptions: showForReports,
	},
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
			{
				displayName: 'Include STOP Replies',
				name: 'includeStops',
				type: 'boolean',
				default: false,
				description: 'Whether STOP requests also count as replies',
				displayOptions: { show: { '/event': ['replyReceived'] } },
			},
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
