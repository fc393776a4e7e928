/**
 * The parameters Send and Send Voice Message share, so that both read recipients, countries,
 * the opt-out list, reference, validity, time-out and doubt handling alike.
 */
import type { INodeProperties } from 'n8n-workflow';

import { STOP_NOTICE } from '../domain/smsText';
import { DEFAULT_TIMEOUT_MS } from '../transport/DmcClient';

export const DEFAULT_TIMEOUT_SECONDS = DEFAULT_TIMEOUT_MS / 1000;

export const toParameter: INodeProperties = {
	displayName: 'To',
	name: 'to',
	type: 'string',
	required: true,
	default: '',
	placeholder: '06 12 34 56 78, +590 690 00 11 22',
	description:
		'Phone numbers separated by commas, semicolons or new lines, or an expression returning a list of numbers. At most 20 distinct numbers per item.',
};

/** The text to send, described for the operation. */
export function messageParameter(description: string): INodeProperties {
	return { displayName: 'Message', name: 'message', type: 'string', typeOptions: { rows: 4 }, required: true, default: '', description };
}

export const allowedCountriesOption: INodeProperties = {
	displayName: 'Allowed Countries',
	name: 'allowedCountries',
	type: 'string',
	default: '',
	placeholder: 'FR, GP, MQ, GF, RE, YT',
	description: 'ISO codes of the countries numbers may belong to, separated by commas. Empty allows any country.',
};

export const defaultCountryOption: INodeProperties = {
	displayName: 'Default Country',
	name: 'defaultCountry',
	type: 'string',
	default: 'FR',
	description: 'ISO code of the country of numbers written without an international prefix, e.g. FR for 06 12 34 56 78',
};

export const DEFAULT_DOUBT_LOOKUP_SECONDS = 30;

const doubtLookupTimeOption: INodeProperties = {
	displayName: 'Look-Up Time When in Doubt',
	name: 'doubtLookupTime',
	type: 'number',
	typeOptions: { minValue: 0, numberPrecision: 0 },
	default: DEFAULT_DOUBT_LOOKUP_SECONDS,
	description:
		"When DMC's answer to a send is lost (time-out, reset, gateway error), how many seconds to keep looking for the messages by reference before reporting them as in doubt. They are never sent again automatically. 0 looks once.",
};

const skipAlreadySentOption: INodeProperties = {
	displayName: 'Skip If Already Sent',
	name: 'skipAlreadySent',
	type: 'boolean',
	default: false,
	description:
		'Whether to look up each reference first and not send again to a recipient DMC already has a message for with that reference. Meant for a reference you set from your data, such as a request ID: re-runs and Retry on Fail then send each message once. DMC answers look-ups once a minute per account: executions looking up at the same time share one, and may wait up to a minute for it.',
};

export const excludeNumbersOption: INodeProperties = {
	displayName: 'Exclude Numbers',
	name: 'excludeNumbers',
	type: 'string',
	typeOptions: { rows: 2 },
	default: '',
	placeholder: '06 12 34 56 22, +33 7 81 23 45 67',
	description:
		'Numbers never to send to, such as those that answered STOP: separated by commas, semicolons or new lines, or an expression returning a list. Any format matches (+33 6 12 34 56 22 excludes 06.12.34.56.22). Entries that are not phone numbers are ignored and listed once in the output.',
};

const referenceOption: INodeProperties = {
	displayName: 'Reference',
	name: 'reference',
	type: 'string',
	default: '',
	description:
		'Your own reference for the message, sent to DMC as refExt and found again in delivery reports. Empty: n8n-[execution ID]-[item index].',
};

export const requestTimeoutOption: INodeProperties = {
	displayName: 'Request Timeout',
	name: 'requestTimeout',
	type: 'number',
	typeOptions: { minValue: 1, numberPrecision: 0 },
	default: DEFAULT_TIMEOUT_SECONDS,
	description: 'Seconds to wait for DMC before giving up on a call',
};

const validityOption: INodeProperties = {
	displayName: 'Validity (Minutes)',
	name: 'validity',
	type: 'number',
	typeOptions: { minValue: 1, numberPrecision: 0 },
	default: 2880,
	description: 'How long DMC keeps trying to deliver the message, in minutes',
};

/** The opt-out mention, as Send's Add STOP Mention writes it. */
export const stopMentionOption: INodeProperties = {
	displayName: 'Add STOP Mention',
	name: 'stopNotice',
	type: 'boolean',
	default: false,
	description: `Whether to append "${STOP_NOTICE}" on a new line: the opt-out mention marketing messages must carry. DMC replaces the placeholder with the service's short code, counted as 5 digits.`,
};

/** How an SMS text is encoded, as Send offers it. */
export const encodingOption: INodeProperties = {
	displayName: 'Encoding',
	name: 'encoding',
	type: 'options',
	default: 'auto',
	options: [
		{
			name: 'Auto',
			value: 'auto',
			description: 'Standard when every character is in ISO-8859-1, otherwise Unicode',
		},
		{
			name: 'Standard (GSM-7)',
			value: 'standard',
			description: '160 characters per SMS; accented letters missing from GSM lose their accent',
		},
		{
			name: 'Unicode',
			value: 'unicode',
			description: '70 characters per SMS; every character arrives as written',
		},
	],
};

/** The Options collection of a sending operation: the shared options and its own, in the editor's alphabetical order. */
export function sendOptionsParameter(own: INodeProperties[] = []): INodeProperties {
	const options = [
		allowedCountriesOption,
		defaultCountryOption,
		doubtLookupTimeOption,
		excludeNumbersOption,
		referenceOption,
		requestTimeoutOption,
		skipAlreadySentOption,
		validityOption,
		...own,
	];
	options.sort((a, b) => a.displayName.localeCompare(b.displayName));
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options };
}
