/**
 * The trigger's campaign events. Every DMC call here is a SupervisionWS call, so each waits
 * for the service's once-a-minute turn, shared with every other report read of the process.
 */
import type { IDataObject } from 'n8n-workflow';

import { campaignReportEvents, campaignsToRead, finishedCampaignEvents, isWatchMark, watchMarks } from '../domain/campaignEvents';
import { toCampaign, toCampaignReport } from '../domain/campaigns';
import type { DmcRecord } from '../domain/deliveryReports';
import { queryFrom, type CursorEvent } from '../domain/pollCursor';
import { readReportsChangedSince } from '../transport/campaignReports';
import type { CampaignSettings } from './settings';
import type { EventKind } from './selectEvents';

/** How far back "Fetch Test Event" looks for a campaign report. */
const TEST_EVENT_REPORT_LOOKBACK_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Campaign Report: per watched campaign, the reports changed since the cursor's window (one
 * findLastModifiedCra, or one findBroadcastCra when more than 50 changed), so a poll costs a
 * turn per campaign. Without Campaign IDs, one findBroadcastStatus first finds the campaigns.
 */
export function campaignReportKind(settings: CampaignSettings): EventKind<DmcRecord | null> {
	const statuses: readonly string[] = settings.statuses;
	return {
		async find(client, now, cursor) {
			const since = cursor === undefined ? now - TEST_EVENT_REPORT_LOOKBACK_MS : queryFrom(cursor);
			let read = settings.campaignIds;
			const events: Array<CursorEvent<DmcRecord | null>> = [];
			if (read.length === 0) {
				const watched = campaignsToRead((await client.findBroadcastStatus()).map(toCampaign), cursor);
				read = watched.read;
				events.push(...watchMarks(watched.underWay, now));
			}
			for (const campaignId of read)
				events.push(...campaignReportEvents(await readReportsChangedSince(client, campaignId, { since }), now));
			return events;
		},
		async select(_client, events, limit = Infinity) {
			return events
				.filter((found) => !isWatchMark(found) && found.value !== null && statuses.includes(String(found.value.status)))
				.map((found) => toCampaignReport(found.value as DmcRecord))
				.filter((report) => settings.codes.length === 0 || (report.resultCode !== null && settings.codes.includes(report.resultCode)))
				.slice(0, limit)
				.map((report): IDataObject => ({ ...report }));
		},
	};
}

/** Campaign Finished: one findBroadcastStatus per poll; a campaign that has ended (finished, stopped, failed), once. */
export function campaignFinishedKind(settings: CampaignSettings): EventKind<unknown> {
	return {
		async find(client, now) {
			return finishedCampaignEvents((await client.findBroadcastStatus()).map(toCampaign), settings.campaignIds, now);
		},
		async select(_client, events, limit = Infinity) {
			return events.slice(0, limit).map((found) => ({ ...(found.value as IDataObject) }));
		},
	};
}
