/**
 * What the SFR DMC Trigger's events are made of, from DMC's records. Pure and n8n-free.
 */
import {
	instantOf,
	statusOf,
	textOf,
	toReply,
	e164OrRaw,
	type DeliveryReport,
	type DeliveryStatus,
	type DmcRecord,
	type SmsReply,
} from './deliveryReports';
import type { CursorEvent } from './pollCursor';

export type TriggerEvent = 'replyReceived' | 'stopReceived' | 'deliveryStatusChanged';

export type FinalStatus = Extract<DeliveryStatus, 'DONE' | 'FAILED'>;

export const FINAL_STATUSES: readonly FinalStatus[] = ['DONE', 'FAILED'];

function idOf(value: unknown): string | undefined {
	return textOf(value) ?? undefined;
}

/**
 * The replies of a `getResponsesSMS` answer as cursor events. A reply is identified by the
 * message it answers, its instant, its sender and its text. One without a date counts from
 * `now`, the poll that first sees it.
 */
export function replyEvents(records: readonly DmcRecord[], now: number): Array<CursorEvent<SmsReply>> {
	return records.map((record) => {
		const reply = toReply(record);
		const time = instantOf(record.callDate);
		return {
			key: JSON.stringify(['reply', reply.messageId, time ?? null, reply.from, reply.text]),
			time: time ?? now,
			value: reply,
		};
	});
}

/**
 * The messages of a `getSingleCallCra` listing whose report is final (DONE or FAILED), as
 * cursor events keyed by message and status. The instant is DMC's `statusLastChange`. The
 * guide does not list that field for this method (the sandbox and findCraByIds have it); a
 * report without it counts from `now`, the poll that first sees it final, and its key is
 * then kept for as long as the listing shows it, so it is still emitted exactly once.
 */
export function finalReportEvents(records: readonly DmcRecord[], now: number): Array<CursorEvent<DmcRecord>> {
	const events: Array<CursorEvent<DmcRecord>> = [];
	for (const record of records) {
		const id = idOf(record.messageId);
		const status = record.status;
		if (id === undefined || (status !== 'DONE' && status !== 'FAILED')) continue;
		events.push({ key: `${id}:${status}`, time: instantOf(record.statusLastChange) ?? now, value: record });
	}
	return events;
}

/** The message id of a `getSingleCallCra` entry. */
export function listedMessageId(record: DmcRecord): string {
	return idOf(record.messageId) ?? '';
}

/**
 * A report built from a `getSingleCallCra` entry alone, for a message `findCraByIds` did
 * not return: DMC's text but no result code or parts, which only findCraByIds gives.
 */
export function reportFromListing(record: DmcRecord): DeliveryReport {
	const status = statusOf(record.status);
	const time = instantOf(record.statusLastChange);
	const to = idOf(record.to) ?? idOf(record.phoneNumber);
	return {
		messageId: textOf(record.messageId),
		reference: textOf(record.refExt),
		to: to === undefined ? null : e164OrRaw(to),
		status,
		resultCode: null,
		result: textOf(record.lastResult),
		parts: null,
		updatedAt: time === undefined ? null : new Date(time).toISOString(),
	};
}

/**
 * Result codes as a user writes them: separated by commas, semicolons, spaces or new lines,
 * any case, with or without the `CRA_SMS_` prefix (`blacklist` → `CRA_SMS_BLACKLIST`).
 */
export function parseResultCodes(value: unknown): string[] {
	const entries = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/[\s,;]+/) : [];
	const codes = entries
		.map((entry) => entry.trim().toUpperCase())
		.filter((entry) => entry !== '')
		.map((entry) => (entry.startsWith('CRA_') ? entry : `CRA_SMS_${entry}`));
	return [...new Set(codes)];
}

/** The statuses to report: the chosen ones, or both when none is chosen. */
export function parseStatuses(value: unknown): FinalStatus[] {
	const chosen = Array.isArray(value) ? FINAL_STATUSES.filter((status) => value.includes(status)) : [];
	return chosen.length > 0 ? chosen : [...FINAL_STATUSES];
}

/** Whether a report passes the result-code filter (no codes: every report does). */
export function matchesResultCodes(report: DeliveryReport, codes: readonly string[]): boolean {
	return codes.length === 0 || (report.resultCode !== null && codes.includes(report.resultCode));
}
