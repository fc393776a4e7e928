/**
 * The polling trigger's campaign events, from DMC's records. Pure and n8n-free.
 */
import { ENDED_STATUSES, type Campaign } from './campaigns';
import { instantOf, textOf, type DmcRecord } from './deliveryReports';
import type { CursorEvent, PollCursor } from './pollCursor';

/**
 * The final reports (DONE or FAILED) among a campaign's changed reports, as cursor events
 * keyed by campaign, contact and status, at DMC's `statusLastChange` (or `now`, the poll that
 * first sees a report without it).
 */
export function campaignReportEvents(records: readonly DmcRecord[], now: number): Array<CursorEvent<DmcRecord>> {
	const events: Array<CursorEvent<DmcRecord>> = [];
	for (const record of records) {
		const contactId = textOf(record.contactId);
		if (contactId === null || (record.status !== 'DONE' && record.status !== 'FAILED')) continue;
		const key = JSON.stringify(['report', textOf(record.broadcastId), contactId, record.status]);
		events.push({ key, time: instantOf(record.statusLastChange) ?? now, value: record });
	}
	return events;
}

const WATCH_PREFIX = 'watch:';

/**
 * Without a list of campaigns, the trigger watches every campaign under way. A campaign's
 * last reports are written as it ends, so it is still read for a while once it has ended:
 * each poll leaves a watch mark per campaign under way in the cursor (an event never
 * emitted, at the poll's instant), and the cursor keeps a mark for its overlap after the
 * last poll that left it (5 minutes): that long after its end, the campaign is still read.
 */
export function watchMarks(campaignIds: readonly string[], now: number): Array<CursorEvent<null>> {
	return campaignIds.map((campaignId) => ({ key: `${WATCH_PREFIX}${campaignId}`, time: now, value: null }));
}

export function isWatchMark(event: CursorEvent<unknown>): boolean {
	return event.key.startsWith(WATCH_PREFIX);
}

/** The campaigns to read this poll: those under way, and those the cursor still marks. */
export function campaignsToRead(listed: readonly Campaign[], cursor: PollCursor | undefined): { read: string[]; underWay: string[] } {
	const marked = new Set(
		Object.keys(cursor?.seen ?? {})
			.filter((key) => key.startsWith(WATCH_PREFIX))
			.map((key) => key.slice(WATCH_PREFIX.length)),
	);
	const underWay: string[] = [];
	const read: string[] = [];
	for (const campaign of listed) {
		if (campaign.campaignId === null || campaign.status === 'editing') continue;
		const ended = ENDED_STATUSES.includes(campaign.status);
		if (!ended) underWay.push(campaign.campaignId);
		if (!ended || marked.has(campaign.campaignId)) read.push(campaign.campaignId);
	}
	return { read, underWay };
}

/**
 * The ended campaigns of a findBroadcastStatus listing (among `campaignIds`, when given), as
 * cursor events keyed by campaign. The listing gives no end date: each counts from `now`,
 * and since every poll lists it again its key stays in the cursor, so it is emitted once.
 */
export function finishedCampaignEvents(
	campaigns: readonly Campaign[],
	campaignIds: readonly string[],
	now: number,
): Array<CursorEvent<Campaign>> {
	return campaigns
		.filter((campaign) => campaign.campaignId !== null && ENDED_STATUSES.includes(campaign.status))
		.filter((campaign) => campaignIds.length === 0 || campaignIds.includes(campaign.campaignId as string))
		.map((campaign) => ({ key: JSON.stringify(['finished', campaign.campaignId]), time: now, value: campaign }));
}
