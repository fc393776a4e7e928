/**
 * The contacts of one campaign, from its input items: each item one contact, its number
 * normalised by the rules Send uses (E.164, the French numbering zone, Allowed Countries,
 * the SMS or voice policy), numbers in Exclude Numbers left out, and the file DMC imports.
 *
 * A contact the node cannot write is refused with its item index, its input and why; a
 * number given twice is refused the second time, so that nobody gets the alert twice.
 * Nothing here ever turns one item into two contacts: the number is one value (a list or
 * `;` in it is refused, never split), and the file writer makes every other value fit one
 * column.
 */
import { createHash, randomBytes } from 'crypto';

import { CONTACT_FIELDS, contactFileText, contactLine, encodeLatin9, type CampaignContact, type ContactField } from './campaignCsv';
import type { ExcludeList } from './excludeList';
import { describeValue, InputError } from './inputError';
import { contactNumber } from './contactNumbers';
import type { NormalizeOptions } from './recipients';

/** The guide: at most this many contacts in one imported file (§2.3.7). */
export const MAX_CONTACTS_PER_FILE = 100_000;

export interface ContactInput {
	itemIndex: number;
	to: unknown;
	fields: Partial<Record<ContactField, unknown>>;
	/** Why the item could not be read (a broken expression): it is refused with this reason. */
	unreadable?: string;
}

export interface RefusedContact {
	itemIndex: number;
	input: string;
	reason: string;
}

export interface ExcludedContact {
	itemIndex: number;
	input: string;
	to: string;
}

export interface AdjustedContact {
	itemIndex: number;
	changes: string[];
}

export interface ContactFile {
	/** The file, ISO-8859-15. */
	bytes: Uint8Array;
	/** The contacts as the file holds them, in item order. */
	contacts: CampaignContact[];
	/** The item each contact comes from. */
	itemIndexes: number[];
	refused: RefusedContact[];
	excluded: ExcludedContact[];
	/** Contacts whose values were changed to fit the file (a `;` in a name…). */
	adjusted: AdjustedContact[];
}

/** Why a contact is refused; anything but an InputError is a bug, not the contact's fault. */
function refusalOf(error: unknown): string {
	if (!(error instanceof InputError)) throw error;
	return error.message;
}

function asText(value: unknown, name: string): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	throw new InputError(`${name} must be text, not ${describeValue(value)}`);
}

/** Reads every input; refuses the campaign when no contact is left or there are more than one file takes. */
export function contactFile(inputs: readonly ContactInput[], rules: NormalizeOptions, exclude: ExcludeList): ContactFile {
	const file: ContactFile = { bytes: new Uint8Array(), contacts: [], itemIndexes: [], refused: [], excluded: [], adjusted: [] };
	const lines: string[] = [];
	const firstItemOf = new Map<string, number>();
	for (const { itemIndex, to, fields, unreadable } of inputs) {
		const input = typeof to === 'string' ? to.trim() : describeValue(to);
		try {
			if (unreadable !== undefined) throw new InputError(unreadable);
			if (typeof to !== 'string') throw new InputError(`The number must be text, not ${describeValue(to)}`);
			const { to: e164, dialled } = contactNumber(to, rules);
			if (exclude.numbers.has(e164)) {
				file.excluded.push({ itemIndex, input, to: e164 });
				continue;
			}
			const first = firstItemOf.get(e164);
			if (first !== undefined) throw new InputError(`${e164} is already the number of item ${first}: each number gets the message once`);
			const contact: CampaignContact = { to: e164 };
			for (const field of CONTACT_FIELDS) {
				const value = asText(fields[field], field);
				if (value !== '') contact[field] = value;
			}
			const { line, written, changes } = contactLine(contact, dialled);
			firstItemOf.set(e164, itemIndex);
			lines.push(line);
			file.contacts.push(written);
			file.itemIndexes.push(itemIndex);
			if (changes.length > 0) file.adjusted.push({ itemIndex, changes });
		} catch (error) {
			file.refused.push({ itemIndex, input, reason: refusalOf(error) });
		}
	}
	if (file.contacts.length > MAX_CONTACTS_PER_FILE) {
		throw new InputError(
			`${file.contacts.length} contacts: a campaign takes at most ${MAX_CONTACTS_PER_FILE.toLocaleString('en')} (one DMC import file). Split them into several campaigns`,
		);
	}
	file.bytes = encodeLatin9(contactFileText(lines));
	return file;
}

/**
 * The key that makes a campaign's name unique. With Skip If Already Created it is a digest
 * of everything the campaign is (its settings and its file), so that running the same data
 * again derives the same name and finds the campaign; otherwise it is random, so that two
 * deliberate runs of the same data never share a name.
 */
export function campaignKey(contentBased: boolean, settings: unknown, bytes: Uint8Array): string {
	if (!contentBased) return randomBytes(5).toString('hex');
	return createHash('sha256').update(JSON.stringify(settings)).update(bytes).digest('hex').slice(0, 10);
}

/** The name DMC gets: the user's, then the key; at most 255 characters (§2.3.2). */
export function derivedName(campaignName: string, key: string): string {
	const suffix = ` [n8n ${key}]`;
	const name = campaignName.trim();
	if (name === '') throw new InputError('The campaign name is empty');
	return `${[...name].slice(0, 255 - suffix.length).join('')}${suffix}`;
}
