/**
 * Reads the body of a DMC push (Push CRA) into report entries. Pure and n8n-free.
 *
 * Accepted: the guide's XML (`<status_report username><sms …><status date type info/></sms>`,
 * also `mms`, `mail`, `fax`, `call`, `notif`), the JSON seen in production
 * (`{"status_report":{"username","sms":[{…,"status_list":[…]}]}}`), either of them in a form
 * field, one entry or a list, field names in snake_case or camelCase. Every refusal is a
 * PushBodyError whose message names the field, never its value: a push carries phone
 * numbers and reply texts.
 */
import { readXml, XmlRefusal, type XmlElement } from './pushXml';

export const PUSH_MEDIA = ['sms', 'mms', 'mail', 'fax', 'call', 'notif'] as const;
export type PushMedium = (typeof PUSH_MEDIA)[number];

/** Most entries one push may carry: more is a flood, refused whole. */
export const MAX_PUSH_ENTRIES = 1000;
/** Most status lines one entry may carry. */
export const MAX_STATUS_LINES = 100;
/** Longest text a field may hold (a long SMS reply is under 2 000 characters). */
export const MAX_FIELD_CHARS = 4000;

export interface PushStatusLine {
	type: string;
	date: string | null;
	info: string | null;
}

export interface PushEntry {
	medium: PushMedium;
	callId: string | null;
	contactId: string | null;
	broadcastId: string | null;
	reference: string | null;
	spaceId: string | null;
	to: string | null;
	date: string | null;
	/** The entry's own status, when it has one. */
	status: string | null;
	info: string | null;
	statusList: PushStatusLine[];
	/** The entry as received, field names as sent. */
	raw: Record<string, unknown>;
}

export interface PushReport {
	username: string | null;
	entries: PushEntry[];
}

export class PushBodyError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'PushBodyError';
	}
}

type Fields = Record<string, unknown>;

/** `call_id`, `callId` and `CallID` all read as `callid`. */
function keyOf(name: string): string {
	return name.replace(/[_-]/g, '').toLowerCase();
}

