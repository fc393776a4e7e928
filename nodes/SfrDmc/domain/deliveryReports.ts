import { describeValue, InputError } from './inputError';
import { partsOf } from './messageParts';
import { normalizePhoneNumber } from './recipients';

/** Most ids (message ids and references together) `findCraByIds` takes in one call. */
export const MAX_IDS_PER_REPORT_CALL = 100;

export type DeliveryStatus = 'RUNNING' | 'DONE' | 'FAILED' | 'UNKNOWN';

/** A message's delivery report, as the node outputs it. */
export interface DeliveryReport {
	messageId: string | null;
	reference: string | null;
	to: string | null;
	status: DeliveryStatus;
	/** DMC's language-independent code, e.g. CRA_SMS_RECEIVED. */
	resultCode: string | null;
	/** DMC's text for it, in the credential's language. */
	result: string | null;
	parts: number | null;
	/** ISO 8601. */
	updatedAt: string | null;
}

/** A reply (or STOP) a recipient sent back. */
export interface SmsReply {
	from: string;
	text: string;
	receivedAt: string | null;
	isStop: boolean;
	messageId: string | null;
	/** The campaign (DMC's broadcastId) of a campaign contact's reply, when DMC gives it. */
	campaignId?: string;
}

/** One entry of a DMC answer (a report, a reply), read field by field. */
export type DmcRecord = Record<string, unknown>;

/**
 * Reads a list of message ids or references: text separated by commas, semicolons, spaces
 * or new lines, a number, or a list (e.g. a send's `messageIds`), nested one level deep.
 */
export function parseIdList(value: unknown, what: string): string[] {
	if (value === undefined || value === null || value === '') return [];
	const found: string[] = [];
	const add = (entry: unknown, depth: number): void => {
		if (typeof entry === 'number' && Number.isFinite(entry)) found.push(String(entry));
		else if (typeof entry === 'string') found.push(...entry.split(/[\s,;]+/).filter((part) => part !== ''));
		else if (Array.isArray(entry) && depth === 0) entry.forEach((inner) => add(inner, depth + 1));
		else if (entry !== null && entry !== undefined && entry !== '') {
			throw new InputError(`${what} must be text or a list of texts, not ${depth > 0 ? 'a list holding ' : ''}${describeValue(entry)}`);
		}
	};
	add(value, 0);
	return [...new Set(found)];
}

/** Splits ids and references into `findCraByIds` calls of at most 100 in all, in order. */
export function chunkReportQueries(messageIds: readonly string[], references: readonly string[]) {
	const queries: Array<{ contactIds: string[]; contactExtRefs: string[] }> = [];
	const all = [...messageIds.map((id) => ({ id, reference: false })), ...references.map((id) => ({ id, reference: true }))];
	for (let start = 0; start < all.length; start += MAX_IDS_PER_REPORT_CALL) {
		const slice = all.slice(start, start + MAX_IDS_PER_REPORT_CALL);
		queries.push({
			contactIds: slice.filter((entry) => !entry.reference).map((entry) => entry.id),
			contactExtRefs: slice.filter((entry) => entry.reference).map((entry) => entry.id),
		});
	}
	return queries;
}

/** A DMC text or id field (ids may come as numbers), or null. */
export function textOf(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : null;
}

/** A DMC timestamp (ms, as a number or digits), or undefined. */
export function instantOf(value: unknown): number | undefined {
	const time = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
	return Number.isFinite(time) ? time : undefined;
}

function isoDate(value: unknown): string | null {
	const time = instantOf(value);
	return time === undefined ? null : new Date(time).toISOString();
}

/** A DMC status, UNKNOWN for anything else. */
export function statusOf(value: unknown): DeliveryStatus {
	return value === 'RUNNING' || value === 'DONE' || value === 'FAILED' ? value : 'UNKNOWN';
}

/** DMC reports numbers as it stores them; show them in E.164 when they read as one (a landline called too). */
export function e164OrRaw(raw: string): string {
	try {
		return normalizePhoneNumber(raw.startsWith('+') || raw.startsWith('0') ? raw : `+${raw}`, { defaultCountry: 'FR', policy: 'any' });
	} catch {
		return raw;
	}
}

/** A `findCraByIds` record as the node outputs it. */
export function toDeliveryReport(record: DmcRecord): DeliveryReport {
	return {
		messageId: textOf(record.contactId),
		reference: textOf(record.externalReference),
		to: textOf(record.callAdress) ?? textOf(record.phoneNumber1),
		status: statusOf(record.status),
		resultCode: textOf(record.callResultCode),
		result: textOf(record.callResult),
		parts: partsOf(record),
		updatedAt: isoDate(record.statusLastChange),
	};
}

/** The report of an id or reference DMC does not know: an item, not a silent gap. */
export function unknownReport(id: string, isReference: boolean): DeliveryReport {
	return {
		messageId: isReference ? null : id,
		reference: isReference ? id : null,
		to: null,
		status: 'UNKNOWN',
		resultCode: null,
		result: null,
		parts: null,
		updatedAt: null,
	};
}

/**
 * Orders the reports as the ids were asked: one per message id, then every message of each
 * reference; an id or reference nothing matched yields an UNKNOWN report.
 */
export function matchReports(
	messageIds: readonly string[],
	references: readonly string[],
	reports: readonly DeliveryReport[],
): DeliveryReport[] {
	const byId = new Map(reports.filter((report) => report.messageId).map((report) => [report.messageId, report]));
	const result: DeliveryReport[] = messageIds.map((id) => byId.get(id) ?? unknownReport(id, false));
	for (const reference of references) {
		const matching = reports.filter((report) => report.reference === reference);
		result.push(...(matching.length > 0 ? matching : [unknownReport(reference, true)]));
	}
	return result;
}

/** A STOP request: the reply starts with STOP (any case), as DMC's opt-out keyword. */
export function isStopReply(text: string): boolean {
	return /^\s*stop\b/i.test(text);
}

/** A `getResponsesSMS` record as the node outputs it. */
export function toReply(record: DmcRecord): SmsReply {
	const from = textOf(record.callAdress) ?? '';
	const replyText = textOf(record.callResponse) ?? '';
	return {
		from: from === '' ? from : e164OrRaw(from),
		text: replyText,
		receivedAt: isoDate(record.callDate),
		isStop: isStopReply(replyText),
		messageId: textOf(record.contactId),
		...campaignOf(record.broadcastId),
	};
}

/** A broadcast id DMC gave: a positive whole number (a unit message's reply has none). */
function campaignOf(broadcastId: unknown): { campaignId?: string } {
	const id = textOf(broadcastId);
	return id !== null && /^0*[1-9]\d*$/.test(id) ? { campaignId: id } : {};
}
