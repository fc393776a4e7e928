/**
 * What the SFR DMC Push Trigger makes of a push entry: one event, in the polling trigger's
 * output shape where the two meet. Pure and n8n-free.
 */
import { e164OrRaw, isStopReply, type DeliveryStatus } from './deliveryReports';
import { parsePushDate } from './pushDates';
import { PushBodyError, type PushEntry, type PushStatusLine } from './pushReports';
import type { FinalStatus, TriggerEvent } from './triggerEvents';

export type PushEventChoice = TriggerEvent | 'allEvents';

/** The push statuses that are a message's final delivery report, in the polling vocabulary. */
const DELIVERY_STATUS: Record<string, DeliveryStatus> = {
	SENT: 'RUNNING',
	SUBMITTED: 'RUNNING',
	RECEIVED: 'DONE',
	ERROR: 'FAILED',
	ABORTED: 'FAILED',
};

export interface PushEvent {
	event: TriggerEvent;
	/** `call_id|status|date`: the same event pushed twice has the same key. */
	key: string;
	json: Record<string, unknown>;
}

function isoOf(date: string | null): string | null {
	const time = date === null ? undefined : parsePushDate(date);
	return time === undefined ? null : new Date(time).toISOString();
}

/** The line that made the entry's status: the last one of that type, else the last one. */
function currentLine(entry: PushEntry, status: string): PushStatusLine | undefined {
	return [...entry.statusList].reverse().find((line) => line.type === status);
}

/**
 * The event of one entry. Its status is the entry's `status`, else the last `status_list`
 * type; a reply (ANSWERED) has its text in that line's `info`. `where` names the entry in
 * an error.
 */
export function pushEventOf(entry: PushEntry, where: string): PushEvent {
	const status = entry.status ?? entry.statusList.at(-1)?.type;
	if (status === undefined) throw new PushBodyError(`${where} has no status`);
	const id = entry.callId ?? entry.contactId;
	if (id === null) throw new PushBodyError(`${where} has neither call_id nor contact_id`);
	const line = currentLine(entry, status);
	const date = line?.date ?? entry.date;
	const key = [id, status, date ?? ''].join('|');
	const number = entry.to === null ? null : e164OrRaw(entry.to);
	// A campaign's contacts are pushed too, with their campaign's broadcast_id: the real-time path for campaign reports.
	const common = {
		messageId: entry.contactId,
		reference: entry.reference,
		callId: entry.callId,
		campaignId: entry.broadcastId,
		medium: entry.medium,
	};

	if (status === 'ANSWERED') {
		const text = line?.info ?? entry.info ?? '';
		const isStop = isStopReply(text);
		const event: TriggerEvent = isStop ? 'stopReceived' : 'replyReceived';
		return { event, key, json: { event, ...common, from: number ?? '', text, isStop, receivedAt: isoOf(date), raw: entry.raw } };
	}
	const event: TriggerEvent = 'deliveryStatusChanged';
	return {
		event,
		key,
		json: {
			event,
			...common,
			to: number,
			status: DELIVERY_STATUS[status] ?? 'UNKNOWN',
			pushStatus: status,
			result: line?.info ?? entry.info,
			updatedAt: isoOf(date),
			raw: entry.raw,
		},
	};
}

export interface PushEventFilter {
	choice: PushEventChoice;
	/** Delivery Status Changed: the polling trigger's final statuses. */
	statuses: readonly FinalStatus[];
	/** Reply Received: whether STOP requests count as replies. */
	includeStops: boolean;
}

/** Whether the trigger emits an event for the chosen event type. */
export function wantedPushEvent(event: PushEvent, filter: PushEventFilter): boolean {
	switch (filter.choice) {
		case 'allEvents':
			return true;
		case 'stopReceived':
			return event.event === 'stopReceived';
		case 'replyReceived':
			return event.event === 'replyReceived' || (filter.includeStops && event.event === 'stopReceived');
		case 'deliveryStatusChanged':
			return event.event === 'deliveryStatusChanged' && (filter.statuses as readonly string[]).includes(String(event.json.status));
	}
}
