/**
 * The trigger's event kinds: where DMC lists each kind's candidate events, and the one
 * step that turns new events into output items. The poll and "Fetch Test Event" both go
 * through them, so a filter is written once.
 */
import type { IDataObject } from 'n8n-workflow';

import { chunkReportQueries, toDeliveryReport, type DeliveryReport, type SmsReply } from '../domain/deliveryReports';
import { queryFrom, type CursorEvent, type PollCursor } from '../domain/pollCursor';
import { finalReportEvents, listedMessageId, matchesResultCodes, replyEvents, reportFromListing } from '../domain/triggerEvents';
import type { BroadcastClient } from '../transport/BroadcastClient';
import type { DmcClient, DmcRecord } from '../transport/DmcClient';
import { campaignFinishedKind, campaignReportKind } from './campaignKinds';
import type { ReplySettings, ReportSettings, TriggerSettings } from './settings';

/** How far back "Fetch Test Event" looks for a reply or a STOP. */
const TEST_EVENT_REPLY_LOOKBACK_MS = 7 * 24 * 60 * 60 * 1000;

/** What a kind found: its candidate events, and what it keeps in the cursor for its next poll, if anything. */
export interface Found<T> {
	events: Array<CursorEvent<T>>;
	state?: unknown;
}

export interface EventKind<T> {
	/**
	 * The candidate events DMC has now: those since the cursor's query window when there is
	 * a cursor (a poll), the recent ones when there is none (a test event).
	 */
	find(client: BroadcastClient, now: number, cursor?: PollCursor): Promise<Found<T>>;
	/**
	 * The items to emit for these events, in their order, the user's filters applied. At
	 * most `limit` events are looked further into (one `findCraByIds` call's worth, so that
	 * a poll makes one such call); the events beyond are `deferred`, for the next poll.
	 */
	select(client: BroadcastClient, events: ReadonlyArray<CursorEvent<T>>, limit?: number): Promise<SelectedEvents<T>>;
}

export interface SelectedEvents<T> {
	items: IDataObject[];
	deferred: Array<CursorEvent<T>>;
}

/** Reply Received and STOP Received: one `getResponsesSMS` per query. */
export function replyKind(settings: ReplySettings): EventKind<SmsReply> {
	const stopOnly = settings.event === 'stopReceived';
	return {
		async find(client, now, cursor) {
			const from = cursor === undefined ? now - TEST_EVENT_REPLY_LOOKBACK_MS : queryFrom(cursor);
			return { events: replyEvents(await client.dmc.getResponsesSMS(stopOnly, new Date(from), new Date(now)), now) };
		},
		async select(_client, events) {
			const items = events.filter((found) => stopOnly || settings.includeStops || !found.value.isStop).map((found) => ({ ...found.value }));
			return { items, deferred: [] };
		},
	};
}

/**
 * Delivery Status Changed: one `getSingleCallCra` listing of the messages sent in the
 * window, then `findCraByIds` for the reports with a wanted status. The listing has DMC's
 * status but only a localised text; the result code (the Result Codes filter, the
 * `resultCode` output) and the parts exist only in findCraByIds.
 */
export function reportKind(settings: ReportSettings): EventKind<DmcRecord> {
	const statuses: readonly string[] = settings.statuses;
	return {
		async find(client, now) {
			return { events: finalReportEvents(await client.dmc.listSingleCallCra(new Date(now - settings.windowMs)), now) };
		},
		async select(client, events, limit = Infinity) {
			const wanted = events.filter((found) => statuses.includes(String(found.value.status)));
			const reports = await lookUpReports(client.dmc, wanted.slice(0, limit));
			const items = reports.filter((report) => matchesResultCodes(report, settings.codes)).map((report) => ({ ...report }));
			return { items, deferred: wanted.slice(limit) };
		},
	};
}

/** The kind of the event the user chose. Its events stay opaque to the caller, who only hands what `find` returned back to the same kind's `select`. */
export function eventKindFor(settings: TriggerSettings): EventKind<unknown> {
	switch (settings.event) {
		case 'deliveryStatusChanged':
			return reportKind(settings) as EventKind<unknown>;
		case 'campaignReport':
			return campaignReportKind(settings) as EventKind<unknown>;
		case 'campaignFinished':
			return campaignFinishedKind(settings);
		default:
			return replyKind(settings) as EventKind<unknown>;
	}
}

/**
 * The full reports (result code, parts, E.164 number) of the listed messages, in the
 * listing's order: one `findCraByIds` per 100 messages. A message findCraByIds does not
 * return keeps what the listing says of it.
 */
async function lookUpReports(client: DmcClient, listed: ReadonlyArray<CursorEvent<DmcRecord>>): Promise<DeliveryReport[]> {
	const ids = listed.map((found) => listedMessageId(found.value));
	const byId = new Map<string, DeliveryReport>();
	for (const chunk of chunkReportQueries(ids, [])) {
		for (const record of await client.findCraByIds(chunk.contactIds, [])) {
			const report = toDeliveryReport(record);
			if (report.messageId !== null) byId.set(report.messageId, report);
		}
	}
	return listed.map((found) => byId.get(listedMessageId(found.value)) ?? reportFromListing(found.value));
}
