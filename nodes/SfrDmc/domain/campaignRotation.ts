/**
 * Campaign Report's rotation: which watched campaign the trigger's next scheduled poll
 * reads, and from which report on. Pure and n8n-free; it lives in the trigger's cursor.
 *
 * A scheduled poll of n8n 2.41 owns the workflow's context only until the next tick, and
 * DMC allows one SupervisionWS call a minute: so a poll makes one call. The watched
 * campaigns take turns, one a poll; without Campaign IDs the listing of campaigns
 * (findBroadcastStatus) takes the turn after the last of them. With N campaigns each is
 * read every N polls (N+1 with the listing), and a report waits at most that many minutes.
 * Each campaign keeps its own position (DMC's `statusLastChange` and `contactId` of the
 * last report read, the continuation the guide gives findLastModifiedCra), so a report is
 * read once however long its campaign waits for its turn.
 */
import { ENDED_STATUSES, type Campaign } from './campaigns';
import { instantOf, textOf, type DmcRecord } from './deliveryReports';

/** Where a read of changes starts: reports changed after this instant, or at it after this contact. */
export interface ReportPosition {
	since: number;
	contactId?: string;
}

export interface WatchedCampaign {
	campaignId: string;
	/** Where its next read starts. */
	from: ReportPosition;
	/** Its last page was full: the next read takes every report at once (findBroadcastCra). */
	readAll?: boolean;
	/** findBroadcastCra answered fewer reports than DMC's own total: pages only, until one is short. */
	pagesOnly?: boolean;
	/** The listing shows it ended: read until nothing is left pending, then no more. */
	ended?: boolean;
}

export interface CampaignRotation {
	watched: WatchedCampaign[];
	/** The index in `watched` read next; `watched.length` is the listing's turn. */
	next: number;
	/**
	 * Without Campaign IDs, the campaigns of the last listing (any state but Edition): one
	 * not among them is new, and is read from its first report even if it has ended
	 * already. Null with Campaign IDs, which need no listing.
	 */
	listed: string[] | null;
}

export type Turn = { kind: 'list' } | { kind: 'read'; campaign: WatchedCampaign };

/** What one read of a campaign leaves for its next one. */
export interface ReadOutcome {
	from: ReportPosition;
	readAll?: boolean;
	pagesOnly?: boolean;
	/** More reports are waiting than the read answered. */
	pending: boolean;
}

/**
 * The rotation to poll with: the cursor's, brought in line with the Campaign IDs the node
 * has now (a campaign added starts from `now`, one removed is dropped). Undefined when the
 * trigger watches every campaign and has not listed them yet: its first turn is a listing.
 */
export function rotationFor(state: unknown, campaignIds: readonly string[], now: number): CampaignRotation | undefined {
	const stored = readRotation(state);
	if (campaignIds.length === 0) return stored?.listed === null ? undefined : stored;
	const known = new Map((stored?.listed === null ? stored.watched : []).map((campaign) => [campaign.campaignId, campaign]));
	const watched = campaignIds.map((campaignId) => known.get(campaignId) ?? { campaignId, from: { since: now } });
	return { watched, next: (stored?.listed === null ? stored.next : 0) % watched.length, listed: null };
}

/** This poll's one call. */
export function turnOf(rotation: CampaignRotation | undefined): Turn {
	if (rotation === undefined || rotation.next >= rotation.watched.length) return { kind: 'list' };
	return { kind: 'read', campaign: rotation.watched[rotation.next] };
}

/**
 * After a listing: the campaigns under way are watched (the first listing reads them from
 * `now`, the trigger's start); one the last listing did not have is new and read from its
 * first report; one listed as ended is read until nothing is pending; one no longer listed
 * (deleted) is dropped. The turn goes back to the first campaign.
 */
