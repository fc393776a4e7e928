import { NodeConnectionTypes, type INodeExecutionData, type INodeType, type INodeTypeDescription, type IPollFunctions } from 'n8n-workflow';

import { createPoll, N8N_TURN_WAITS, systemClock, type TriggerClock, type TurnWaits } from './trigger/poll';
import { eventSubtitle, includeStopsOption, showForReports, statusesProperty, TRIGGER_EVENTS } from './trigger/eventProperties';
import { DEFAULT_WINDOW_HOURS } from './trigger/settings';

export type { TriggerClock, TurnWaits } from './trigger/poll';

/** Polls SFR DMC for replies, STOP requests and final delivery reports (see trigger/poll.ts). */
export class SfrDmcSmsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SFR DMC Trigger',
		name: 'sfrDmcSmsTrigger',
		icon: { light: 'file:sfrDmc.svg', dark: 'file:sfrDmc.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventSubtitle(TRIGGER_EVENTS),
		description: 'Starts a workflow when an SMS sent through SFR Business DMC gets a reply, a STOP or its final delivery report',
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
				options: TRIGGER_EVENTS,
			},
			{
				displayName:
					'SFR allows delivery reports to be queried at most once a minute: this trigger never queries DMC more often, whatever the poll times say',
				name: 'oneMinuteNotice',
				type: 'notice',
				default: '',
				displayOptions: showForReports,
			},
			statusesProperty,
			{
				displayName: 'Result Codes',
				name: 'resultCodes',
				type: 'string',
				default: '',
				placeholder: 'e.g. CRA_SMS_BLACKLIST, CRA_SMS_SAASNOCREDIT',
				description:
					'Only reports with one of these DMC result codes, separated by commas (the CRA_SMS_ prefix may be left out). Empty: any code.',
				displayOptions: showForReports,
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
