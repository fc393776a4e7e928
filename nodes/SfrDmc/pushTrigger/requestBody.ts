/**
 * The push body as n8n hands it over. n8n reads every webhook body into `rawBody` and
 * also parses it (JSON, XML with its own parser, forms): this trigger reads the raw bytes
 * with its own strict reader, and falls back on the parsed body only when there are none.
 */
import type { IDataObject } from 'n8n-workflow';

import { decodePushBytes, PushBodyError, readPushText, readPushValue, type PushReport } from '../domain/pushReports';

/** The largest Max Body Size a user may set. */
export const MAX_PUSH_BODY_KB = 10_240;

export class PushTooLargeError extends Error {
	constructor(readonly limitKb: number) {
		super(`The push is larger than ${limitKb} KB`);
		this.name = 'PushTooLargeError';
	}
}

export interface PushRequest {
	rawBody?: unknown;
	contentType?: string;
	/** What n8n parsed from the body, used only without `rawBody`. */
	parsed: () => IDataObject | string | undefined;
}

function looksLikeData(value: unknown): value is string {
	return typeof value === 'string' && /^\s*[{[<]/.test(value);
}

/** A body n8n parsed: a status report, or a form with a field holding JSON or XML. */
function readParsed(body: IDataObject | string | undefined): PushReport {
	if (typeof body === 'string') return readPushText(body);
	if (body === undefined || Object.keys(body).length === 0) throw new PushBodyError('empty body');
	const field = Object.values(body).find(looksLikeData);
	return field === undefined ? readPushValue(body) : readPushText(field, false);
}

/** Reads the push of a request, refusing one over `limitKb`. */
export function readPushRequest(request: PushRequest, limitKb: number): PushReport {
	const limit = limitKb * 1024;
	if (request.rawBody instanceof Uint8Array && request.rawBody.length > 0) {
		if (request.rawBody.length > limit) throw new PushTooLargeError(limitKb);
		return readPushText(decodePushBytes(request.rawBody, request.contentType));
	}
	const parsed = request.parsed();
	if (JSON.stringify(parsed ?? '').length > limit) throw new PushTooLargeError(limitKb);
	return readParsed(parsed);
}
