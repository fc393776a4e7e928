import type { INode } from 'n8n-workflow';

import { IMPORT_DONE, IMPORT_FAILED, type BroadcastClient } from './BroadcastClient';
import { DmcApiError, isOnceAMinuteRefusal, type DmcRecord } from './DmcClient';

/**
 * Builds one campaign, exactly once (§2.10.1): upload the file, create the broadcast,
 * import the file, wait for the import, activate.
 *
 * `createBroadcast` is not idempotent, so the campaign carries a name no other has (the
 * caller derives it) and a step whose answer is lost is never simply called again:
 * - a lost upload is uploaded again (a file alone sends nothing);
 * - a lost create is looked for by its name among the campaigns in Edition;
 * - a lost import is waited for on the campaign's contact count, never imported again
 *   (a second import would give every contact two messages);
 * - a lost activation is read back from the campaign's status, and activated again only
 *   if it is still in Edition.
 * When a step cannot be completed the error says what state the campaign is in.
 *
 * No step sleeps: every call waits only for the service's limiter and the build's pace of
 * one call a second, and SupervisionWS reads for the once-a-minute gate. Waiting for the
 * import is asking its status at that pace until it is over or `waitMs` has passed.
 */
export interface CampaignPlan {
	/** The unique name (see derivedName). */
	name: string;
	/** createBroadcast's `broadcast` fields besides the name. */
	broadcast: Record<string, unknown>;
	scenarioId: string;
	/** The customizable message besides its `customizableId`. */
	message: Record<string, unknown>;
	fileName: string;
	file: Uint8Array;
	contacts: number;
	activate: boolean;
	skipIfCreated: boolean;
	/** How long the import (or a lost step's look-up) may take. */
	waitMs: number;
}

export interface CampaignResult {
	broadcast: DmcRecord;
	/** Found already created (Skip If Already Created): nothing was done. */
	skipped: boolean;
}

const inEdition = (record: DmcRecord) => record.status === 'Edition';

export class CampaignBuilder {
	constructor(
		private readonly client: BroadcastClient,
		private readonly node: INode,
		private readonly now: () => number = Date.now,
	) {}

	async build(plan: CampaignPlan): Promise<CampaignResult> {
		const deadline = () => this.now() + plan.waitMs;
		if (plan.skipIfCreated) {
			const existing = await this.findByName(plan.name, true).catch((error: unknown) => {
				throw this.failure(
					error,
					`Could not check whether campaign "${plan.name}" already exists`,
					'Nothing was created: creating without this check could create it twice.',
				);
			});
			if (existing) return { broadcast: existing, skipped: true };
		}
		const [node] = await this.client.findCustomizableNodes(plan.scenarioId).catch((error: unknown) => {
			throw this.failure(error, `Could not read scenario ${plan.scenarioId}`, 'Nothing was created.');
		});
		if (!node)
			throw this.stateError(
				'NO_CUSTOMIZABLE_NODE',
				`Scenario ${plan.scenarioId} has no customizable message`,
				'Choose a scenario whose message can be set. Nothing was created.',
			);
		const fileSource = await this.upload(plan);
		const created = await this.create(plan, { customizableId: node.customizableId, ...plan.message }, deadline());
		const id = String(created.broadcastId);
		await this.importContacts(plan, id, fileSource, deadline());
		if (!plan.activate) return { broadcast: { ...created, status: created.status ?? 'Edition' }, skipped: false };
		return { broadcast: await this.activate(plan, id, deadline()), skipped: false };
	}

	/** A campaign of that name in Edition or, with `running`, any other listed (SupervisionWS). */
	private async findByName(name: string, running: boolean): Promise<DmcRecord | undefined> {
		const named = (list: DmcRecord[]) => list.find((record) => record.broadcastName === name);
		return named(await this.client.findEditingBroadcast()) ?? (running ? named(await this.client.findBroadcastStatus()) : undefined);
	}

	private async upload(plan: CampaignPlan): Promise<string> {
		try {
			return await this.client.uploadFile(plan.fileName, plan.file);
		} catch (error) {
			// A file alone sends nothing: one more try is safe.
			if (!(error instanceof DmcApiError) || error.outcome === 'refused')
				throw this.failure(error, 'DMC did not store the contact file', 'Nothing was created.');
			return await this.client.uploadFile(plan.fileName, plan.file).catch((again: unknown) => {
				throw this.failure(again, 'DMC did not store the contact file', 'Nothing was created.');
			});
		}
	}

	private async create(plan: CampaignPlan, message: Record<string, unknown>, until: number): Promise<DmcRecord> {
		try {
			return await this.client.createBroadcast({ broadcastName: plan.name, ...plan.broadcast }, [message]);
		} catch (error) {
			if (!(error instanceof DmcApiError) || error.outcome === 'refused')
				throw this.failure(error, `DMC did not create campaign "${plan.name}"`, 'Nothing was created.');
			// Not found is an answer, not a "not yet": DMC answered the look-up after the lost call.
			const found = await this.readAgain(async () => (await this.findByName(plan.name, false)) ?? null, until).catch(() => undefined);
			if (found) return found;
			throw this.stateError(
				error.errorCode,
				`DMC's answer to creating campaign "${plan.name}" was lost, and DMC lists no campaign of that name in Edition`,
				'No campaign was created as far as DMC shows; nothing was sent. If one appears later under that name in the extranet, it is in Edition and sends nothing until activated.',
			);
		}
	}

