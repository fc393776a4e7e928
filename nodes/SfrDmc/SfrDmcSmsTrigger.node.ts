import { NodeConnectionTypes, type INodeExecutionData, type INodeType, type INodeTypeDescription, type IPollFunctions } from 'n8n-workflow';

import { createPoll, N8N_TURN_WAITS, systemClock, type TriggerClock, type TurnWaits } from './trigger/poll';
import { eventSubtitle, includeStopsOption, POLL_EVENTS, statusesProperty } from './trigger/eventProperties';
import { DEFAULT_WINDOW_HOURS } from './trigger/settings';

export type { TriggerClock, TurnWaits } from './trigger/poll';

/** The events whose items are delivery reports, with their status and result-code filters. */
const showForReportEvents = { show: { event: ['deliveryStatusChanged', 'campaignReport'] } };
const showForSupervision = { show: { event: ['deliveryStatusChanged', 'campaignReport', 'campaignFinished'] } };

/** Polls SFR DMC for replies, STOP requests and final delivery reports (see trigger/poll.ts). */
export class SfrDmcSmsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SFR DMC Trigger',
		name: 'sfrDmcSmsTrigger',
		icon: { light: 'file:sfrDmc.svg', dark: 'file:sfrDmc.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventSubtitle(POLL_EVENTS),
		description:
			'Starts a workflow when an SMS or a campaign sent through SFR Business DMC gets a reply, a STOP or its final delivery report',
		defaults: { name: 'SFR DMC Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'sfrDmcApi', required: true }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				default: 'replyReceived',
				options: POLL_EVENTS,
			},
			{
				displayName: 'Campaign IDs',
				name: 'campaignIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. 61920, 61921',
				description:
					'The campaigns to watch, separated by commas. Empty: every campaign under way. Each watched campaign costs one report read a minute per poll.',
				displayOptions: { show: { event: ['campaignReport', 'campaignFinished'] } },
			},
			{
				displayName:
					'SFR allows delivery reports to be queried at most once a minute: this trigger never queries DMC more often, whatever the poll times say',
				name: 'oneMinuteNotice',
				type: 'notice',
				default: '',
				displayOptions: showForSupervision,
			},
			{ ...statusesProperty, displayOptions: showForReportEvents },
			{
				displayName: 'Result Codes',
				name: 'resultCodes',
				type: 'string',
				default: '',
				placeholder: 'e.g. CRA_SMS_BLACKLIST, CRA_SMS_SAASNOCREDIT',
				description:
					'Only reports with one of these DMC result codes, separated by commas (the CRA_SMS_ prefix may be left out). Empty: any code.',
				displayOptions: showForReportEvents,
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				// STOP Received has no option: without this, n8n shows an empty "No properties" block.
				displayOptions: { show: { event: ['replyReceived', 'deliveryStatusChanged'] } },
				options: [
					includeStopsOption,
					{
						displayName: 'Messages Sent Within (Hours)',
						name: 'windowHours',
						type: 'number',
						typeOptions: { minValue: 1, numberPrecision: 0 },
						default: DEFAULT_WINDOW_HOURS,
						description:
							"How far back to watch sent messages for their final report. Keep it above the messages' validity (DMC's default is 48 hours).",
						displayOptions: { show: { '/event': ['deliveryStatusChanged'] } },
					},
				],
			},
		],
	};

	poll: (this: IPollFunctions) => Promise<INodeExecutionData[][] | null>;

	/** n8n builds the node without arguments; tests pass a fake clock, and shorter waits for the report turn. */
	constructor(clock: TriggerClock = systemClock, turnWaits: TurnWaits = N8N_TURN_WAITS) {
		this.poll = createPoll(clock, turnWaits);
	}
}
