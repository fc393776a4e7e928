import { NodeOperationError, sleep, type IHttpRequestOptions, type INode, type Logger } from 'n8n-workflow';
import { MAX_IDS_PER_REPORT_CALL, type DmcRecord } from '../domain/deliveryReports';
import { DmcApiError, transportFailure, UNKNOWN_OUTCOME_HINT, type DmcOutcome } from './dmcApiError';
import { asNumbers, isEnvelope, recordsOf } from './dmcAnswers';
import { limiterForService, type Release, type RollingWindowLimiter } from './rateLimiter';
import { gateForService, isSupervisionPath, type SupervisionGate } from './supervisionGate';

// The records' one declaration is the domain's, which reads them; callers of the client get it here too.
export type { DmcRecord };
export { DmcApiError, type DmcOutcome };

export { DEFAULT_BASE_URL } from './dmcHints';

/** Each field as JSON text, as DMC expects. */
function encodeFields(fields: Record<string, unknown>): Record<string, string> {
	const body: Record<string, string> = {};
	for (const [name, value] of Object.entries(fields)) body[name] = JSON.stringify(value);
	return body;
}

/**
 * The guide does not give the code or text of DMC's once-a-minute exception. A SupervisionWS
 * refusal is taken for it when its code or text speaks of frequency or of a minute (our
 * sandbox's `supervision_too_frequent`, "une minute"): then the call read nothing and can be
 * asked again. Any other refusal is the caller's error as before.
 */
export function isOnceAMinuteRefusal(error: unknown): error is DmcApiError {
	if (!(error instanceof DmcApiError) || error.outcome !== 'refused') return false;
	return /too_frequent|frequen|minute/i.test(`${error.errorCode} ${error.description ?? ''}`);
}

export const DEFAULT_TIMEOUT_MS = 30_000;
/** Reports asked per `getSingleCallCra` page. */
export const CRA_PAGE_SIZE = 500;

/** One message (an SMS, or a voice message) as `batchSingleCall` takes it. */
export interface DmcMessage {
	media: string;
	textMsg: string;
	to: string;
	from?: string;
	/** Validity in minutes. */
	timeout?: number;
	refExt?: string;
	/** The text-to-speech voice of a `Vocal` message. */
	ttsVoice?: string;
}

/** What `getSingleCallCra` filters on: send date window, reference, and a page. */
export interface SingleCallCraQuery {
	begin?: Date;
	end?: Date;
	refExt?: string;
	paging?: { first: number; max: number };
}

/** n8n's authenticated request helper, bound to the DMC credential. */
export type DmcRequest = (options: IHttpRequestOptions) => Promise<unknown>;

export interface DmcClientOptions {
	node: INode;
	request: DmcRequest;
	baseUrl: string;
	serviceId: string;
	maxCallsPerSecond?: number;
	timeoutMs?: number;
	/** Tells logins of one service apart (space, a fingerprint of the password): never the password itself. */
	loginKey?: string;
	/** Values never to repeat in an error, whatever DMC or a gateway echoes back. */
	secrets?: readonly string[];
	/** Pauses before trying again a call that never left; one retry per pause. */
	retryPausesMs?: readonly number[];
	wait?: (ms: number) => Promise<void>;
	/** "n8n Processes Sharing This Service": each process calls a SupervisionWS method once per that many minutes. */
	processes?: number;
	/** Where each SupervisionWS call and each once-a-minute refusal is told (n8n's log): no secret is ever in it. */
	logger?: Pick<Logger, 'info' | 'warn'>;
	/** How long a SupervisionWS call DMC refuses as too frequent is asked again; 3 gate intervals by default. */
	supervisionPatienceMs?: number;
}

interface FullResponse {
	body?: unknown;
	statusCode?: number;
	headers?: Record<string, unknown>;
}

const RETRY_PAUSES_MS = [250, 1000];

/** Removes trailing slashes, so `…/JsonService/` and `…/JsonService` name the same API. */
export function normalizeBaseUrl(baseUrl: string): string {
	return baseUrl.trim().replace(/\/+$/, '');
}

/**
 * The only place that talks to DMC. Every call is a POST with a form body (so the login,
 * which n8n adds as the `authenticate` field, never shows in a URL), passes through the
 * service's shared rate limiter, and ends as DMC's `response` value or a `DmcApiError`.
 */
