/**
 * The trigger's campaign events. Every DMC call here is a SupervisionWS call, so each waits
 * for the service's once-a-minute turn, shared with every other report read of the process;
 * a scheduled poll makes at most one of them.
 */
import type { IDataObject } from 'n8n-workflow';

import { campaignReportEvents, finishedCampaignEvents } from '../domain/campaignEvents';
import {
	afterListing,
	afterRead,
	byChange,
	changedAfter,
	positionAfter,
	rotationFor,
	turnOf,
	type ReadOutcome,
	type WatchedCampaign,
} from '../domain/campaignRotation';
import { ENDED_STATUSES, toCampaign, toCampaignReport } from '../domain/campaigns';
import type { DmcRecord } from '../domain/deliveryReports';
import { MAX_REPORTS_PER_PAGE, type BroadcastClient } from '../transport/BroadcastClient';
import { readAllReports } from '../transport/campaignReports';
import type { CampaignSettings } from './settings';
import type { EventKind, Found } from './selectEvents';

/** How far back "Fetch Test Event" looks for a campaign report. */
const TEST_EVENT_REPORT_LOOKBACK_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Campaign Report: each poll takes one turn of the rotation (domain/campaignRotation.ts):
 * the listing of campaigns, or one watched campaign's reports changed since its position
 * (one findLastModifiedCra; after a full page, one findBroadcastCra at its next turn). A
 * report counts from the poll that found it: its campaign's turn may come minutes after it
 * changed, beyond the cursor's overlap, and its position, not its instant, keeps it once.
 */
export function campaignReportKind(settings: CampaignSettings): EventKind<DmcRecord> {
	const statuses: readonly string[] = settings.statuses;
	return {
		async find(client, now, cursor) {
			if (cursor === undefined) return await latestReports(client, settings.campaignIds, now);
			const rotation = rotationFor(cursor.state, settings.campaignIds, now);
			const turn = turnOf(rotation);
			if (rotation === undefined || turn.kind === 'list')
				return { events: [], state: afterListing(rotation, await listCampaigns(client), now) };
			// The Campaign IDs' first poll: each is read from now on, from the next poll.
			if (cursor.state === undefined) return { events: [], state: rotation };
			const { records, outcome } = await readTurn(client, turn.campaign);
			const events = campaignReportEvents(records, now).map((event) => ({ ...event, time: now }));
			return { events, state: afterRead(rotation, outcome) };
		},
		async select(_client, events) {
			const items = events
				.filter((found) => statuses.includes(String(found.value.status)))
				.map((found) => toCampaignReport(found.value))
				.filter((report) => settings.codes.length === 0 || (report.resultCode !== null && settings.codes.includes(report.resultCode)))
				.map((report): IDataObject => ({ ...report }));
			return { items, deferred: [] };
		},
	};
}

/** Campaign Finished: one findBroadcastStatus per poll; a campaign that has ended (finished, stopped, failed), once. */
export function campaignFinishedKind(settings: CampaignSettings): EventKind<unknown> {
	return {
		async find(client, now) {
			return { events: finishedCampaignEvents(await listCampaigns(client), settings.campaignIds, now) };
		},
		async select(_client, events) {
			return { items: events.map((found) => ({ ...(found.value as IDataObject) })), deferred: [] };
		},
	};
}

async function listCampaigns(client: BroadcastClient) {
	return (await client.findBroadcastStatus()).map(toCampaign);
}

/**
 * One read of a campaign: its changes since its position, one page; after a full page,
 * every report at once, kept from the position on. A full read short of DMC's own total
 * is not trusted (a report missing from it would be skipped for good): the campaign is
 * then read page by page from the same position.
 */
async function readTurn(client: BroadcastClient, campaign: WatchedCampaign): Promise<{ records: DmcRecord[]; outcome: ReadOutcome }> {
	const { campaignId, from } = campaign;
	if (campaign.readAll && !campaign.pagesOnly) {
		const { reports, total } = await client.findBroadcastCra(campaignId);
		if (total !== null && reports.length < total) return { records: [], outcome: { from, pagesOnly: true, pending: true } };
		const records = byChange(reports.filter((record) => changedAfter(record, from)));
		return { records, outcome: { from: positionAt(records, from), pending: false } };
	}
	const records = await client.findLastModifiedCra(campaignId, from.since, from.contactId);
	const full = records.length >= MAX_REPORTS_PER_PAGE;
	const outcome = { from: positionAt(records, from), pending: full };
	return { records, outcome: full ? { ...outcome, [campaign.pagesOnly ? 'pagesOnly' : 'readAll']: true } : outcome };
}

function positionAt(records: readonly DmcRecord[], from: WatchedCampaign['from']) {
	const last = records[records.length - 1];
	return (last && positionAfter(last)) ?? from;
}

/**
 * "Fetch Test Event": the reports of one campaign, in one findBroadcastCra: the first
 * Campaign ID given, or else the campaign under way (or ended) that started last.
 */
async function latestReports(client: BroadcastClient, campaignIds: readonly string[], now: number): Promise<Found<DmcRecord>> {
	let campaignId: string | null | undefined = campaignIds[0];
	if (campaignId === undefined) {
		const listed = (await listCampaigns(client)).filter((campaign) => campaign.status !== 'editing');
		const underWay = listed.filter((campaign) => !ENDED_STATUSES.includes(campaign.status));
		const latest = (underWay.length > 0 ? underWay : listed).sort((a, b) => (b.startAt ?? '').localeCompare(a.startAt ?? ''))[0];
		campaignId = latest?.campaignId;
	}
	if (campaignId === undefined || campaignId === null) return { events: [] };
	const since = now - TEST_EVENT_REPORT_LOOKBACK_MS;
	return { events: campaignReportEvents(await readAllReports(client, campaignId), now).filter((event) => event.time >= since) };
}
