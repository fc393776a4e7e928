import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode, type NumberType, type PhoneNumber } from 'libphonenumber-js/max';

import { describeValue, InputError } from './inputError';

/** Largest number of distinct recipients DMC takes in one call, and so in one item. */
export const MAX_RECIPIENTS_PER_ITEM = 20;

/** Longer than any phone number written with separators: longer input is not a number. */
const MAX_NUMBER_INPUT_LENGTH = 40;

/**
 * Which numbers a kind of message may go to, and how a refusal says why.
 * - `sms`: numbers that receive SMS. A fixed line, premium-rate, toll-free or VoIP number does not.
 * - `call`: numbers a voice message may ring: fixed lines, mobiles, VoIP. Premium-rate and
 *   shared-cost numbers cost the caller; toll-free and company numbers are inbound service
 *   lines, pagers and voicemail access numbers answer no call: all stay refused.
 * - `any`: every valid number, whatever its type; for reading numbers, never for sending.
 */
export type NumberPolicy = 'sms' | 'call' | 'any';

const POLICIES: Readonly<Record<NumberPolicy, { types?: ReadonlySet<NumberType>; cannot: string }>> = {
	sms: { types: new Set<NumberType>(['MOBILE', 'FIXED_LINE_OR_MOBILE', 'PERSONAL_NUMBER']), cannot: 'it cannot receive SMS' },
	call: {
		types: new Set<NumberType>(['FIXED_LINE', 'MOBILE', 'FIXED_LINE_OR_MOBILE', 'VOIP', 'PERSONAL_NUMBER']),
		cannot: 'it cannot take a voice message',
	},
	any: { cannot: '' },
};

const TYPE_NAMES: Partial<Record<NonNullable<NumberType>, string>> = {
	FIXED_LINE: 'a fixed line',
	PREMIUM_RATE: 'a premium-rate number',
	TOLL_FREE: 'a toll-free number',
	SHARED_COST: 'a shared-cost number',
	VOIP: 'a VoIP number',
	UAN: 'a company number',
	PAGER: 'a pager number',
	VOICEMAIL: 'a voicemail number',
};

/**
 * Metropolitan France and the overseas departments and collectivities that share its
 * national format (a leading 0 and nine digits) but have their own country codes.
 * A national number written in one of them is looked up in all of them, so that
 * `0690 00 11 22` typed in Paris reaches Guadeloupe (+590), not an invalid +33 number.
 * Saint-Pierre-et-Miquelon is left out on purpose: its national numbers are seven digits,
 * so a metropolitan number missing three digits would otherwise land there.
 */
const FRENCH_NUMBERING_ZONE: readonly CountryCode[] = ['FR', 'GP', 'MQ', 'GF', 'RE', 'YT', 'BL', 'MF'];
const FRENCH_NATIONAL_FORMAT = /^0\d{9}$/;

/**
 * Which territory to try first for a national number's leading digits. Only an order: the
 * metadata still decides, and every territory is tried. It spares most overseas numbers
 * three or four failed parses (about 10 µs each).
 */
const LIKELY_TERRITORY: Readonly<Record<string, CountryCode>> = {
	'0590': 'GP',
	'0690': 'GP',
	'0691': 'GP',
	'0594': 'GF',
	'0694': 'GF',
	'0596': 'MQ',
	'0696': 'MQ',
	'0697': 'MQ',
	'0262': 'RE',
	'0263': 'RE',
	'0692': 'RE',
	'0693': 'RE',
	'0269': 'YT',
	'0639': 'YT',
};

/** Separators people put in phone numbers; anything else (letters, `#`, `*`, …) is refused. */
const SEPARATORS = /[\s.\-()/\\]/g;

export interface NormalizeOptions {
	defaultCountry: CountryCode;
	/** ISO codes a number may belong to; empty means any country. */
	allowedCountries?: readonly string[];
	/** Which types of number are accepted; SMS-capable ones unless said otherwise. */
	policy?: NumberPolicy;
}

export interface Recipient {
	/** What the user wrote, trimmed. */
	input: string;
	/** E.164 with a leading `+`. */
	to: string;
}

/**
 * Reads the Default Country and Allowed Countries options (ISO codes, any case, the latter
 * separated by commas, semicolons or spaces) and refuses codes libphonenumber does not know.
 */
export function numberRules(defaultCountry = 'FR', allowedCountries = '', policy: NumberPolicy = 'sms'): NormalizeOptions {
	const country = defaultCountry.trim().toUpperCase();
	if (!isSupportedCountry(country)) {
		throw new InputError(`"${defaultCountry}" is not a supported ISO country code for Default Country`, defaultCountry);
	}
	const allowed = allowedCountries
		.split(/[\s,;]+/)
		.map((code) => code.toUpperCase())
		.filter((code) => code !== '');
	const unknown = allowed.find((code) => !isSupportedCountry(code));
	if (unknown) {
		throw new InputError(`"${unknown}" in Allowed Countries is not a supported ISO country code`, unknown);
	}
	return { defaultCountry: country, allowedCountries: allowed, policy };
}

/**
 * Splits the `to` parameter into the numbers it holds: a string separated by commas,
 * semicolons or new lines, or an array whose elements are one number each.
 */