export function afterListing(rotation: CampaignRotation | undefined, campaigns: readonly Campaign[], now: number): CampaignRotation {
	const listed = campaigns.filter(
		(campaign): campaign is Campaign & { campaignId: string } => campaign.campaignId !== null && campaign.status !== 'editing',
	);
	const current = new Map((rotation?.watched ?? []).map((campaign) => [campaign.campaignId, campaign]));
	const known = new Set(rotation?.listed ?? []);
	const watched: WatchedCampaign[] = [];
	for (const campaign of listed) {
		const ended = ENDED_STATUSES.includes(campaign.status);
		const watching = current.get(campaign.campaignId);
		if (watching) watched.push(ended ? { ...watching, ended: true } : watching);
		else if (rotation === undefined) {
			if (!ended) watched.push({ campaignId: campaign.campaignId, from: { since: now } });
		} else if (!known.has(campaign.campaignId))
			watched.push({ campaignId: campaign.campaignId, from: { since: 0 }, ...(ended && { ended: true }) });
	}
	return { watched, next: 0, listed: listed.map((campaign) => campaign.campaignId) };
}

/** After the read of the campaign whose turn it was: its new position, and the turn passed on. */
export function afterRead(rotation: CampaignRotation, outcome: ReadOutcome): CampaignRotation {
	const index = rotation.next;
	const read = rotation.watched[index];
	const watched = [...rotation.watched];
	if (read.ended && !outcome.pending && rotation.listed !== null) {
		watched.splice(index, 1);
		return { ...rotation, watched, next: index };
	}
	watched[index] = {
		campaignId: read.campaignId,
		from: outcome.from,
		...(outcome.readAll && { readAll: true }),
		...(outcome.pagesOnly && { pagesOnly: true }),
		...(read.ended && { ended: true }),
	};
	const next = index + 1;
	return { ...rotation, watched, next: rotation.listed === null ? next % watched.length : next };
}

/** The position just after a report, as the guide says to continue (its statusLastChange and contactId). */
export function positionAfter(record: DmcRecord): ReportPosition | undefined {
	const since = instantOf(record.statusLastChange);
	const contactId = textOf(record.contactId);
	return since === undefined || contactId === null ? undefined : { since, contactId };
}

/** Whether a report changed after the position. */
export function changedAfter(record: DmcRecord, position: ReportPosition): boolean {
	const time = instantOf(record.statusLastChange) ?? 0;
	if (position.contactId === undefined) return time >= position.since;
	return time > position.since || (time === position.since && Number(textOf(record.contactId)) > Number(position.contactId));
}

/** Reports in the order of their changes (then of their contacts), as findLastModifiedCra answers them. */
export function byChange(records: DmcRecord[]): DmcRecord[] {
	return records.sort(
		(a, b) =>
			(instantOf(a.statusLastChange) ?? 0) - (instantOf(b.statusLastChange) ?? 0) ||
			Number(textOf(a.contactId)) - Number(textOf(b.contactId)),
	);
}

function readRotation(state: unknown): CampaignRotation | undefined {
	const candidate = state as Partial<CampaignRotation> | null | undefined;
	if (typeof candidate !== 'object' || candidate === null || !Array.isArray(candidate.watched)) return undefined;
	if (typeof candidate.next !== 'number' || !Number.isInteger(candidate.next) || candidate.next < 0) return undefined;
	const listed = candidate.listed;
	if (listed !== null && !(Array.isArray(listed) && listed.every((id) => typeof id === 'string'))) return undefined;
	if (!candidate.watched.every(isWatchedCampaign)) return undefined;
	if (listed === null && candidate.watched.length === 0) return undefined;
	return { watched: candidate.watched, next: Math.min(candidate.next, candidate.watched.length), listed };
}

function isWatchedCampaign(value: unknown): value is WatchedCampaign {
	const campaign = value as Partial<WatchedCampaign> | null;
	const from = campaign?.from;
	return (
		typeof campaign?.campaignId === 'string' &&
		typeof from === 'object' &&
		from !== null &&
		typeof from.since === 'number' &&
		Number.isFinite(from.since) &&
		(from.contactId === undefined || typeof from.contactId === 'string')
	);
}
