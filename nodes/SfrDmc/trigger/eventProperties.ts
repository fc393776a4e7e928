import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/**
 * The events and filters both triggers offer (polling and push), so that a workflow reads
 * the same whichever way its reports arrive. `action` is what n8n's node panel lists;
 * without it the panel writes "On reply received".
 */
export const TRIGGER_EVENTS: INodePropertyOptions[] = [
	{
		name: 'Delivery Status Changed',
		value: 'deliveryStatusChanged',
		action: 'Delivery Status Changed',
		description: 'A message was delivered (DONE) or failed (FAILED)',
	},
	{
		name: 'Reply Received',
		value: 'replyReceived',
		action: 'Reply Received',
		description: 'A recipient answered a message (STOP requests excluded unless asked)',
	},
	{
		name: 'STOP Received',
		value: 'stopReceived',
		action: 'STOP Received',
		description: 'A recipient asked to receive no more messages (opt-out)',
	},
];

/** The polling trigger's events: the shared ones and the campaign events, which only polling reads; sorted, as n8n's lint wants. */
export const POLL_EVENTS: INodePropertyOptions[] = [
	{
		name: 'Campaign Finished',
		value: 'campaignFinished',
		action: 'Campaign Finished',
		description: 'A campaign ended: finished, stopped or failed',
	},
	{
		name: 'Campaign Report',
		value: 'campaignReport',
		action: 'Campaign Report',
		description: "A campaign's contact got its final report (DONE or FAILED)",
	},
	...TRIGGER_EVENTS,
];

/** The canvas subtitle: the chosen event's name, not its value. */
export function eventSubtitle(events: INodePropertyOptions[]): string {
	const byValue = events
		.map((option) => `$parameter.event === ${JSON.stringify(option.value)} ? ${JSON.stringify(option.name)} : `)
		.join('');
	return `={{ ${byValue}$parameter.event }}`;
}

export const showForReports = { show: { event: ['deliveryStatusChanged'] } };

export const statusesProperty: INodeProperties = {
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
};

/** An entry of the Options collection, shown for Reply Received only. */
export const includeStopsOption: INodeProperties = {
	displayName: 'Include STOP Replies',
	name: 'includeStops',
	type: 'boolean',
	default: false,
	description: 'Whether STOP requests also count as replies',
	displayOptions: { show: { '/event': ['replyReceived'] } },
};
