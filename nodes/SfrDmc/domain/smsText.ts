/**
 * How a text travels as SMS through DMC: which media it is sent as, and how many parts
 * (billed units) it takes.
 *
 * The rule, also in the README:
 * - DMC's standard media (`SMS`, `SMSLong`) take ISO-8859-1 text and deliver it over GSM-7.
 *   Auto mode sends a text there when every character is in ISO-8859-1.
 * - GSM 03.38 characters count one septet; its extension characters `^ { } [ ] ~ \ | €`
 *   and form feed count two.
 * - ISO-8859-1 letters that GSM-7 lacks (`â ê î ô û ë ï ç á …`) count one: GSM has no
 *   room for them, so the platform replaces each with one GSM letter, typically without its
 *   accent (`ê` → `e`). Choose Unicode to keep them exactly.
 * - `€` is in GSM-7 but not in ISO-8859-1: auto mode sends it as Unicode, which is sure to
 *   reach the phone intact. Forcing the standard encoding sends it as GSM, counted two.
 * - Unicode media (`SMSUnicode`, `SMSUnicodeLong`) count UTF-16 code units, so an emoji
 *   counts two.
 * - A concatenated message loses room to its header: 153 septets or 67 units a part. A
 *   two-septet character or a surrogate pair is never split across parts, as handsets
 *   require, so the count may exceed a plain division by one.
 * - DMC replaces `<#shortcode#>` with the service's short code before sending: it is counted
 *   as the 5 digits the phone receives, wherever it appears.
 */

import { describeValue, InputError } from './inputError';

export type SmsMedia = 'SMS' | 'SMSLong' | 'SMSUnicode' | 'SMSUnicodeLong';
export type SmsEncoding = 'auto' | 'standard' | 'unicode';

export const DEFAULT_MAX_PARTS = 8;

/** The placeholder DMC replaces with the service's short code. */
export const SHORT_CODE_PLACEHOLDER = '<#shortcode#>';
/** The opt-out mention "Add STOP Mention" appends, as a production DMC client writes it. */
export const STOP_NOTICE = `STOP au ${SHORT_CODE_PLACEHOLDER}`;
/** French SMS short codes have 5 digits: what the placeholder becomes on the phone. */
const SHORT_CODE_AS_DELIVERED = '00000';

/**
 * The text with the STOP mention on a line of its own, unless it already carries one (any
 * case): the option must not make a user who typed it pay for it twice.
 */
export function withStopNotice(text: string): string {
	if (text.toLowerCase().includes(STOP_NOTICE.toLowerCase())) return text;
	return `${text.replace(/\s+$/, '')}\n${STOP_NOTICE}`;
}

/** The text as the phone receives it, as far as counting goes: each placeholder as 5 digits. */
function asDelivered(text: string): string {
	return text.split(SHORT_CODE_PLACEHOLDER).join(SHORT_CODE_AS_DELIVERED);
}

const GSM_BASIC =
	'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' + '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '^{}\\[~]|€\f';
const GSM_BASIC_SET = new Set(GSM_BASIC);
const GSM_EXTENSION_SET = new Set(GSM_EXTENSION);

const GSM_SINGLE = 160;
const GSM_CONCATENATED = 153;
const UCS2_SINGLE = 70;
const UCS2_CONCATENATED = 67;

export interface SmsTextInfo {
	media: SmsMedia;
	encoding: 'GSM-7' | 'UCS-2';
	/** Parts DMC bills for one recipient. */
	parts: number;
	/** Characters as a person counts them (Unicode code points). */
	characters: number;
	/** Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes. */
	units: number;
}

/**
 * Septets of each UTF-16 code unit that GSM-7 can carry through the standard media:
 * every ISO-8859-1 character (one, or two for an extension character), and the GSM
 * letters beyond it (Greek capitals, one; `€`, two). A code unit missing here, or any
 * surrogate pair, cannot go there.
 */
const LATIN1_SEPTETS = new Uint8Array(0x100).fill(1);
const WIDE_GSM_SEPTETS = new Map<number, number>();
for (const character of GSM_BASIC_SET) {
	if (character.charCodeAt(0) > 0xff) WIDE_GSM_SEPTETS.set(character.charCodeAt(0), 1);
}
for (const character of GSM_EXTENSION_SET) {
	if (character.charCodeAt(0) <= 0xff) LATIN1_SEPTETS[character.charCodeAt(0)] = 2;
	else WIDE_GSM_SEPTETS.set(character.charCodeAt(0), 2);
}

