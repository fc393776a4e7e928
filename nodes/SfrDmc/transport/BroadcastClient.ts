import type { INode } from 'n8n-workflow';

import { asNumbers, recordsOf } from './dmcAnswers';
import { DmcApiError, type DmcClient, type DmcRecord } from './DmcClient';
import { RollingWindowLimiter } from './rateLimiter';
import type { UploadService } from './uploadService';

/** The guide's bulk rule (§1.1.9.3): while building a broadcast, at most one call a second. */
export const CAMPAIGN_CALLS_PER_SECOND = 1;
/** addContactToBroadcast takes at most this many contacts a call (§2.3.18). */
export const MAX_CONTACTS_PER_ADD = 100;
/** findLastModifiedCra answers at most this many reports a call (§2.4.4). */
export const MAX_REPORTS_PER_PAGE = 50;

/** getImportStatus' `status` (§2.3.8). */
export const IMPORT_DONE = 3;
export const IMPORT_FAILED = 5;

export interface ImportStatus {
	status: number;
	nbImported: number | null;
	errDesc: string | null;
}

/**
 * One bulk pace per DMC service in this process, keyed by the service's shared limiter (one
 * per platform host and service id): every campaign of the service shares it, whatever login
 * or space it uses, since the guide's rule is about the service's calls.
 */
const paces = new WeakMap<RollingWindowLimiter, RollingWindowLimiter>();

/** The pace's window; undefined is the limiters' second. */
let paceWindowMs: number | undefined;

/**
 * For the suites that build many campaigns against the sandbox: the build's second becomes
 * `windowMs`, for paces created from now on. The wire test keeps the real second.
 */
export function scaleCampaignPaceForTests(windowMs: number): void {
	if (!Number.isFinite(windowMs) || windowMs <= 0) throw new RangeError(`A pace must be a positive duration, not ${windowMs}`);
	paceWindowMs = windowMs;
}

function paceFor(serviceLimiter: RollingWindowLimiter): RollingWindowLimiter {
	let pace = paces.get(serviceLimiter);
	if (!pace) paces.set(serviceLimiter, (pace = new RollingWindowLimiter(CAMPAIGN_CALLS_PER_SECOND, paceWindowMs)));
	return pace;
}

/**
 * BroadcastWS, PlanningWS, the upload service and the campaign side of SupervisionWS, over
 * the one DmcClient: every call goes through the service's shared limiter, and every
 * SupervisionWS call waits its turn at the once-a-minute gate inside `DmcClient.call`.
 * BroadcastWS, PlanningWS and upload calls also keep the bulk pace of one a second.
 */
export class BroadcastClient {
	private readonly pace: RollingWindowLimiter;

	constructor(
		readonly dmc: DmcClient,
		private readonly uploads: UploadService,
		private readonly node: INode,
	) {
		this.pace = paceFor(dmc.limiter);
	}

	private async paced<T>(call: () => Promise<T>): Promise<T> {
		const release = await this.pace.acquire();
		try {
			return await call();
		} finally {
			release();
		}
	}

	private async broadcastCall(path: string, fields: Record<string, unknown> = {}): Promise<unknown> {
		return await this.paced(async () => await this.dmc.call(path, fields));
	}

	async findScenarii(namePattern?: string): Promise<DmcRecord[]> {
		return recordsOf(await this.broadcastCall('BroadcastWS/findScenarii', namePattern ? { namePattern } : {}));
	}

	async findCustomizableNodes(scenarioId: string): Promise<DmcRecord[]> {
		return recordsOf(await this.broadcastCall('BroadcastWS/findCustomizableNodes', { scenarioId: asNumbers([scenarioId])[0] }));
	}

	async findPlanning(): Promise<DmcRecord[]> {
		return recordsOf(await this.broadcastCall('PlanningWS/findPlanning'));
	}

	/** Creates a broadcast in Edition; answers it, with its `broadcastId`. */
	async createBroadcast(broadcast: Record<string, unknown>, customizableMessage: Array<Record<string, unknown>>): Promise<DmcRecord> {
		const path = 'BroadcastWS/createBroadcast';
		return this.withBroadcastId(path, await this.broadcastCall(path, { broadcast, customizableMessage }));
	}

	async findEditingBroadcast(): Promise<DmcRecord[]> {
		return recordsOf(await this.broadcastCall('BroadcastWS/findEditingBroadcast'));
	}

	async getBroadcast(broadcastId: string): Promise<DmcRecord> {
		const path = 'BroadcastWS/getBroadcast';
		return this.withBroadcastId(path, await this.broadcastCall(path, { broadcastId: idOf(broadcastId) }));
	}

	async uploadFile(fileName: string, content: Uint8Array): Promise<string> {
		return await this.paced(async () => await this.uploads.upload(fileName, content));
	}

	/** Imports an uploaded file into a broadcast; answers the import id. */
	async importContactBroadcast(broadcastId: string, fileSource: string): Promise<string> {
		const path = 'BroadcastWS/importContactBroadcast';
		const id = await this.broadcastCall(path, { broadcastId: idOf(broadcastId), fileSource });
		if (typeof id !== 'number' && !(typeof id === 'string' && /^\d+$/.test(id))) throw this.unexpected(path, id, 'an import id');
		return String(id);
	}

