/**
 * The text of a campaign and its placeholders.
 *
 * The user writes a contact's fields as `{firstName}`, `{lastName}`, `{info1}`…`{info4}`
 * (n8n's own expressions are `{{ … }}`, so single braces stay free). The node writes them
 * to DMC as `<#contact.prenom#>`, `<#contact.nom#>`, `<#contact.info1#>`…: the guide names
 * the fields `contact.prenom`, `contact.nom`, `contact.info1`… (§2.10.10) but gives their
 * delimiters per channel only (`*#…#*` in a web-service e-mail, `<#…#>` in HTML and in unit
 * SMS as `<#shortcode#>`, `|…|` over FTP); it says nothing of a web-service SMS. `<#…#>` is
 * the form DMC already reads in an SMS text (the short code), so it is the one taken; it is
 * unverified on a live account.
 *
 * Whether the text may exceed one SMS part is decided on the worst case: each placeholder
 * counts as the longest value any contact has for it, every character of it two septets.
 * `smsLong` is then set whenever that worst case takes more than one part: without it DMC
 * rejects every contact whose text is longer (§2.3.2), and setting it on a short text only
 * allows what is not needed.
 */
import type { CampaignContact, ContactField } from './campaignCsv';
import { describeValue, InputError } from './inputError';
import { countSmsParts, withStopNotice, type SmsEncoding } from './smsText';

/** The placeholders a campaign text may hold, and DMC's field for each. */
export const PLACEHOLDERS: Readonly<Partial<Record<ContactField, string>>> = {
	firstName: 'contact.prenom',
	lastName: 'contact.nom',
	info1: 'contact.info1',
	info2: 'contact.info2',
	info3: 'contact.info3',
	info4: 'contact.info4',
};

const PLACEHOLDER = /\{(firstName|lastName|info[1-4])\}/g;

export interface CampaignText {
	/** The text as DMC takes it, placeholders in DMC's form. */
	text: string;
	/** The fields the text uses: a contact without one of them fails at DMC (CRA_MISSINGPARAM). */
	fields: ContactField[];
}

/** Checks the text and writes its placeholders as DMC reads them; adds the STOP mention when asked (SMS only). */
export function campaignText(written: unknown, stopMention: boolean): CampaignText {
	if (typeof written !== 'string') {
		throw new InputError(
			written === undefined || written === null ? 'The message is empty' : `The message must be text, not ${describeValue(written)}`,
		);
	}
	if (written.trim() === '') throw new InputError('The message is empty');
	const source = stopMention ? withStopNotice(written) : written;
	const fields = new Set<ContactField>();
	const text = source.replace(PLACEHOLDER, (_, field: ContactField) => {
		fields.add(field);
		return `<#${PLACEHOLDERS[field]}#>`;
	});
	// The guide's limit for a customizable message's text (§2.3.2).
	if (text.length > 4000) throw new InputError(`The message has ${text.length} characters as DMC takes it; at most 4000 are allowed`);
	return { text, fields: [...fields] };
}

export interface SmsFlags {
	smsLong: boolean;
	smsUnicode: boolean;
	/** Parts of the longest text a contact can get. */
	maxParts: number;
}

/** Whether the campaign's SMS needs the long and the Unicode media, over every contact's values. */
export function smsFlags(text: CampaignText, contacts: readonly CampaignContact[], encoding: SmsEncoding): SmsFlags {
	let worst = text.text;
	let latin1 = fitsLatin1(text.text);
	for (const field of text.fields) {
		let longest = 0;
		for (const contact of contacts) {
			const value = contact[field] ?? '';
			if (value.length > longest) longest = value.length;
			if (latin1 && !fitsLatin1(value)) latin1 = false;
		}
		// `^` is in ISO-8859-1 and costs two septets: the dearest character a value can hold.
		worst = worst.split(`<#${PLACEHOLDERS[field]}#>`).join('^'.repeat(longest));
	}
	const unicode = encoding === 'unicode' || (encoding === 'auto' && !latin1);
	// The short code is 5 digits on the phone; anything else in `<#…#>` is gone by now.
	const delivered = worst.split('<#shortcode#>').join('00000');
	const { parts } = countSmsParts(delivered, unicode ? 'unicode' : 'standard');
	return { smsLong: parts > 1, smsUnicode: unicode, maxParts: parts };
}

function fitsLatin1(text: string): boolean {
	for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return false;
	return true;
}
