/**
 * The polling trigger's campaign events, from DMC's records. Pure and n8n-free.
 */
import { ENDED_STATUSES, type Campaign } from './campaigns';
import { instantOf, textOf, type DmcRecord } from './deliveryReports';
import type { CursorEvent } from './pollCursor';

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
