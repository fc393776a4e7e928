import { NodeOperationError, type IDataObject, type IPollFunctions } from 'n8n-workflow';

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

/** What the user asked the trigger for, read once per poll from its parameters. */
export type TriggerSettings = ReplySettings | ReportSettings;

export function readTriggerSettings(context: IPollFunctions): TriggerSettings {
	const event = context.getNodeParameter('event') as TriggerEvent;
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