export class DmcClient {
	private readonly baseUrl: string;
	/** The service's shared limiter: every call of this client goes through it. */
	readonly limiter: RollingWindowLimiter;
	/** The service's shared once-a-minute gate: every SupervisionWS call of this client waits its turn there. */
	readonly supervisionGate: SupervisionGate;
	/** Same key, same API and login: calls of two clients with one key may carry each other's messages. */
	readonly loginKey: string;

	constructor(private readonly options: DmcClientOptions) {
		this.baseUrl = normalizeBaseUrl(options.baseUrl);
		let host: string;
		try {
			const url = new URL(this.baseUrl);
			if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(url.protocol);
			host = url.host;
		} catch {
			throw new NodeOperationError(options.node, `The credential's API Base URL ${JSON.stringify(this.baseUrl)} is not an http(s) URL`);
		}
		this.limiter = limiterForService(host, options.serviceId, options.maxCallsPerSecond);
		this.supervisionGate = gateForService(host, options.serviceId, options.processes);
		this.loginKey = JSON.stringify([this.baseUrl, options.serviceId, options.loginKey ?? '']);
	}

	/**
	 * Calls `<Service>/<method>`; each field is sent as JSON text, as DMC expects. A
	 * SupervisionWS call first waits for the service's turn at its gate (one call a minute,
	 * §2.4). If DMC refuses it as too frequent anyway (another client of the service,
	 * the extranet), it only read nothing: it is asked again when the gate opens, for as long
	 * as the client's patience allows, and the refusal is the error once that runs out.
	 */
	async call(path: string, fields: Record<string, unknown> = {}, slot?: Release): Promise<unknown> {
		if (!isSupervisionPath(path)) return await this.send(path, encodeFields(fields), slot);
		return await this.callInTurn(path, () => fields);
	}

	/**
	 * A SupervisionWS call: waits for the service's turn at the gate, and only then asks
	 * `fieldsAtTurn` what to send, so that look-ups queued meanwhile join it.
	 */
	private async callInTurn(path: string, fieldsAtTurn: () => Record<string, unknown>): Promise<unknown> {
		const gate = this.supervisionGate;
		let body: Record<string, string> | undefined;
		let deadline = Infinity;
		let firstTurnAt = 0;
		for (;;) {
			const turn = await gate.acquire();
			if (body === undefined) {
				firstTurnAt = Date.now();
				deadline = firstTurnAt + (this.options.supervisionPatienceMs ?? 3 * gate.intervalMs());
				try {
					body = encodeFields(fieldsAtTurn());
				} finally {
					if (body === undefined) turn({ unused: true });
				}
			}
			this.options.logger?.info(`SFR DMC: ${path} at ${new Date().toISOString()} (one SupervisionWS call a minute per service)`);
			const answer = await this.send(path, body)
				.then(
					(response) => ({ response }),
					(error: unknown) => ({ error }),
				)
				.finally(() => turn());
			if ('response' in answer) return answer.response;
			if (!isOnceAMinuteRefusal(answer.error)) throw answer.error;
			gate.holdAfterRefusal();
			if (gate.opensAt() > deadline) {
				const waitedS = Math.round((Date.now() - firstTurnAt) / 1000);
				throw this.error(
					answer.error.errorCode,
					'refused',
					`DMC still refused ${path} as too frequent after ${waitedS} s of waiting for its once-a-minute rule`,
					`${answer.error.description ?? ''} Another client of this DMC service (another n8n, a script, the extranet) is probably reading reports too: set "n8n Processes Sharing This Service" to count it, or try again later.`.trim(),
				);
			}
			const retryInS = Math.ceil((gate.opensAt() - Date.now()) / 1000);
			this.options.logger?.warn(
				`SFR DMC: DMC refused ${path} as too frequent (another client of the service?); asking again in ${retryInS} s`,
			);
		}
	}

	/**
	 * One call through the limiter. A call that provably never left (refused connection,
	 * unknown host) is tried again after a pause; any other failure is final, since retrying
	 * a call DMC may have taken could send its messages twice. `slot`, when given, is a slot
	 * of this client's limiter already taken for the first attempt.
	 */
	private async send(path: string, body: Record<string, string>, slot?: Release): Promise<unknown> {
		const pauses = this.options.retryPausesMs ?? RETRY_PAUSES_MS;
		for (let attempt = 0; ; attempt++) {
			const release = attempt === 0 && slot ? slot : await this.limiter.acquire();
			const { response, failure } = await this.post(path, body);
			release();
			if (response !== undefined) return this.unwrap(path, response);
			const error = this.transportError(path, failure);
			if (error.outcome !== 'not-sent' || attempt >= pauses.length) throw error;
			await (this.options.wait ?? sleep)(pauses[attempt]);
		}
	}