	async getImportStatus(importId: string): Promise<ImportStatus> {
		const path = 'BroadcastWS/getImportStatus';
		const answer = (await this.broadcastCall(path, { idImport: idOf(importId) })) as Record<string, unknown> | null;
		const status = Number(answer?.status);
		if (!Number.isInteger(status)) throw this.unexpected(path, answer, 'an import status');
		const imported = Number(answer?.nbImported);
		return {
			status,
			nbImported: Number.isInteger(imported) ? imported : null,
			errDesc: typeof answer?.errDesc === 'string' ? answer.errDesc : null,
		};
	}

	/** Adds up to 100 contacts; answers one `{contactId, saved}` per contact. */
	async addContactToBroadcast(broadcastId: string, contacts: Array<Record<string, string>>): Promise<DmcRecord[]> {
		if (contacts.length > MAX_CONTACTS_PER_ADD)
			throw new RangeError(`At most ${MAX_CONTACTS_PER_ADD} contacts a call, not ${contacts.length}`);
		return recordsOf(await this.broadcastCall('BroadcastWS/addContactToBroadcast', { broadcastId: idOf(broadcastId), contact: contacts }));
	}

	async activateBroadcast(broadcastId: string): Promise<DmcRecord> {
		const path = 'BroadcastWS/activateBroadcast';
		return this.withBroadcastId(path, await this.broadcastCall(path, { broadcastId: idOf(broadcastId) }));
	}

	/** pause, restart, terminate or drop (§2.3.13): `broadcastId` goes as a list. */
	async control(action: 'pause' | 'restart' | 'terminate' | 'drop', broadcastId: string): Promise<void> {
		await this.broadcastCall(`BroadcastWS/${action}Broadcast`, { broadcastId: [String(idOf(broadcastId))] });
	}

	/** updateBroadcast: whether DMC says it changed the broadcast. */
	async updateBroadcast(broadcastId: string, valuesToChange: Record<string, unknown>): Promise<boolean> {
		const path = 'BroadcastWS/updateBroadcast';
		const changed = await this.broadcastCall(path, { broadcastId: idOf(broadcastId), valuesToChange });
		if (changed === true || changed === 'true') return true;
		if (changed === false || changed === 'false') return false;
		throw this.unexpected(path, changed, 'true or false');
	}

	/** SupervisionWS: the broadcast with its status code and contact counts. */
	async getBroadcastDetail(broadcastId: string): Promise<DmcRecord> {
		const path = 'SupervisionWS/getBroadcastDetail';
		return this.withBroadcastId(path, await this.dmc.call(path, { broadcastId: idOf(broadcastId) }));
	}

	/** SupervisionWS: every broadcast not in Edition. */
	async findBroadcastStatus(): Promise<DmcRecord[]> {
		return recordsOf(await this.dmc.call('SupervisionWS/findBroadcastStatus'));
	}

	/** SupervisionWS: every report of a broadcast in one call, and the total DMC says it has. */
	async findBroadcastCra(broadcastId: string): Promise<{ reports: DmcRecord[]; total: number | null }> {
		const answer = await this.dmc.call('SupervisionWS/findBroadcastCra', { broadcastId: idOf(broadcastId) });
		const total = (answer as { total?: unknown } | null)?.total;
		return { reports: recordsOf(answer), total: typeof total === 'number' && Number.isInteger(total) && total >= 0 ? total : null };
	}

	/** SupervisionWS: up to 50 reports changed after (`since`, `idSince`), oldest change first. */
	async findLastModifiedCra(broadcastId: string, since: number, idSince?: string): Promise<DmcRecord[]> {
		const fields: Record<string, unknown> = { broadcastId: idOf(broadcastId), dSince: since, taille: MAX_REPORTS_PER_PAGE };
		if (idSince !== undefined) fields.idSince = idOf(idSince);
		return recordsOf(await this.dmc.call('SupervisionWS/findLastModifiedCra', fields));
	}

	/** SupervisionWS: contacts per result, `[{label, codeResult, nb}]`. */
	async findCraNumber(broadcastId: string): Promise<DmcRecord[]> {
		return recordsOf(await this.dmc.call('SupervisionWS/findCraNumber', { broadcastId: idOf(broadcastId) }));
	}

	private withBroadcastId(path: string, answer: unknown): DmcRecord {
		const record = answer as DmcRecord | null;
		const id = record?.broadcastId;
		if (typeof record !== 'object' || record === null || (typeof id !== 'number' && typeof id !== 'string')) {
			throw this.unexpected(path, answer, 'a broadcast with its broadcastId');
		}
		return record;
	}

	private unexpected(path: string, answer: unknown, expected: string): DmcApiError {
		const got = JSON.stringify(answer) ?? 'nothing';
		return new DmcApiError(
			this.node,
			'UNEXPECTED_RESPONSE',
			'unknown',
			`DMC answered ${path} without ${expected}`,
			`Got ${got.length > 200 ? `${got.slice(0, 200)}…` : got}.`,
		);
	}
}

/** A broadcast or import id as DMC takes it: a number when it is digits. */
function idOf(id: string): string | number {
	return asNumbers([id])[0];
}