	private async importContacts(plan: CampaignPlan, id: string, fileSource: string, until: number): Promise<void> {
		const where = `Campaign "${plan.name}" (${id}) is in Edition and sends nothing`;
		let importId: string;
		try {
			importId = await this.client.importContactBroadcast(id, fileSource);
		} catch (error) {
			if (!(error instanceof DmcApiError) || error.outcome === 'refused') {
				throw await this.dropAfter(id, this.failure(error, `DMC did not import the contacts of campaign "${plan.name}"`, ''));
			}
			// The import may be running: importing again could give every contact two messages.
			const counted = await this.readAgain(async () => {
				const detail = await this.client.getBroadcastDetail(id);
				return Number(detail.totalContactNumber) >= plan.contacts ? detail : undefined;
			}, until).catch(() => undefined);
			if (counted) return;
			throw this.stateError(
				error.errorCode,
				`DMC's answer to importing the contacts of campaign "${plan.name}" was lost, and the contacts did not show within ${Math.round(plan.waitMs / 1000)} s`,
				`${where}, with an import that may still finish. Check its contacts in the extranet, then activate or delete it there; running the node again creates another campaign.`,
			);
		}
		for (;;) {
			const status = await this.readAgain(async () => await this.client.getImportStatus(importId), until).catch((error: unknown) => {
				throw this.failure(
					error,
					`Could not read the import of campaign "${plan.name}"`,
					`${where}; its import (${importId}) may still finish.`,
				);
			});
			if (status?.status === IMPORT_DONE) return;
			if (status?.status === IMPORT_FAILED) {
				throw await this.dropAfter(
					id,
					this.stateError(
						'IMPORT_FAILED',
						`DMC failed to import the contacts of campaign "${plan.name}": ${status.errDesc ?? 'no description given'}`,
						'',
					),
				);
			}
			if (this.now() >= until) {
				throw this.stateError(
					'IMPORT_TIMEOUT',
					`The import of campaign "${plan.name}" was not over after ${Math.round(plan.waitMs / 1000)} s (status ${status?.status ?? 'unknown'})`,
					`${where}; its import (${importId}) may still finish: activate it in the extranet once it has, or raise "Import Time-Out".`,
				);
			}
		}
	}

	private async activate(plan: CampaignPlan, id: string, until: number): Promise<DmcRecord> {
		const where = `Campaign "${plan.name}" (${id}) has its ${plan.contacts} contacts and is in Edition: it sends nothing until activated (in the extranet, or Resume)`;
		try {
			return await this.client.activateBroadcast(id);
		} catch (error) {
			if (!(error instanceof DmcApiError) || error.outcome === 'refused')
				throw this.failure(error, `DMC did not activate campaign "${plan.name}"`, where);
			const now = await this.readAgain(async () => await this.client.getBroadcast(id), until).catch(() => undefined);
			if (now && !inEdition(now)) return now;
			if (now)
				return await this.client.activateBroadcast(id).catch((again: unknown) => {
					throw this.failure(again, `DMC did not activate campaign "${plan.name}"`, where);
				});
			throw this.stateError(
				error.errorCode,
				`DMC's answer to activating campaign "${plan.name}" was lost and its status could not be read`,
				`Campaign ${id} is either in Edition (sending nothing) or active: check it in the extranet (or Get) before anything else.`,
			);
		}
	}

	/**
	 * A read asked again while its answer is lost or refused as too frequent, until `until`:
	 * reading twice changes nothing. `undefined` from `read` means "not yet".
	 */
	private async readAgain<T>(read: () => Promise<T | undefined>, until: number): Promise<T | undefined> {
		for (;;) {
			const answer = await read().then(
				(value) => ({ value }),
				(error: unknown) => ({ error }),
			);
			if ('value' in answer) {
				if (answer.value !== undefined || this.now() >= until) return answer.value;
				continue;
			}
			const { error } = answer;
			const passing = error instanceof DmcApiError && (error.outcome !== 'refused' || isOnceAMinuteRefusal(error));
			if (!passing || this.now() >= until) throw error;
		}
	}

	/** Deletes a campaign left empty by a failed import; the error then says whether it is gone. */
	private async dropAfter(id: string, error: DmcApiError): Promise<DmcApiError> {
		const dropped = await this.client.control('drop', id).then(
			() => true,
			() => false,
		);
		const state = dropped
			? `The empty campaign ${id} was deleted; nothing was sent.`
			: `The empty campaign ${id} stays in Edition and sends nothing: delete it in the extranet.`;
		return this.stateError(
			error.errorCode,
			error.message,
			`${error.description ? `${error.description} ` : ''}${state}`.trim(),
			error.outcome,
		);
	}

	private failure(error: unknown, message: string, state: string): DmcApiError {
		if (!(error instanceof DmcApiError)) throw error;
		return this.stateError(error.errorCode, `${message}: ${error.message}`, `${error.description ?? ''} ${state}`.trim(), error.outcome);
	}

	private stateError(code: string, message: string, description: string, outcome: DmcApiError['outcome'] = 'refused'): DmcApiError {
		return new DmcApiError(this.node, code, outcome, message, description);
	}
}
