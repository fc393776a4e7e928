/**
 * What Send and Send Voice Message do alike with an item before anything leaves: read the
 * shared options, normalise the recipients under the operation's number policy, leave out
 * the excluded ones, and build one DMC message per remaining recipient, with the item's
 * reference and validity. The operation supplies only its content (text, media, voice…).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ItemMessages } from '../domain/batches';
import { ExcludeListCache, type ExcludeList } from '../domain/excludeList';
import { InputError } from '../domain/inputError';
import { normalizeRecipients, numberRules, type NumberPolicy, type Recipient } from '../domain/recipients';
import type { DmcMessage } from '../transport/DmcClient';

/** The options every sending operation has; each may add its own. */
export interface SendOptions {
	allowedCountries?: string;
	defaultCountry?: string;
	doubtLookupTime?: number;
	excludeNumbers?: unknown;
	reference?: string;
	requestTimeout?: number;
	skipAlreadySent?: boolean;
	validity?: number;
}

/** What an operation sends to each recipient of an item, and what its output says of it. */
export interface ItemContent {
	message: Omit<DmcMessage, 'to' | 'refExt' | 'timeout'>;
	/** Fields of the output item describing the content: media, parts, characters, voice. */
	summary: IDataObject;
}

export type ContentReader<O extends SendOptions> = (itemIndex: number, options: O) => ItemContent;

export interface OutputRecipient extends Recipient {
	/** Left out by Exclude Numbers. */
	excluded?: true;
	/** Left out by Skip If Already Sent: the id of the message DMC already has. */
	alreadySent?: string;
}

export interface PreparedItem extends ItemMessages<DmcMessage> {
	/** Every recipient, excluded or not; `messages` holds one per recipient not excluded, in order. */
	recipients: OutputRecipient[];
	summary: IDataObject;
	reference: string;
	/** The exclude list's ignored entries, on the first item that used the list only. */
	excludeListIgnored?: string[];
	/** Skip If Already Sent: look the reference up before sending. */
	skipAlreadySent: boolean;
}

/**
 * The reader of one item for an execution. Exclude lists are prepared once per execution
 * (per distinct value), and each list's ignored entries are reported once, on the first
 * item prepared with it.
 */
export function itemPreparer<O extends SendOptions>(
	context: IExecuteFunctions,
	policy: NumberPolicy,
	readContent: ContentReader<O>,
): (itemIndex: number) => PreparedItem {
	const excludeLists = new ExcludeListCache();
	const reported = new Set<ExcludeList>();
	return (itemIndex) => {
		const options = context.getNodeParameter('options', itemIndex, {}) as unknown as O;
		const rules = numberRules(options.defaultCountry, options.allowedCountries, policy);
		const recipients: OutputRecipient[] = normalizeRecipients(context.getNodeParameter('to', itemIndex), rules);
		const content = readContent(itemIndex, options);
		if (options.validity !== undefined && !(Number.isInteger(options.validity) && options.validity >= 1)) {
			throw new InputError(`Validity must be a whole number of minutes of at least 1, not ${JSON.stringify(options.validity)}`);
		}
		const excludeList = excludeLists.get(options.excludeNumbers, rules.defaultCountry);
		let excludeListIgnored: string[] | undefined;
		if (excludeList.ignored.length > 0 && !reported.has(excludeList)) {
			reported.add(excludeList);
			excludeListIgnored = excludeList.ignored;
		}

		// Every message gets a reference, so that one whose call ended in doubt (a time-out, a
		// reset) can still be found in DMC's reports.
		const reference = options.reference?.trim() || `n8n-${context.getExecutionId()}-${itemIndex}`;
		const messages: DmcMessage[] = [];
		for (const recipient of recipients) {
			if (excludeList.numbers.has(recipient.to)) {
				recipient.excluded = true;
				continue;
			}
			const message: DmcMessage = { ...content.message, to: recipient.to, refExt: reference };
			if (options.validity !== undefined) message.timeout = options.validity;
			messages.push(message);
		}
		const skipAlreadySent = options.skipAlreadySent === true;
		return {
			itemIndex,
			recipients,
			summary: content.summary,
			reference,
			messages,
			skipAlreadySent,
			...(excludeListIgnored && { excludeListIgnored }),
		};
	};
}
