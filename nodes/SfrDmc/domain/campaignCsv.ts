/**
 * The contact file of a campaign, as the vendor guide's import format (§5.3) describes it: a
 * header line, then one line per contact, values separated by `;`.
 *
 * The guide documents no quoting and no escape, so a parser on DMC's side may well split
 * every line on `;` and the file on line breaks. Quoting a value would then shift its
 * columns, and a line break inside one would start a second contact. So no written value
 * ever holds a `;`, a `"`, a line break or another control character: each becomes a
 * harmless look-alike (`,`, `'`, a space) and the change is reported with the contact. The
 * file then reads the same whether DMC splits naively or follows RFC 4180.
 *
 * Encoding: the guide states ISO-8859-15 for its FTP and e-mail imports and nothing for the
 * web-service one; the file is written in ISO-8859-15. A character outside it loses its
 * accent when that makes it encodable (`ł` stays, `ő` becomes `o`) and becomes `?`
 * otherwise; both are reported.
 *
 * Numbers are written as the guide's example writes them: the number as dialled in its
 * country (`0623456789`) and its country code apart (`33`).
 */
import { parsePhoneNumberFromString, type PhoneNumber } from 'libphonenumber-js/max';

import { InputError } from './inputError';

/** The personal fields of a contact, by the names the node's items use. */
export const CONTACT_FIELDS = ['lastName', 'firstName', 'reference', 'info1', 'info2', 'info3', 'info4'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

export interface CampaignContact extends Partial<Record<ContactField, string>> {
	/** E.164 with a leading `+`. */
	to: string;
}

/** The guide's columns, in the order the file has them, and the longest value each takes. */
const COLUMNS: ReadonlyArray<{ name: string; field?: ContactField; max: number }> = [
	{ name: 'NAME', field: 'lastName', max: 255 },
	{ name: 'FORENAME', field: 'firstName', max: 255 },
	{ name: 'PHONENUMBER1', max: 15 },
	{ name: 'COUNTRYCODE1', max: 3 },
	{ name: 'EXTERNALREFERENCE', field: 'reference', max: 255 },
	{ name: 'INFO1', field: 'info1', max: 4000 },
	{ name: 'INFO2', field: 'info2', max: 255 },
	{ name: 'INFO3', field: 'info3', max: 255 },
	{ name: 'INFO4', field: 'info4', max: 255 },
];

export const CSV_HEADER = COLUMNS.map((column) => column.name).join(';');
const LINE_END = '\r\n';

/** Characters of ISO-8859-15 above 0x7F that differ from ISO-8859-1, by code point, and their byte. */
const LATIN9_SPECIAL = new Map<number, number>([
	[0x20ac, 0xa4],
	[0x0160, 0xa6],
	[0x0161, 0xa8],
	[0x017d, 0xb4],
	[0x017e, 0xb8],
	[0x0152, 0xbc],
	[0x0153, 0xbd],
	[0x0178, 0xbe],
]);
/** The ISO-8859-1 characters ISO-8859-15 replaced: not encodable. */
const LATIN1_REPLACED = new Set([0xa4, 0xa6, 0xa8, 0xb4, 0xb8, 0xbc, 0xbd, 0xbe]);
const BYTE_TO_LATIN9 = new Map([...LATIN9_SPECIAL].map(([code, byte]) => [byte, code]));

function latin9Byte(code: number): number | undefined {
	if (code < 0x100) return LATIN1_REPLACED.has(code) ? undefined : code;
	return LATIN9_SPECIAL.get(code);
}

/** Characters that could split a value over two columns or two lines, or open a quoted field. */
const SEPARATOR_LOOKALIKES: Readonly<Record<string, string>> = { ';': ',', '"': "'" };
/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
function isControl(character: string): boolean {
	const code = character.codePointAt(0) ?? 0;
	return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

/** A character the file holds as it is. */
function isPlain(character: string): boolean {
	return SEPARATOR_LOOKALIKES[character] === undefined && !isControl(character) && latin9Byte(character.codePointAt(0) ?? 0) !== undefined;
}

const PLAIN_ASCII = /^[ !#-:<-~]*$/;

export interface WrittenValue {
	value: string;
	/** What was changed so that the value fits the file, in words; empty when nothing. */
	changes: string[];
}

/**
 * A value as the file can hold it: trimmed, no separator, quote or control character, every
 * character encodable in ISO-8859-15.
 */
export function writtenValue(input: string): WrittenValue {
	// Printable ASCII but `;` and `"`: every character is plain, the value only trimmed.
	if (PLAIN_ASCII.test(input)) return { value: input.trim(), changes: [] };
	const changes = new Set<string>();
	let value = '';
	for (const character of input) {
		const lookalike = SEPARATOR_LOOKALIKES[character];
		if (lookalike !== undefined) {
			changes.add(`${JSON.stringify(character)} became ${JSON.stringify(lookalike)}`);
			value += lookalike;
		} else if (isControl(character)) {
			changes.add('line breaks and control characters became spaces');
			value += ' ';
		} else if (isPlain(character)) {
			value += character;
		} else {
			const base = character.normalize('NFD').replace(/\p{M}/gu, '');
			// The base must be plain too: U+037E (Greek question mark) decomposes to ";".
			const encodable = base !== '' && [...base].every(isPlain);
			changes.add(
				encodable
					? `${JSON.stringify(character)} became ${JSON.stringify(base)} (not in ISO-8859-15)`
					: `${JSON.stringify(character)} became "?" (not in ISO-8859-15)`,
			);
			value += encodable ? base : '?';
		}
	}
	return { value: value.trim(), changes: [...changes] };
}

/** The number as dialled in its country, digits only, and its country calling code. */
export function dialledForm(e164: string, parsed?: PhoneNumber): { number: string; countryCode: string } {
	const phone = parsed ?? parsePhoneNumberFromString(e164);
	if (!phone) throw new InputError(`${JSON.stringify(e164)} is not an E.164 phone number`, e164);
	const number = phone.formatNational().replace(/\D/g, '');
	if (number.length > 15) throw new InputError(`${JSON.stringify(e164)} is longer than the 15 digits a contact file takes`, e164);
	return { number, countryCode: phone.countryCallingCode };
}

export interface ContactLine {
	/** The line, without its line end. */
	line: string;
	/** The contact as the file holds it. */
	written: CampaignContact;
	/** Changes made to its values, as "<field>: <change>". */
	changes: string[];
}

/**
 * One contact's line (`dialled`: its number's dialled form when the caller has it, which
 * spares parsing it again). Refuses (InputError) a value too long for its column rather
 * than cut it: a cut text could change its meaning.
 */
export function contactLine(contact: CampaignContact, dialled = dialledForm(contact.to)): ContactLine {
	const { number, countryCode } = dialled;
	const written: CampaignContact = { to: contact.to };
	const changes: string[] = [];
	const cells = COLUMNS.map((column) => {
		if (column.name === 'PHONENUMBER1') return number;
		if (column.name === 'COUNTRYCODE1') return countryCode;
		const field = column.field as ContactField;
		const input = contact[field];
		if (input === undefined || input === '') return '';
		const { value, changes: made } = writtenValue(input);
		if (value.length > column.max) {
			throw new InputError(`${field} has ${value.length} characters; a contact file takes at most ${column.max}`, input);
		}
		for (const change of made) changes.push(`${field}: ${change}`);
		if (value !== '') written[field] = value;
		return value;
	});
	return { line: cells.join(';'), written, changes };
}

/** The whole file, as text: the header, then each line, each ended by CRLF. */
export function contactFileText(lines: readonly string[]): string {
	let text = CSV_HEADER + LINE_END;
	for (const line of lines) text += line + LINE_END;
	return text;
}

/** The file's bytes in ISO-8859-15; `text` must come from contactFileText (every character encodable). */
export function encodeLatin9(text: string): Uint8Array {
	const bytes = new Uint8Array(text.length);
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		// Below U+00A4 (the first character ISO-8859-15 changed) a character is its own byte.
		const byte = code < 0xa4 ? code : latin9Byte(code);
		if (byte === undefined) throw new RangeError(`Character ${JSON.stringify(text[i])} at ${i} is not in ISO-8859-15`);
		bytes[i] = byte;
	}
	return bytes;
}

export function decodeLatin9(bytes: Uint8Array): string {
	let text = '';
	for (const byte of bytes) text += String.fromCharCode(BYTE_TO_LATIN9.get(byte) ?? byte);
	return text;
}

/**
 * Reads a contact file back as the strictest DMC would: every line split on `;` with no
 * quoting, the header's columns required in order, each line exactly as many values. Used
 * by the tests to prove that what the node writes is what DMC reads.
 */
export function parseContactFile(text: string): CampaignContact[] {
	const lines = text.split(LINE_END);
	if (lines.pop() !== '') throw new Error('The file does not end with a line end');
	const header = lines.shift();
	if (header !== CSV_HEADER) throw new Error(`Unexpected header ${JSON.stringify(header)}`);
	return lines.map((line, index) => {
		if (/[\r\n]/.test(line)) throw new Error(`Line ${index + 2} holds a stray line break`);
		const cells = line.split(';');
		if (cells.length !== COLUMNS.length) throw new Error(`Line ${index + 2} has ${cells.length} values, not ${COLUMNS.length}`);
		const phone = parsePhoneNumberFromString(cells[2], { defaultCallingCode: cells[3] });
		if (!phone) throw new Error(`Line ${index + 2}: ${JSON.stringify(cells[2])} is not a number of +${cells[3]}`);
		const contact: CampaignContact = { to: phone.number };
		COLUMNS.forEach((column, n) => {
			if (column.field && cells[n] !== '') contact[column.field] = cells[n];
		});
		return contact;
	});
}
