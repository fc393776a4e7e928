/**
 * Campaigns (DMC broadcasts) as the node outputs them, and which control a campaign's state
 * allows. Pure and n8n-free.
 */
import { e164OrRaw, instantOf, statusOf, textOf, type DeliveryStatus, type DmcRecord } from './deliveryReports';
import { describeValue, InputError } from './inputError';
import { partsOf } from './messageParts';

/** A campaign's state in stable English words, whatever the language of DMC's label. */
export type CampaignStatus =
	| 'editing'
	| 'loading'
	| 'sending'
	| 'suspended'
	| 'pauseRequested'
	| 'paused'
	| 'restarting'
	| 'quotaReached'
	| 'stopRequested'
	| 'stopped'
	| 'finished'
	| 'failed'
	| 'unknown';

/** The guide's French labels (§2.4.2), the only ones it documents; the credential asks for English texts, which it does not list. */
const STATUS_BY_LABEL: Record<string, CampaignStatus> = {
	edition: 'editing',
	'chargement en cours': 'loading',
	'appel/envoi en cours': 'sending',
	'appels suspendus': 'suspended',
	'pause demandée': 'pauseRequested',
	pause: 'paused',
	'redémarrage en cours': 'restarting',
	'quota atteint': 'quotaReached',
	'arrêt demandé': 'stopRequested',
	arrêtée: 'stopped',
	terminée: 'finished',
	echec: 'failed',
	échec: 'failed',
};

/** The two codes the guide shows (§2.3.4, §2.4.6); they win over the label. */
const STATUS_BY_CODE: Record<string, CampaignStatus> = { BR_LOADING: 'loading', BR_FINISHED: 'finished' };

/** States from which a campaign never sends again. */
export const ENDED_STATUSES: readonly CampaignStatus[] = ['stopped', 'finished', 'failed'];

export function campaignStatusOf(label: unknown, code: unknown): CampaignStatus {
	const byCode = typeof code === 'string' ? STATUS_BY_CODE[code] : undefined;
	if (byCode) return byCode;
	return (typeof label === 'string' && STATUS_BY_LABEL[label.trim().toLowerCase()]) || 'unknown';
}

/** A campaign as Get, Get Many and the control operations output it. */
export interface Campaign {
	campaignId: string | null;
	name: string | null;
	status: CampaignStatus;
	/** DMC's own label, as it answered. */
	statusLabel: string | null;
	statusCode: string | null;
	startAt: string | null;
	stopAt: string | null;
	callPlanningId: string | null;
	callPlanningName: string | null;
	scenarioId: string | null;
	scenarioName: string | null;
	contacts: number | null;
	running: number | null;
	ended: number | null;
	succeeded: number | null;
	failed: number | null;
}

function countOf(value: unknown): number | null {
	const count = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
	return typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : null;
}

export function isoOf(value: unknown): string | null {
	const time = instantOf(value);
	return time === undefined ? null : new Date(time).toISOString();
}

/** A broadcast record of getBroadcast, getBroadcastDetail, findBroadcastStatus or findEditingBroadcast. */
export function toCampaign(record: DmcRecord): Campaign {
	return {
		campaignId: textOf(record.broadcastId),
		name: textOf(record.broadcastName),
		status: campaignStatusOf(record.status, record.statusCode),
		statusLabel: textOf(record.status),
		statusCode: textOf(record.statusCode),
		startAt: isoOf(record.startDate),
		stopAt: isoOf(record.stopDate),
		callPlanningId: textOf(record.callPlanningId),
		callPlanningName: textOf(record.callPlanningName),
		scenarioId: textOf(record.scenarioId),
		scenarioName: textOf(record.scenarioName),
		contacts: countOf(record.totalContactNumber),
		running: countOf(record.runningContactNumber),
		ended: countOf(record.endedContactNumber),
		succeeded: countOf(record.succeededContactNumber),
		failed: countOf(record.failedContactNumber),
	};
}

/** One contact's report in a campaign, as Get Reports and the trigger output it. */
export interface CampaignReport {
	campaignId: string | null;
	contactId: string | null;
	reference: string | null;
	to: string | null;
	status: DeliveryStatus;
	resultCode: string | null;
	result: string | null;
	/** true once DONE, false once FAILED, null while the contact is pending. */
	delivered: boolean | null;
	parts: number | null;
	/** What the contact answered, if anything. */
	reply: string | null;
	firstName: string | null;
	lastName: string | null;
	updatedAt: string | null;
}