	private async post(path: string, body: Record<string, string>): Promise<{ response?: FullResponse; failure?: unknown }> {
		try {
			const response = (await this.options.request({
				method: 'POST',
				url: `${this.baseUrl}/${path}`,
				headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
				body,
				encoding: 'text',
				json: false,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
			})) as FullResponse;
			return { response };
		} catch (failure) {
			return { failure };
		}
	}

	/** Sends up to 20 messages in one call (in `slot` if one is held); returns their ids in order. */
	async batchSingleCall(messages: readonly DmcMessage[], slot?: Release): Promise<string[]> {
		const path = 'MessagesUnitairesWS/batchSingleCall';
		const ids = await this.call(path, { messageUnitaires: messages }, slot);
		if (!Array.isArray(ids) || ids.length !== messages.length || ids.some((id) => id === null || id === undefined)) {
			throw new DmcApiError(
				this.options.node,
				'UNEXPECTED_RESPONSE',
				'unknown',
				`DMC answered ${path} without one id per message`,
				`Expected ${messages.length} ids, got ${this.redact(JSON.stringify(ids) ?? 'nothing')}. The messages may have been sent: check their status before sending again.`,
			);
		}
		return ids.map(String);
	}

	/** The sender ids (OADC) the service may use. */
	async findServiceOadc(): Promise<string[]> {
		const senders = await this.call('AdminWS/findServiceOadc');
		return Array.isArray(senders) ? senders.map(String) : [];
	}

	/**
	 * Delivery reports of messages, by id and by reference. The look-up waits for the
	 * service's once-a-minute turn together with every other one of this process, and they
	 * share calls of at most 100 ids and references (§2.4.8): callers asking more wait a
	 * turn per 100.
	 */
	async findCraByIds(contactIds: readonly string[], contactExtRefs: readonly string[]): Promise<DmcRecord[]> {
		const path = 'SupervisionWS/findCraByIds';
		const keys = { contactIds: [...contactIds], contactExtRefs: [...contactExtRefs] };
		return await this.supervisionGate.reportLookups.find(keys, MAX_IDS_PER_REPORT_CALL, async (keysAtTurn) =>
			recordsOf(
				await this.callInTurn(path, () => {
					const asked = keysAtTurn();
					return { contactIds: asNumbers(asked.contactIds), contactExtRefs: asked.contactExtRefs };
				}),
			),
		);
	}

	/** Stops messages not yet delivered; DMC answers how many (a delivered one cannot be taken back). */
	async stopSingleCall(messageIds: readonly string[]): Promise<number> {
		const path = 'MessagesUnitairesWS/stopSingleCall';
		const stopped = await this.call(path, { messageIds: asNumbers(messageIds) });
		const count = typeof stopped === 'string' && /^\d+$/.test(stopped) ? Number(stopped) : stopped;
		if (typeof count === 'number' && Number.isInteger(count) && count >= 0) return count;
		const hint = `Got ${this.redact(JSON.stringify(stopped) ?? 'nothing')}. Check the messages' status (Get Status) to see which were stopped.`;
		throw new DmcApiError(
			this.options.node,
			'UNEXPECTED_RESPONSE',
			'unknown',
			`DMC answered ${path} without a count of stopped messages`,
			hint,
		);
	}

	/**
	 * One page of `getSingleCallCra`: the reports of the unit messages sent in a window
	 * (both bounds optional), with the total DMC counts for the window when it says.
	 */
	async getSingleCallCra(query: SingleCallCraQuery = {}): Promise<{ list: DmcRecord[]; total: number | null }> {
		const fields: Record<string, unknown> = {};
		if (query.begin) fields.beginDate = query.begin.getTime();
		if (query.end) fields.endDate = query.end.getTime();
		if (query.refExt !== undefined) fields.refExt = query.refExt;
		if (query.paging) fields.paging = query.paging;
		const response = await this.call('MessagesUnitairesWS/getSingleCallCra', fields);
		const total = (response as { total?: unknown } | null)?.total;
		return { list: recordsOf(response), total: typeof total === 'number' && Number.isInteger(total) && total >= 0 ? total : null };
	}

