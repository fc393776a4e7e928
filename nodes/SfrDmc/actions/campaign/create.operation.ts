import {
	ExpressionError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { CONTACT_FIELDS, type ContactField } from '../../domain/campaignCsv';
import { campaignKey, contactFile, derivedName, type ContactInput } from '../../domain/campaignContacts';
import { campaignText, smsFlags } from '../../domain/campaignMessage';
import { campaignStatusOf, isoOf } from '../../domain/campaigns';
import { textOf } from '../../domain/deliveryReports';
import { prepareExcludeList } from '../../domain/excludeList';
import { describeValue, InputError } from '../../domain/inputError';
import { numberRules } from '../../domain/recipients';
import { validateSender } from '../../domain/sender';
import type { SmsEncoding } from '../../domain/smsText';
import { CampaignBuilder, type CampaignPlan } from '../../transport/campaignBuild';
import { connectBroadcasts } from '../../transport/connectDmc';
import type { DmcRecord } from '../../transport/DmcClient';
import { continuedDmcFailure, errorItem, errorJson } from '../itemErrors';
import { DEFAULT_TIMEOUT_SECONDS } from '../sendParameters';
import { createParameters, DEFAULT_IMPORT_TIMEOUT_SECONDS } from './createParameters';

export const description: INodeProperties[] = createParameters;

interface CreateOptions {
	addStopMention?: boolean;
	allowedCountries?: string;
	defaultCountry?: string;
	encoding?: SmsEncoding;
	excludeNumbers?: unknown;
	importTimeout?: number;
	requestTimeout?: number;
	skipIfAlreadyCreated?: boolean;
	startAt?: string;
	stopAt?: string;
}

/** DMC's multimedia types of a customizable message (§2.3.2). */
const SMS_TEXT = 3;
const TEXT_TO_SPEECH = 1;

/**
 * One campaign from all input items, each item one contact. Every contact is read and the
 * whole file written before DMC is called: without "continue on fail" one bad contact stops
 * the node before anything is created. The output is one item for the campaign, then under
 * "continue on fail" one error item per refused contact.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const options = this.getNodeParameter('options', 0, {}) as CreateOptions;
	const { plan, file, requested } = settle(() => readCampaign(this, options), this);
	const refusedItems = file.refused.map((refusal) =>
		errorItem(
			new NodeOperationError(this.getNode(), `${refusal.reason} [item ${refusal.itemIndex}]`, { itemIndex: refusal.itemIndex }),
			refusal.itemIndex,
		),
	);
	const paired = [...file.itemIndexes, ...file.excluded.map((entry) => entry.itemIndex)].sort((a, b) => a - b).map((item) => ({ item }));
	const summary: IDataObject = {
		name: plan.name,
		contacts: file.contacts.length,
		refused: file.refused.map(({ itemIndex, input, reason }) => ({ itemIndex, input, reason })),
		excluded: file.excluded.map(({ itemIndex, input, to }) => ({ itemIndex, input, to })),
		adjusted: file.adjusted.map(({ itemIndex, changes }) => ({ itemIndex, changes })),
	};
	const client = await connectBroadcasts(this, (options.requestTimeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000);
	try {
		const { broadcast, skipped } = await new CampaignBuilder(client, this.getNode()).build(plan);
		return [[{ json: campaignJson(broadcast, skipped, summary, requested), pairedItem: paired }, ...refusedItems]];
	} catch (error) {
		const failure = continuedDmcFailure(this, error);
		return [[{ json: { ...errorJson(failure), ...summary }, pairedItem: paired }, ...refusedItems]];
	}
}

/** Runs `read`, making a bad setting the node's error (it concerns every item, not one). */
function settle<T>(read: () => T, context: IExecuteFunctions): T {
	try {
		return read();
	} catch (cause) {
		if (cause instanceof NodeOperationError)
			throw new NodeOperationError(context.getNode(), cause.message, {
				itemIndex: cause.context.itemIndex as number | undefined,
				description: cause.description ?? undefined,
			});
		throw new NodeOperationError(context.getNode(), cause instanceof InputError ? cause.message : (cause as Error));
	}
}

function readCampaign(context: IExecuteFunctions, options: CreateOptions) {
	const voice = context.getNodeParameter('channel', 0, 'sms') === 'voice';
	const rules = numberRules(options.defaultCountry, options.allowedCountries, voice ? 'call' : 'sms');
	const exclude = prepareExcludeList(options.excludeNumbers, rules.defaultCountry);
	const file = contactFile(readContacts(context), rules, exclude);
	if (file.refused.length > 0 && !context.continueOnFail()) {
		const [first] = file.refused;
		throw new NodeOperationError(context.getNode(), `${first.reason} [item ${first.itemIndex}]`, {
			itemIndex: first.itemIndex,
			description: file.refused.length > 1 ? `${file.refused.length} contacts were refused; nothing was created.` : 'Nothing was created.',
		});
	}
	if (file.contacts.length === 0)
		throw new InputError('No contact is left to send to (every item was refused or excluded): nothing was created');

	const text = campaignText(context.getNodeParameter('message', 0), !voice && options.addStopMention === true);
	const message: IDataObject = { multimediaType: voice ? TEXT_TO_SPEECH : SMS_TEXT, text: text.text };
	if (!voice) {
		const flags = smsFlags(text, file.contacts, options.encoding ?? 'auto');
		const sender = validateSender(context.getNodeParameter('sender', 0, '') as unknown);
		Object.assign(message, { smsLong: flags.smsLong, smsUnicode: flags.smsUnicode }, sender && { messageFrom: sender });
	}
	const broadcast: IDataObject = {
		scenarioId: idParameter(context, 'scenario', 'Scenario'),
		callPlanningId: idParameter(context, 'callPlanning', 'Call Planning'),
	};
	const requested = dates(options);
	if (requested.startAt !== undefined) broadcast.startDate = requested.startAt;
	if (requested.stopAt !== undefined) broadcast.stopDate = requested.stopAt;

	const campaignName = context.getNodeParameter('campaignName', 0) as unknown;
	if (typeof campaignName !== 'string') throw new InputError(`The campaign name must be text, not ${describeValue(campaignName)}`);
	const key = campaignKey(options.skipIfAlreadyCreated === true, { campaignName, broadcast, message }, file.bytes);
	const plan: CampaignPlan = {
		name: derivedName(campaignName, key),
		broadcast,
		scenarioId: String(broadcast.scenarioId),
		message,
		fileName: `contacts-${key}.csv`,
		file: file.bytes,
		contacts: file.contacts.length,
		activate: context.getNodeParameter('activate', 0, true) === true,
		skipIfCreated: options.skipIfAlreadyCreated === true,
		waitMs: (options.importTimeout ?? DEFAULT_IMPORT_TIMEOUT_SECONDS) * 1000,
	};
	return { plan, file, requested };
}

/**
 * Each item's contact; an item whose parameters cannot be read (a broken expression) is
 * refused. n8n evaluates each expression in about 40–110 µs, most of a large campaign's
 * time (50,000 contacts, three mapped fields: 6–17 s); reading the items' own fields
 * evaluates none.
 */
function readContacts(context: IExecuteFunctions): ContactInput[] {
	if (context.getNodeParameter('contactMapping', 0, 'manual') === 'input') {
		return context.getInputData().map(({ json }, itemIndex) => {
			const fields: Partial<Record<ContactField, unknown>> = {};
			for (const field of CONTACT_FIELDS) if (json[field] !== undefined && json[field] !== null) fields[field] = json[field];
			if (json.to === undefined)
				return {
					itemIndex,
					to: undefined,
					fields,
					unreadable: 'The item has no "to" field: with Contacts set to "Read Fields of Each Item", each item gives its number as "to"',
				};
			return { itemIndex, to: json.to, fields };
		});
	}
	// A field left empty is empty for every item: reading it 100,000 times would cost seconds.
	const parameters = context.getNode().parameters;
	const used = CONTACT_FIELDS.filter((field) => parameters[field] !== undefined && parameters[field] !== '');
	return context.getInputData().map((_, itemIndex) => {
		try {
			const fields: Partial<Record<ContactField, unknown>> = {};
			for (const field of used) fields[field] = context.getNodeParameter(field, itemIndex, '');
			return { itemIndex, to: context.getNodeParameter('to', itemIndex), fields };
		} catch (error) {
			if (!(error instanceof ExpressionError)) throw new NodeOperationError(context.getNode(), error as Error);
			return { itemIndex, to: undefined, fields: {}, unreadable: error.message };
		}
	});
}

function idParameter(context: IExecuteFunctions, name: string, label: string): number | string {
	const value = context.getNodeParameter(name, 0, '') as unknown;
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!/^\d+$/.test(text)) throw new InputError(`${label} must be chosen from the list or be a DMC ID, not ${JSON.stringify(value ?? '')}`);
	return /^\d{1,15}$/.test(text) ? Number(text) : text;
}