/** Septets a single code unit takes in the standard media, or undefined when it cannot go there. */
function gsmCost(code: number): number | undefined {
	return code <= 0xff ? LATIN1_SEPTETS[code] : WIDE_GSM_SEPTETS.get(code);
}

function fitsIso88591(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		if (text.charCodeAt(i) > 0xff) return false;
	}
	return true;
}

/**
 * Whether a surrogate pair starts at `i`: then text[i] and text[i + 1] are one character
 * (one code point), as `[...text]` splits a string; a lone surrogate is one on its own.
 */
function pairAt(text: string, i: number): boolean {
	const code = text.charCodeAt(i);
	if (code < 0xd800 || code > 0xdbff || i + 1 >= text.length) return false;
	const next = text.charCodeAt(i + 1);
	return next >= 0xdc00 && next <= 0xdfff;
}

/**
 * Parts for a text of `units` units when each character costs `costAt(i)` units: one part
 * when the total fits `single`, else parts of `concatenated` filled in order, a character
 * never split across two parts. Walks the text character by character (code points).
 */
function countParts(text: string, units: number, single: number, concatenated: number, costAt: (i: number) => number): number {
	if (units <= single) return 1;
	let parts = 1;
	let used = 0;
	for (let i = 0; i < text.length; i++) {
		const pair = pairAt(text, i);
		const cost = pair ? 2 : costAt(i);
		if (pair) i++;
		if (used + cost > concatenated) {
			parts++;
			used = 0;
		}
		used += cost;
	}
	return parts;
}

/** Counts the parts of `text` in the given encoding (`auto` picks it as DMC needs). */
export function countSmsParts(text: string, encoding: SmsEncoding = 'auto'): SmsTextInfo {
	const unicode = encoding === 'unicode' || (encoding === 'auto' && !fitsIso88591(text));
	let characters = 0;
	if (unicode) {
		// UCS-2: a character costs its UTF-16 units, so the text costs its length.
		for (let i = 0; i < text.length; i++) {
			if (pairAt(text, i)) i++;
			characters++;
		}
		const units = text.length;
		const parts = countParts(text, units, UCS2_SINGLE, UCS2_CONCATENATED, () => 1);
		return { media: parts === 1 ? 'SMSUnicode' : 'SMSUnicodeLong', encoding: 'UCS-2', parts, units, characters };
	}
	let units = 0;
	let unsupported: Set<string> | undefined;
	for (let i = 0; i < text.length; i++) {
		characters++;
		if (pairAt(text, i)) {
			(unsupported ??= new Set()).add(text.slice(i, i + 2));
			i++;
			continue;
		}
		const cost = gsmCost(text.charCodeAt(i));
		if (cost === undefined) (unsupported ??= new Set()).add(text[i]);
		else units += cost;
	}
	if (unsupported) {
		throw new InputError(
			`The standard encoding cannot carry ${[...unsupported].map((c) => JSON.stringify(c)).join(' ')}: choose Unicode or Auto encoding, or remove them`,
		);
	}
	const parts = countParts(text, units, GSM_SINGLE, GSM_CONCATENATED, (i) => gsmCost(text.charCodeAt(i)) ?? 0);
	return { media: parts === 1 ? 'SMS' : 'SMSLong', encoding: 'GSM-7', parts, units, characters };
}

/** Checks a message for sending and says how it goes; refuses empty or over-long texts. */
export function prepareSmsText(text: unknown, encoding: SmsEncoding, maxParts = DEFAULT_MAX_PARTS): SmsTextInfo {
	if (text === undefined || text === null) {
		throw new InputError('The message is empty');
	}
	if (typeof text !== 'string') {
		throw new InputError(`The message must be text, not ${describeValue(text)}`);
	}
	if (text.trim() === '') {
		throw new InputError('The message is empty');
	}
	const info = countSmsParts(asDelivered(text), encoding);
	if (info.parts > maxParts) {
		throw new InputError(
			`The message takes ${info.parts} SMS parts (${info.characters} characters, ${info.encoding}); the maximum is ${maxParts}. Shorten it or raise "Max Parts"`,
		);
	}
	return info;
}
