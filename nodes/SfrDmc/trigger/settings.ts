import { NodeOperationError, type IDataObject, type IPollFunctions } from 'n8n-workflow';

import { parseCampaignIdList } from '../domain/campaigns';
import { parseResultCodes, parseStatuses, type FinalStatus, type TriggerEvent } from '../domain/triggerEvents';

const HOUR_MS = 60 * 60 * 1000;

/** DMC's default validity (2880 minutes) and two hours for the last reports to come in. */
export const DEFAULT_WINDOW_HOURS = 50;

export interface ReplySettings {
	event: 'replyReceived' | 'stopReceived';
	includeStops: boolean;
}

export interface ReportSettings {
	event: 'deliveryStatusChanged';
	/** How far back the sent messages are watched. */
	windowMs: number;
	statuses: FinalStatus[];
	codes: string[];
}

/** Campaign Report and Campaign Finished: the campaigns watched (none given: every campaign under way). */
export interface CampaignSettings {
	event: 'campaignReport' | 'campaignFinished';
	campaignIds: string[];
	statuses: FinalStatus[];
	codes: string[];
}

/** The polling trigger's events: the push trigger's, and those of campaigns, which only polling reads. */
export type PollEvent = TriggerEvent | CampaignSettings['event'];

/** What the user asked the trigger for, read once per poll from its parameters. */
export type TriggerSettings = ReplySettings | ReportSettings | CampaignSettings;

export function readTriggerSettings(context: IPollFunctions): TriggerSettings {
	const event = context.getNodeParameter('event') as PollEvent;
	if (event === 'campaignReport' || event === 'campaignFinished') return readCampaignSettings(context, event);
	const options = context.getNodeParameter('options', {}) as IDataObject;
	if (event !== 'deliveryStatusChanged') return { event, includeStops: options.includeStops === true };

	const hours = options.windowHours === undefined ? DEFAULT_WINDOW_HOURS : Number(options.windowHours);
	if (!Number.isFinite(hours) || hours <= 0) {
		throw new NodeOperationError(
			context.getNode(),
			`Messages Sent Within must be a positive number of hours, not ${String(options.windowHours)}`,
		);
	}
	return {
		event,
		windowMs: hours * HOUR_MS,
		statuses: parseStatuses(context.getNodeParameter('statuses', [])),
		codes: parseResultCodes(context.getNodeParameter('resultCodes', '')),
	};
}

function readCampaignSettings(context: IPollFunctions, event: CampaignSettings['event']): CampaignSettings {
	return {
		event,
		// A bad id throws an InputError naming it: the poll, or the activation, fails with that message.
		campaignIds: parseCampaignIdList(context.getNodeParameter('campaignIds', '')),
		statuses: parseStatuses(context.getNodeParameter('statuses', [])),
		codes: parseResultCodes(context.getNodeParameter('resultCodes', '')),
	};
}