function isRecord(value: unknown): value is Fields {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The fields of an object by normalised name; xml2js-style `$` attributes are merged in. */
function normalise(value: Fields): Map<string, unknown> {
	const fields = new Map<string, unknown>();
	for (const [name, field] of Object.entries(value)) {
		if (name === '$' && isRecord(field)) for (const [inner, attr] of Object.entries(field)) fields.set(keyOf(inner), attr);
		else fields.set(keyOf(name), field);
	}
	return fields;
}

function listOf(value: unknown): unknown[] {
	return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}

function text(fields: Map<string, unknown>, where: string, ...names: string[]): string | null {
	for (const name of names) {
		const value = fields.get(name);
		if (value === undefined || value === null || value === '') continue;
		if (typeof value === 'number' && Number.isFinite(value)) return String(value);
		if (typeof value !== 'string')
			throw new PushBodyError(`${where}: ${name} must be text, not ${Array.isArray(value) ? 'a list' : typeof value}`);
		if (value.length > MAX_FIELD_CHARS) throw new PushBodyError(`${where}: ${name} is longer than ${MAX_FIELD_CHARS} characters`);
		return value;
	}
	return null;
}

function statusLine(value: unknown, where: string): PushStatusLine {
	if (!isRecord(value)) throw new PushBodyError(`${where} must be an object`);
	const fields = normalise(value);
	const type = text(fields, where, 'type', 'status');
	if (type === null) throw new PushBodyError(`${where} has no type`);
	return { type: type.toUpperCase(), date: text(fields, where, 'date'), info: text(fields, where, 'info') };
}

function entryOf(value: unknown, medium: PushMedium, where: string): PushEntry {
	if (!isRecord(value)) throw new PushBodyError(`${where} must be an object`);
	const fields = normalise(value);
	const lines = listOf(fields.get('statuslist') ?? fields.get('statuses'));
	if (lines.length > MAX_STATUS_LINES) throw new PushBodyError(`${where} has more than ${MAX_STATUS_LINES} status lines`);
	const status = text(fields, where, 'status');
	return {
		medium,
		callId: text(fields, where, 'callid'),
		contactId: text(fields, where, 'contactid', 'messageid'),
		broadcastId: text(fields, where, 'broadcastid'),
		reference: text(fields, where, 'refexterne', 'refext', 'externalreference'),
		spaceId: text(fields, where, 'spaceid'),
		to: text(fields, where, 'to', 'calladress', 'phonenumber'),
		date: text(fields, where, 'date'),
		status: status === null ? null : status.toUpperCase(),
		info: text(fields, where, 'info'),
		statusList: lines.map((line, index) => statusLine(line, `${where} status ${index + 1}`)),
		raw: value,
	};
}

/** One `status_report` object (JSON, or XML turned into the same shape). */
function reportOf(value: unknown, where: string): PushReport {
	if (!isRecord(value)) throw new PushBodyError(`${where} must be an object`);
	const outer = normalise(value);
	const inner = outer.get('statusreport');
	if (inner !== undefined) return reportOf(inner, where);
	const entries: PushEntry[] = [];
	for (const medium of PUSH_MEDIA) {
		for (const entry of listOf(outer.get(medium))) {
			if (entries.length >= MAX_PUSH_ENTRIES) throw new PushBodyError(`a push may carry at most ${MAX_PUSH_ENTRIES} entries`);
			entries.push(entryOf(entry, medium, `${medium} entry ${entries.length + 1}`));
		}
	}
	return { username: text(outer, where, 'username'), entries };
}

/** An XML element as the JSON shape: attributes, then child elements (repeated ones as lists). */
function xmlToFields(element: XmlElement): Fields {
	const fields: Fields = { ...element.attributes };
	const lines: Fields[] = [];
	for (const child of element.children) {
		// `<status date type info/>` lines share their name with the entry's status attribute.
		if (child.name === 'status' && (child.children.length > 0 || Object.keys(child.attributes).length > 0)) {
			lines.push({ info: child.text.trim() === '' ? undefined : child.text, ...xmlToFields(child) });
			continue;
		}
		const value = child.children.length === 0 && Object.keys(child.attributes).length === 0 ? child.text : xmlToFields(child);
		const existing = fields[child.name];
		fields[child.name] = existing === undefined ? value : [...listOf(existing), value];
	}
	if (lines.length > 0) fields.status_list = lines;
	return fields;
}

/** The document's root element, or the reason it is refused. */
function rootOf(source: string): XmlElement | string {
	try {
		return readXml(source);
	} catch (error) {
		return error instanceof XmlRefusal ? error.message : 'the XML reader failed';
	}
}

function fromXml(source: string): PushReport {
	const root = rootOf(source);
	if (typeof root === 'string') throw new PushBodyError(`unreadable XML: ${root}`);
	const wrapper = keyOf(root.name) === 'statusreport' ? root : { ...root, children: [root], attributes: {} };
	return reportOf(xmlToFields(wrapper), 'status_report');
}

const NOT_JSON = Symbol('not JSON');

function fromJsonText(source: string): unknown {
	let value: unknown = NOT_JSON;
	try {
		value = JSON.parse(source) as unknown;
	} catch {
		// Refused just below, outside the catch.
	}
	if (value === NOT_JSON) throw new PushBodyError('unreadable JSON');
	return value;
}

/** A parsed JSON value: one status report, or a list of them merged into one. */
export function readPushValue(value: unknown): PushReport {
	if (!Array.isArray(value)) return reportOf(value, 'status_report');
	const reports = value.map((report, index) => reportOf(report, `status_report ${index + 1}`));
	const usernames = new Set(reports.map((report) => report.username));
	if (usernames.size > 1) throw new PushBodyError('the status reports of one push name different usernames');
	const entries = reports.flatMap((report) => report.entries);
	if (entries.length > MAX_PUSH_ENTRIES) throw new PushBodyError(`a push may carry at most ${MAX_PUSH_ENTRIES} entries`);
	return { username: reports[0]?.username ?? null, entries };
}

/** The first form field holding JSON or XML. */
function fromForm(source: string): PushReport {
	for (const [, value] of new URLSearchParams(source)) {
		const trimmed = value.trim();
		if (trimmed.startsWith('{') || trimmed.startsWith('[') || trimmed.startsWith('<')) return readPushText(trimmed, false);
	}
	throw new PushBodyError('no JSON or XML found in the body or in a form field');
}

/**
 * Reads a push body given as text: JSON, XML, or a form whose field holds either. The format
 * is recognised from the text itself, since senders label bodies loosely.
 */
export function readPushText(source: string, formAllowed = true): PushReport {
	const trimmed = source.replace(/^\uFEFF/, '').trim();
	if (trimmed === '') throw new PushBodyError('empty body');
	if (trimmed.startsWith('<')) return fromXml(trimmed);
	if (trimmed.startsWith('{') || trimmed.startsWith('[')) return readPushValue(fromJsonText(trimmed));
	if (formAllowed && /^[^=&\s]+=/.test(trimmed)) return fromForm(trimmed);
	throw new PushBodyError('the body is neither JSON, XML nor a form holding one of them');
}

/**
 * The text of a body's bytes: ISO-8859-1 when the content type or the XML declaration says
 * so, else UTF-8.
 */
export function decodePushBytes(bytes: Uint8Array, contentType: string | undefined): string {
	const head = new TextDecoder('latin1').decode(bytes.subarray(0, 100));
	const latin1 =
		/charset=["']?(iso-8859-1|latin1|windows-1252)/i.test(contentType ?? '') ||
		/^\s*<\?xml[^>]*encoding=["'](iso-8859-1|latin1|windows-1252)/i.test(head);
	return new TextDecoder(latin1 ? 'latin1' : 'utf-8').decode(bytes);
}