/** A per-contact report of findBroadcastCra or findLastModifiedCra. */
export function toCampaignReport(record: DmcRecord): CampaignReport {
	const status = statusOf(record.status);
	const to = textOf(record.callAdress) ?? textOf(record.phoneNumber1);
	return {
		campaignId: textOf(record.broadcastId),
		contactId: textOf(record.contactId),
		reference: textOf(record.externalReference),
		to: to === null ? null : e164OrRaw(to),
		status,
		resultCode: textOf(record.callResultCode),
		result: textOf(record.callResult),
		delivered: status === 'DONE' ? true : status === 'FAILED' ? false : null,
		parts: partsOf(record),
		reply: textOf(record.callResponse),
		firstName: textOf(record.firstName),
		lastName: textOf(record.lastName),
		updatedAt: isoOf(record.statusLastChange),
	};
}

/** Get Reports' summary of a campaign, from findCraNumber. */
export interface ResultSummary {
	campaignId: string;
	contacts: number;
	results: Array<{ resultCode: string | null; label: string | null; contacts: number }>;
}

export function toResultSummary(campaignId: string, records: readonly DmcRecord[]): ResultSummary {
	const results = records.map((record) => ({
		resultCode: textOf(record.codeResult),
		label: textOf(record.label),
		contacts: countOf(record.nb) ?? 0,
	}));
	return { campaignId, contacts: results.reduce((sum, result) => sum + result.contacts, 0), results };
}

/** The campaign id a user gave: DMC's broadcast ids are whole numbers. */
export function parseCampaignId(value: unknown): string {
	const text =
		typeof value === 'number' && Number.isInteger(value) && value > 0
			? String(value)
			: typeof value === 'string'
				? value.trim()
				: undefined;
	if (text === undefined || !/^\d{1,18}$/.test(text)) {
		const shown = typeof value === 'string' ? JSON.stringify(value) : describeValue(value);
		throw new InputError(`Campaign ID must be the number DMC gave the campaign (its campaignId), not ${shown}`, String(value));
	}
	return text;
}

/** Campaign ids separated by commas, semicolons, spaces or new lines, or a list; each once. */
export function parseCampaignIdList(value: unknown): string[] {
	const entries = Array.isArray(value) ? value : typeof value === 'number' ? [value] : String(value ?? '').split(/[\s,;]+/);
	return [...new Set(entries.filter((entry) => entry !== '').map(parseCampaignId))];
}

/** A date parameter (an ISO text, a Date, milliseconds), or undefined when left empty. */
export function parseInstant(value: unknown, what: string): number | undefined {
	if (value === '' || value === undefined || value === null) return undefined;
	const time = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(String(value));
	if (!Number.isFinite(time)) throw new InputError(`${what} ${JSON.stringify(value)} is not a date`, String(value));
	return time;
}

export type CampaignControl = 'pause' | 'restart' | 'terminate' | 'drop';

/**
 * Which states each control accepts. The guide states none of this; these are the safe
 * readings (see docs/dmc-api.md). A state the node cannot read ('unknown') is left to DMC.
 */
const ALLOWED: Record<CampaignControl, readonly CampaignStatus[]> = {
	pause: ['loading', 'sending', 'suspended', 'restarting'],
	restart: ['paused', 'pauseRequested'],
	terminate: ['loading', 'sending', 'suspended', 'pauseRequested', 'paused', 'restarting', 'quotaReached'],
	drop: ['editing', 'stopped', 'finished', 'failed'],
};

const ADVICE: Record<CampaignControl, string> = {
	pause: 'only a campaign that is loading or sending can be paused',
	restart: 'only a paused campaign can be resumed',
	terminate:
		'only an activated campaign that has not ended can be stopped (a campaign still in edition is deleted instead, an ended one needs nothing)',
	drop: 'a campaign is deleted only while in edition or once it has ended: stop it first',
};

/** Why the control cannot apply to a campaign in this state, or null when it may. */
export function refusedControl(control: CampaignControl, campaign: Campaign): string | null {
	if (campaign.status === 'unknown' || ALLOWED[control].includes(campaign.status)) return null;
	return `Campaign ${campaign.campaignId} is ${campaign.statusLabel ?? campaign.status} (${campaign.status}): ${ADVICE[control]}`;
}