	/**
	 * Every `getSingleCallCra` report of the messages sent since `begin`, page after page
	 * (`paging: { first, max }`, DMC's paging fields being undocumented; the next page starts
	 * after the entries received, so a server that caps pages below `pageSize` still works).
	 * Entries are keyed by messageId, so one seen twice (a page shifted by a new message)
	 * counts once. A server that ignores paging and answers the same page again ends the
	 * listing; if DMC's total says entries are still missing, that is an error, not a gap.
	 */
	async listSingleCallCra(begin: Date, pageSize = CRA_PAGE_SIZE): Promise<DmcRecord[]> {
		const path = 'MessagesUnitairesWS/getSingleCallCra';
		const byId = new Map<string, DmcRecord>();
		let received = 0;
		for (;;) {
			const { list, total } = await this.getSingleCallCra({ begin, paging: { first: received, max: pageSize } });
			received += list.length;
			let added = 0;
			for (const record of list) {
				const id = record.messageId === undefined || record.messageId === null ? '' : String(record.messageId);
				if (id !== '' && !byId.has(id)) {
					byId.set(id, record);
					added++;
				}
			}
			const complete = total === null ? list.length < pageSize : received >= total;
			if (complete) break;
			if (list.length === 0 || added === 0) {
				if (total === null) break;
				throw new DmcApiError(
					this.options.node,
					'INCOMPLETE_LISTING',
					'refused',
					`DMC listed ${byId.size} of the ${total} reports of ${path}`,
					'DMC answered an empty or repeated page before the end. An incomplete listing is an error, never a silent gap.',
				);
			}
		}
		return [...byId.values()];
	}

	/** Replies (or only STOPs) received between two instants. */
	async getResponsesSMS(stopOnly: boolean, begin: Date, end: Date): Promise<DmcRecord[]> {
		return recordsOf(await this.call('SupervisionWS/getResponsesSMS', { stopOnly, beginDate: begin.getTime(), endDate: end.getTime() }));
	}

	private unwrap(path: string, response: FullResponse): unknown {
		const status = response.statusCode ?? 200;
		const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? '');
		if (status >= 400) {
			return this.fail('HTTP_' + status, 'unknown', `DMC's gateway answered HTTP ${status} to ${path}`, UNKNOWN_OUTCOME_HINT, status);
		}
		let envelope: unknown;
		try {
			envelope = JSON.parse(text);
		} catch {
			envelope = undefined;
		}
		if (!isEnvelope(envelope)) {
			const contentType = String(response.headers?.['content-type'] ?? 'no content type');
			return this.fail(
				'INVALID_RESPONSE',
				'unknown',
				`DMC answered ${path} with something that is not a DMC JSON answer`,
				`Received ${text.length} bytes of ${contentType}. ${UNKNOWN_OUTCOME_HINT}`,
				status,
			);
		}
		if (envelope.success === true) return envelope.response;
		const errorCode = typeof envelope.errorCode === 'string' ? envelope.errorCode : 'UNKNOWN_ERROR';
		const detail = typeof envelope.errorDetail === 'string' ? this.redact(envelope.errorDetail) : 'no detail given';
		return this.fail(errorCode, 'refused', `DMC refused ${path}: ${errorCode}`, detail, status);
	}

	private transportError(path: string, failure: unknown): DmcApiError {
		const { code, outcome, message, description } = transportFailure(path, failure);
		return this.error(code, outcome, message, description);
	}

	private fail(errorCode: string, outcome: DmcOutcome, message: string, description: string, httpCode?: number): never {
		throw this.error(errorCode, outcome, message, description, httpCode);
	}

	private error(errorCode: string, outcome: DmcOutcome, message: string, description: string, httpCode?: number): DmcApiError {
		return new DmcApiError(this.options.node, errorCode, outcome, this.redact(message), this.redact(description), httpCode);
	}

	private redact(text: string): string {
		let safe = text;
		for (const secret of this.options.secrets ?? []) {
			if (secret.length < 3) continue;
			for (const form of new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])) {
				safe = safe.split(form).join('***');
			}
		}
		return safe;
	}
}
