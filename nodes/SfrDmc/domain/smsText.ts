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
 */

export type SmsMedia = 'SMS' | 'SMSLong' | 'SMSUnicode' | 'SMSUnicodeLong';
export type SmsEncoding = 'auto' | 'standard' | 'unicode';

export const DEFAULT_MAX_PARTS = 8;

const GSM_BASIC =
	'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
	'¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
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

/** A text DMC must not receive. */
export class SmsTextError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SmsTextError';
	}
}

/** Septets a character takes in the standard media, or undefined when it cannot go there. */
function gsmCost(character: string): number | undefined {
	if (GSM_EXTENSION_SET.has(character)) return 2;
	if (GSM_BASIC_SET.has(character)) return 1;
	if (character.length === 1 && character.charCodeAt(0) <= 0xff) return 1;
	return undefined;
}

function fitsIso88591(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		if (text.charCodeAt(i) > 0xff) return false;
	}
	return true;
}

/**
 * Parts for characters of the given costs: one part when the total fits `single`, else
 * parts of `concatenated` filled in order, a character never split across two parts.
 */
function countParts(costs: readonly number[], single: number, concatenated: number) {
	let units = 0;
	for (const cost of costs) units += cost;
	if (units <= single) return { units, parts: 1 };
	let parts = 1;
	let used = 0;
	for (const cost of costs) {
		if (used + cost > concatenated) {
			parts++;
			used = 0;
		}
		used += cost;
	}
	return { units, parts };
}

/** Counts the parts of `text` in the given encoding (`auto` picks it as DMC needs). */
export function countSmsParts(text: string, encoding: SmsEncoding = 'auto'): SmsTextInfo {
	const characters = [...text];
	const unicode = encoding === 'unicode' || (encoding === 'auto' && !fitsIso88591(text));
	if (unicode) {
		const { units, parts } = countParts(
			characters.map((character) => character.length),
			UCS2_SINGLE,
			UCS2_CONCATENATED,
		);
		return { media: parts === 1 ? 'SMSUnicode' : 'SMSUnicodeLong', encoding: 'UCS-2', parts, units, characters: characters.length };
	}
	const costs: number[] = [];
	const unsupported = new Set<string>();
	for (const character of characters) {
		const cost = gsmCost(character);
		if (cost === undefined) unsupported.add(character);
		else costs.push(cost);
	}
	if (unsupported.size > 0) {
		throw new SmsTextError(
			`The standard encoding cannot carry ${[...unsupported].map((c) => JSON.stringify(c)).join(' ')}: choose Unicode or Auto encoding, or remove them`,
		);
	}
	const { units, parts } = countParts(costs, GSM_SINGLE, GSM_CONCATENATED);
	return { media: parts === 1 ? 'SMS' : 'SMSLong', encoding: 'GSM-7', parts, units, characters: characters.length };
}

/** Checks a message for sending and says how it goes; refuses empty or over-long texts. */
export function prepareSmsText(text: unknown, encoding: SmsEncoding, maxParts = DEFAULT_MAX_PARTS): SmsTextInfo {
	if (typeof text !== 'string') {
		throw new SmsTextError(`The message must be text, not ${text === null ? 'null' : Array.isArray(text) ? 'a list' : `a value of type ${typeof text}`}`);
	}
	if (text.trim() === '') {
		throw new SmsTextError('The message is empty');
	}
	const info = countSmsParts(text, encoding);
	if (info.parts > maxParts) {
		throw new SmsTextError(
			`The message takes ${info.parts} SMS parts (${info.characters} characters, ${info.encoding}); the maximum is ${maxParts}. Shorten it or raise "Max Parts"`,
		);
	}
	return info;
}
