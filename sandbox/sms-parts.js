'use strict';

/**
 * How many SMS parts a text takes for a given DMC media.
 *
 * - SMS / SMSLong: 7-bit GSM counting. One SMS holds 160 units, each part of a
 *   concatenated SMS 153. Characters of the GSM extension table
 *   (form feed ^ { } \ [ ~ ] | €) take 2 units (escape + char), every other
 *   allowed character 1. Allowed = GSM 03.38 basic + extension table + ISO-8859-1
 *   (the platform's default charset). Anything else cannot be sent with these
 *   medias (`encodable: false`).
 * - SMSUnicode / SMSUnicodeLong: UCS-2, counted in UTF-16 code units. One SMS
 *   holds 70 units, each concatenated part 67.
 *
 * Splitting is greedy and never cuts a 2-unit character (escape sequence or
 * surrogate pair) across two parts, like real SMS centres do; so a long text
 * can need one more part than ceil(units / 153).
 */

const GSM_BASIC =
	'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' + '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '\f^{}\\[~]|€';

const GSM_BASIC_SET = new Set(GSM_BASIC);
const GSM_EXTENSION_SET = new Set(GSM_EXTENSION);

const LIMITS = {
	GSM: { single: 160, part: 153 },
	'UCS-2': { single: 70, part: 67 },
};

const MEDIAS = ['SMS', 'SMSLong', 'SMSUnicode', 'SMSUnicodeLong'];

function isUnicodeMedia(media) {
	return media === 'SMSUnicode' || media === 'SMSUnicodeLong';
}

function isLongMedia(media) {
	return media === 'SMSLong' || media === 'SMSUnicodeLong';
}

/** Units a character (a full code point) takes in GSM counting, or null if it cannot be sent. */
function gsmWeight(char) {
	if (GSM_EXTENSION_SET.has(char)) return 2;
	if (GSM_BASIC_SET.has(char)) return 1;
	return char.codePointAt(0) <= 0xff ? 1 : null;
}

function splitIntoParts(weights, limits) {
	const units = weights.reduce((sum, w) => sum + w, 0);
	if (units <= limits.single) return { units, parts: 1 };
	let parts = 1;
	let current = 0;
	for (const w of weights) {
		if (current + w > limits.part) {
			parts++;
			current = w;
		} else {
			current += w;
		}
	}
	return { units, parts };
}

/**
 * @param {string} text
 * @param {string} media one of SMS, SMSLong, SMSUnicode, SMSUnicodeLong
 * @returns {{ encoding: 'GSM'|'UCS-2', units: number, parts: number, encodable: boolean, unencodable: string[] }}
 */
function countSmsParts(text, media) {
	const chars = Array.from(text);
	if (isUnicodeMedia(media)) {
		const { units, parts } = splitIntoParts(
			chars.map((c) => c.length),
			LIMITS['UCS-2'],
		);
		return { encoding: 'UCS-2', units, parts, encodable: true, unencodable: [] };
	}
	const unencodable = [];
	const weights = chars.map((c) => {
		const w = gsmWeight(c);
		if (w === null) {
			if (!unencodable.includes(c)) unencodable.push(c);
			return 1;
		}
		return w;
	});
	const { units, parts } = splitIntoParts(weights, LIMITS.GSM);
	return { encoding: 'GSM', units, parts, encodable: unencodable.length === 0, unencodable };
}

module.exports = { countSmsParts, MEDIAS, isLongMedia, isUnicodeMedia };