export function splitRecipientList(value: unknown): string[] {
	// An expression over a missing field gives undefined or null: no recipient, said so.
	if (value === undefined || value === null) return [];
	if (typeof value === 'string') {
		return value
			.split(/[,;\r\n]+/)
			.map((part) => part.trim())
			.filter((part) => part !== '');
	}
	if (Array.isArray(value)) {
		return value
			.map((element, position) => {
				if (typeof element !== 'string') {
					throw new InputError(`Recipient ${position + 1} of the list is ${describeValue(element)}, not a phone number written as text`);
				}
				return element.trim();
			})
			.filter((part) => part !== '');
	}
	throw new InputError(
		`Recipients must be text (numbers separated by commas, semicolons or new lines) or a list of texts, not ${describeValue(value)}`,
	);
}

/**
 * Turns one written phone number into E.164, or says why the policy refuses it.
 * `00` is read as the international prefix and always becomes `+`: DMC accepts `00…`
 * and then never delivers it.
 */
export function normalizePhoneNumber(input: string, options: NormalizeOptions): string {
	return normalizedPhone(input, options).number;
}

/** A written number without its separators, `00` read as `+`; refused when it holds anything else. */
export function compactNumber(input: string): { written: string; compact: string } {
	const written = input.trim();
	if (written.length > MAX_NUMBER_INPUT_LENGTH) {
		throw new InputError(`${quote(written)} is too long to be a phone number`, written);
	}
	const digits = written.replace(SEPARATORS, '');
	if (!/^(\+|00)?\d+$/.test(digits)) {
		throw new InputError(
			`${quote(written)} is not a phone number: only digits, a leading + and the separators space . - ( ) / are allowed`,
			written,
		);
	}
	return { written, compact: digits.startsWith('00') ? `+${digits.slice(2)}` : digits };
}

/** As normalizePhoneNumber, the parsed number itself: for callers that also need its national form. */
export function normalizedPhone(input: string, options: NormalizeOptions): PhoneNumber {
	const { written, compact: international } = compactNumber(input);
	const parsed = parse(international, options.defaultCountry);
	if (!parsed) {
		throw new InputError(`${quote(written)} is not a valid phone number`, written);
	}
	const { phone, type } = parsed;
	const policy = POLICIES[options.policy ?? 'sms'];
	if (policy.types && !(type && policy.types.has(type))) {
		const what = (type && TYPE_NAMES[type]) ?? 'a number of unknown use';
		throw new InputError(`${quote(written)} is ${what}: ${policy.cannot}`, written);
	}
	const allowed = options.allowedCountries ?? [];
	if (allowed.length > 0 && !(phone.country && allowed.includes(phone.country))) {
		throw new InputError(
			`${quote(written)} is a ${phone.country ?? `+${phone.countryCallingCode}`} number; allowed countries: ${allowed.join(', ')}`,
			written,
		);
	}
	return phone;
}

/**
 * Normalises an item's recipients to E.164, drops repeats of the same number however
 * written, and refuses the whole list when any number is unusable or there are more
 * than DMC takes in one call.
 */
export function normalizeRecipients(value: unknown, options: NormalizeOptions): Recipient[] {
	const recipients = new Map<string, Recipient>();
	for (const input of splitRecipientList(value)) {
		const to = normalizePhoneNumber(input, options);
		if (!recipients.has(to)) recipients.set(to, { input, to });
	}
	if (recipients.size === 0) {
		throw new InputError('No recipient: the "To" field is empty');
	}
	if (recipients.size > MAX_RECIPIENTS_PER_ITEM) {
		throw new InputError(
			`${recipients.size} distinct recipients in one item; at most ${MAX_RECIPIENTS_PER_ITEM} are allowed. Split them over several items`,
		);
	}
	return [...recipients.values()];
}

/** A valid number and its type. */
interface ParsedNumber {
	phone: PhoneNumber;
	type: NumberType;
}

/**
 * The number parsed in the default country, or for a French national number, in the first
 * territory of the French numbering zone where it is valid.
 */
function parse(number: string, defaultCountry: CountryCode): ParsedNumber | undefined {
	const first = parseTypeFirst(number, defaultCountry);
	if (first) return first;
	if (!FRENCH_NATIONAL_FORMAT.test(number) || !FRENCH_NUMBERING_ZONE.includes(defaultCountry)) return undefined;
	const likely = LIKELY_TERRITORY[number.slice(0, 4)];
	for (const country of likely ? [likely, ...FRENCH_NUMBERING_ZONE.filter((c) => c !== likely)] : FRENCH_NUMBERING_ZONE) {
		// Parsing is deterministic: the default country was just tried and found invalid.
		if (country === defaultCountry) continue;
		const found = parseValidFirst(number, country);
		if (found) return found;
	}
	return undefined;
}

// Both helpers are `parsePhoneNumberFromString(number, country)` when `isValid()`, with
// its `getType()`. They differ in cost only. With type metadata (libphonenumber-js/max has
// it), `isValid()` is `getType() !== undefined` and works out the type to say so: each
// call matches the number against its country's patterns. A number that is most likely
// valid (in its default country) is asked its type first, and its validity only when it
// has none; a French zone candidate, most likely invalid in all territories but one, is
// asked its validity first.

function parseTypeFirst(number: string, country: CountryCode): ParsedNumber | undefined {
	const phone = parsePhoneNumberFromString(number, country);
	if (!phone) return undefined;
	const type = phone.getType();
	if (type === undefined && !phone.isValid()) return undefined;
	return { phone, type };
}

function parseValidFirst(number: string, country: CountryCode): ParsedNumber | undefined {
	const phone = parsePhoneNumberFromString(number, country);
	if (!phone?.isValid()) return undefined;
	return { phone, type: phone.getType() };
}

function quote(value: string): string {
	return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}