function dates(options: CreateOptions): { startAt?: number; stopAt?: number } {
	const read = (value: string | undefined, label: string) => {
		if (value === undefined || value === '') return undefined;
		const at = Date.parse(value);
		if (Number.isNaN(at)) throw new InputError(`${label} is not a date: ${JSON.stringify(value)}`);
		return at;
	};
	const startAt = read(options.startAt, 'Start At');
	const stopAt = read(options.stopAt, 'Stop At');
	if (stopAt !== undefined && stopAt <= Math.max(startAt ?? 0, Date.now())) {
		throw new InputError(`Stop At (${options.stopAt}) must be later than the start and than now`);
	}
	return { startAt, stopAt };
}

function campaignJson(broadcast: DmcRecord, skipped: boolean, summary: IDataObject, requested: ReturnType<typeof dates>): IDataObject {
	const at = (value: number | undefined) => (value === undefined ? null : new Date(value).toISOString());
	return {
		campaignId: String(broadcast.broadcastId),
		name: summary.name,
		status: campaignStatusOf(broadcast.status, broadcast.statusCode),
		statusLabel: textOf(broadcast.status),
		statusCode: textOf(broadcast.statusCode),
		...summary,
		startAt: isoOf(broadcast.startDate) ?? at(requested.startAt),
		stopAt: isoOf(broadcast.stopDate) ?? at(requested.stopAt),
		...(skipped && { alreadyCreated: true }),
	};
}
