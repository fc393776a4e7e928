import { byChange, changedAfter, positionAfter, type ReportPosition } from '../domain/campaignRotation';
import { instantOf, textOf, type DmcRecord } from '../domain/deliveryReports';
import { MAX_REPORTS_PER_PAGE, type BroadcastClient } from './BroadcastClient';

/**
 * Reading a campaign's per-contact reports under DMC's once-a-minute rule (§2.4): every call
 * below is a SupervisionWS call, so each one waits for the service's turn at the gate and
 * nothing here waits otherwise.
 *
 * - `findBroadcastCra` answers every report of a campaign in one call: one turn, whatever
 *   the size (50,000 reports: one call).
 * - `findLastModifiedCra` answers at most 50 reports changed since a date and contact: one
 *   turn per 50 (50,000 reports: 1,000 calls, about 17 hours).
 * So a full read is always findBroadcastCra; changes since a point start with one
 * findLastModifiedCra page, and a full page (more are waiting) is followed by one
 * findBroadcastCra filtered to the same point instead of a minute per further 50.
 */

/** Every report of the campaign. A listing short of DMC's own total is completed page by page, never left with a gap. */
export async function readAllReports(client: BroadcastClient, campaignId: string): Promise<DmcRecord[]> {
	const { reports, total } = await client.findBroadcastCra(campaignId);
	if (total === null || reports.length >= total) return reports;
	return mergeByContact(reports, await readPages(client, campaignId, { since: 0 }));
}

/** The reports changed after `position`, oldest change first: at most two turns of the minute. */
export async function readReportsChangedSince(client: BroadcastClient, campaignId: string, position: ReportPosition): Promise<DmcRecord[]> {
	const page = await client.findLastModifiedCra(campaignId, position.since, position.contactId);
	if (page.length < MAX_REPORTS_PER_PAGE) return page;
	return byChange((await readAllReports(client, campaignId)).filter((record) => changedAfter(record, position)));
}

/** findLastModifiedCra from `position` until a page is short: one turn per 50 reports. */
async function readPages(client: BroadcastClient, campaignId: string, position: ReportPosition): Promise<DmcRecord[]> {
	const records: DmcRecord[] = [];
	for (let from = position; ; ) {
		const page = await client.findLastModifiedCra(campaignId, from.since, from.contactId);
		records.push(...page);
		const last = page[page.length - 1];
		if (page.length < MAX_REPORTS_PER_PAGE || last === undefined) return records;
		const next = positionAfter(last);
		if (next === undefined) return records;
		from = next;
	}
}

/** One report per contact, the latest change winning. */
function mergeByContact(...lists: DmcRecord[][]): DmcRecord[] {
	const byContact = new Map<string, DmcRecord>();
	for (const record of lists.flat()) {
		const id = textOf(record.contactId);
		if (id === null) continue;
		const known = byContact.get(id);
		if (known === undefined || (instantOf(record.statusLastChange) ?? 0) >= (instantOf(known.statusLastChange) ?? 0))
			byContact.set(id, record);
	}
	return [...byContact.values()];
}
