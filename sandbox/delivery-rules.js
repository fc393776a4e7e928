'use strict';

/**
 * What becomes of an accepted message: the real platform's quirks and the
 * sandbox's documented magic numbers. Rules are tried in order; the first match wins.
 * See sandbox/README.md for the same table in prose.
 */

const { countSmsParts, isLongMedia } = require('./sms-parts');
const { toE164 } = require('./phone-number');
const { VOICE_MEDIA } = require('./voice-call');

/**
 * DMC replaces this placeholder with the service's short code: parts are counted on the
 * text as delivered. Sandbox choice: a 5-digit code, as French SMS short codes are.
 */
const SHORT_CODE_PLACEHOLDER = '<#shortcode#>';
const SANDBOX_SHORT_CODE = '36180';

/**
 * Magic recipients, +33 6 99 99 99 01 to 06. They are valid French mobile numbers on
 * purpose: the node refuses numbers its phone metadata knows to be unallocated, such as
 * ARCEP's fiction range 06 39 98, so magic numbers there could never be sent to. Both the
 * national (0699999901) and the E.164 (+33699999901) forms match.
 */
const MAGIC_NUMBERS = Object.freeze({
	'+33699999901': { status: 'FAILED', resultCode: 'CRA_SMS_BLACKLIST', label: 'blacklisted' },
	'+33699999902': { status: 'FAILED', resultCode: 'CRA_SMS_SAASNOCREDIT', label: 'out of credit' },
	'+33699999903': { status: 'DONE', resultCode: 'CRA_SMS_RECEIVED', reply: 'Thanks, well received', label: 'replies' },
	'+33699999904': { status: 'DONE', resultCode: 'CRA_SMS_RECEIVED', reply: 'STOP', label: 'replies STOP' },
	'+33699999905': { status: 'FAILED', resultCode: 'CRA_SMS_WRONGNUMBER', label: 'number not allocated' },
	// The network keeps trying until the validity ends, which the sandbox never reaches:
	// a message that stopSingleCall can still stop.
	'+33699999906': { status: null, resultCode: null, label: 'phone switched off (stays RUNNING)' },
});

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * @param {{ to: string, from?: string, textMsg: string, media: string }} message validated message
 * @param {{ senders: string[] }} config
 * @returns {{ status: 'DONE'|'FAILED'|null, resultCode: string|null, reply: string|null, rule: string, parts: number|null, callAdress: string }}
 *   status null = stays RUNNING forever; parts null for a voice message, which has none
 */
function decideOutcome(message, config) {
	const { to, from, textMsg, media } = message;
	const voice = media === VOICE_MEDIA;
	// A voice message is read aloud: no SMS parts, no charset limit.
	const counted = voice
		? { parts: null, encodable: true, unencodable: [] }
		: countSmsParts(textMsg.split(SHORT_CODE_PLACEHOLDER).join(SANDBOX_SHORT_CODE), media);
	const callAdress = toE164(to);
	const base = { parts: counted.parts, callAdress, reply: null };

	if (to.startsWith('00')) {
		return { ...base, status: null, resultCode: null, rule: "quirk: '00' international prefix is never delivered" };
	}
	if (/\s/.test(to)) {
		return {
			...base,
			status: 'FAILED',
			resultCode: 'CRA_SMS_BADNUMBER',
			rule: "quirk: space in number (an unencoded '+' decodes to a space)",
		};
	}
	if (from !== undefined && from !== '' && !config.senders.includes(from)) {
		return { ...base, status: 'FAILED', resultCode: 'CRA_SMS_OADC', rule: `sender "${from}" is not allowed` };
	}
	if (!counted.encodable) {
		return {
			...base,
			status: 'FAILED',
			resultCode: 'CRA_SMS_TEXT',
			rule: `characters not sendable with media ${media}: ${counted.unencodable.join(' ')}`,
		};
	}
	if (!voice && counted.parts > 1 && !isLongMedia(media)) {
		return {
			...base,
			status: 'FAILED',
			resultCode: 'CRA_SMS_TOOLONG',
			rule: `text needs ${counted.parts} parts but media ${media} allows 1`,
		};
	}
	if (!E164.test(callAdress)) {
		return { ...base, status: 'FAILED', resultCode: 'CRA_SMS_BADNUMBER', rule: 'not a phone number' };
	}
	const magic = MAGIC_NUMBERS[callAdress];
	if (magic) {
		return {
			...base,
			status: magic.status,
			resultCode: magic.resultCode,
			reply: magic.reply || null,
			rule: `magic number: ${magic.label}`,
		};
	}
	return { ...base, status: 'DONE', resultCode: 'CRA_SMS_RECEIVED', rule: 'delivered' };
}

module.exports = { decideOutcome, MAGIC_NUMBERS };
