/**
 * Types for the DMC sandbox (sandbox/index.js, plain CommonJS JavaScript).
 * See sandbox/README.md for behaviour.
 */

export type SmsMedia = 'SMS' | 'SMSLong' | 'SMSUnicode' | 'SMSUnicodeLong';
export type MessageStatus = 'RUNNING' | 'DONE' | 'FAILED';
export type RateMode = 'warn' | 'refuse';
export type LogLevel = 'info' | 'warn';
export type PushFormat = 'json' | 'xml';
export interface PushSetting {
	url: string | null;
	format: PushFormat;
}
export type FaultKind = 'html502' | 'successFalse' | 'garbage' | 'noAnswer' | 'reset' | 'missingIds' | 'importFailed';
/** findCraByIds' `callDetailCode`: `CRA_PART{3}` (the guide's example), `CRA_PART3`, or absent (a real 1.5.6 answer). */
export type CraPartsCode = 'braces' | 'plain' | 'absent';

/** Settings a running sandbox can change (Sandbox.configure, POST /_sandbox/config). */
export interface SandboxLiveSettings {
	/** A stored message shows in getSingleCallCra and findCraByIds only this long after it was stored. Default 0. */
	reportDelayMs?: number;
	/** Default braces. */
	craPartsCode?: CraPartsCode;
}

export interface SandboxOptions extends SandboxLiveSettings {
	/** TCP port on 127.0.0.1; 0 (default) = a free port. */
	port?: number;
	/** Account the `authenticate` parameter must match. */
	serviceId?: string;
	servicePassword?: string;
	spaceId?: string;
	/** Name returned by AdminWS/findSpaces. */
	spaceName?: string;
	/** Allowed sender ids (OADC), returned by AdminWS/findServiceOadc. Default ["SFR", "MAIRIE"]. */
	senders?: string[];
	/** Delay before each DMC answer, after the call was processed. Default 0. */
	latencyMs?: number;
	/** Calls allowed per rolling window per serviceId. Default 5. */
	rateLimit?: number;
	/** Rolling window length. Default 1000. */
	rateWindowMs?: number;
	/** refuse (default): answer success:false quota_exceeded; warn: log and serve, only for tests that need it. Both count violations. */
	rateMode?: RateMode;
	/** The guide's minute (§2.4): a second call to one SupervisionWS method within it is a supervision violation. Default 60000; tests that shorten it shorten the node's gate alike. */
	supervisionIntervalMs?: number;
	/** true (default): a supervision violation is refused with supervision_too_frequent. false: counted but served, only for tests that need it. */
	strictSupervision?: boolean;
	/** RUNNING -> DONE after this delay. Default 2000. */
	deliveryDelayMs?: number;
	/** RUNNING -> FAILED after this delay. Default 2000. */
	failureDelayMs?: number;
	/** A reply (magic numbers) arrives this long after delivery. Default 3000. */
	replyDelayMs?: number;
	/** First message id handed out. Default 100001. */
	firstMessageId?: number;
	/** Clock for message timestamps and lifecycle (ms). Default Date.now. */
	now?: () => number;
	/** Push CRA: POST each status change and reply here, like DMC. Default null (off). */
	pushUrl?: string | null;
	/** Body of each push: DMC's JSON (default) or the guide's XML. */
	pushFormat?: PushFormat;
	/** How often the sandbox looks for events to push. Default 200. */
	pushIntervalMs?: number;
	/** An import (importContactBroadcast) moves one status (0, 1, 2, then 3 or 5) every this many ms. Default 1000. */
	importStepMs?: number;
	/** An activated broadcast shows "Chargement en cours" this long before it sends. Default 1000. */
	broadcastLoadingMs?: number;
	/** Log sink. Default: warnings to console.warn, info dropped. */
	logger?: (level: LogLevel, message: string) => void;
}

export interface SandboxReplyInfo {
	text: string;
	/** ms timestamp */
	at: number;
	stop: boolean;
}

export interface SandboxMessage {
	id: number;
	serviceId: string;
	/** The `to` exactly as received. */
	to: string;
	/** E.164 form when the number could be read, else the raw `to`. */
	callAdress: string;
	from: string | null;
	text: string;
	media: SmsMedia | 'Vocal';
	/** The text-to-speech voice of a `Vocal` message (claire08s or laura8k), else null. */
	ttsVoice: string | null;
	/** SMS parts; null for a voice message. */
	parts: number | null;
	refExt: string | null;
	timeout: number | null;
	status: MessageStatus;
	/** CRA_SMS_SUBMITTED while RUNNING, then the final code. */
	resultCode: string;
	/** Which sandbox rule decided the outcome (human readable). */
	rule: string;
	receivedAt: number;
	statusChangedAt: number;
	/** Stopped by stopSingleCall (then FAILED with CRA_SMS_STOPPED). */
	stopped: boolean;
	/** The latest reply received so far (see Sandbox.reply), or null. */
	reply: SandboxReplyInfo | null;
}

export interface SandboxReply {
	messageId: number;
	/** E.164 number the reply came from. */
	from: string;
	text: string;
	at: number;
	stop: boolean;
}

export interface FaultSpec {
	kind: FaultKind;
	/** Number of DMC calls this applies to. Default 1. */
	count?: number;
	/** For successFalse. Default corruption_base. */
	errorCode?: string;
	/** successFalse's errorDetail; importFailed's errDesc. */
	errorDetail?: string;
	/**
	 * html502 / garbage / noAnswer / reset: process (and store) the call first, then lose the
	 * answer. Default false. missingIds always processes the call (then answers one id short).
	 */
	afterStore?: boolean;
	/** Only calls to this method ("batchSingleCall" or "MessagesUnitairesWS/batchSingleCall"). */
	method?: string;
	/** Only calls that send to this number, as written in the call (e.g. "+33612345678"). */
	to?: string;
}

export interface PendingFault {
	kind: FaultKind;
	remaining: number;
	afterStore: boolean;
	errorCode: string;
	errorDetail: string;
	method: string | null;
	to: string | null;
}

export interface SandboxStats {
	/** DMC API calls received (control API and inbox not counted). */
	calls: number;
	callsByMethod: Record<string, number>;
	/** Calls answered with success:true, by method (a call refused or given a fault is not among them). */
	answeredByMethod: Record<string, number>;
	/** Answers with success:false (faults excluded). */
	failures: number;
	authFailures: number;
	/** Calls refused by the rate limiter (refuse mode) or as too frequent (strictSupervision). */
	refused: number;
	/** Of those, SupervisionWS calls refused as too frequent. */
	refusedTooFrequent: number;
	faultsApplied: number;
	/** Calls that arrived when >= rateLimit calls of the same service arrived in the preceding window. Exact. */
	violations: number;
	/** Most calls of one service seen in any rolling window. */
	peakCallsInWindow: number;
	rateByService: Record<string, { calls: number; violations: number }>;
	rateLimit: number;
	rateWindowMs: number;
	rateMode: RateMode;
	/** SupervisionWS calls received. */
	supervisionCalls: number;
	/** SupervisionWS calls that arrived within supervisionIntervalMs of the previous call to the same method and service. Exact. */
	supervisionViolations: number;
	/** When the last SupervisionWS call arrived (ms since the epoch), or null: who must space report reads across processes waits from here. */
	lastSupervisionCallAt: number | null;
	supervisionIntervalMs: number;
	strictSupervision: boolean;
	/** Messages currently stored. */
	messages: number;
	/** Broadcasts (campaigns) currently stored. */
	broadcasts: number;
	/** Files stored by the upload service. */
	uploadedFiles: number;
	pendingFaults: number;
	/** Push CRA POSTs: answered (any HTTP status), failed (no answer), last HTTP status. */
	pushes: { sent: number; failed: number; lastStatus: number | null };
}

export interface SandboxPublicConfig {
	readonly serviceId: string;
	readonly spaceId: string;
	readonly senders: readonly string[];
	readonly latencyMs: number;
	readonly rateLimit: number;
	readonly rateWindowMs: number;
	readonly rateMode: RateMode;
	readonly supervisionIntervalMs: number;
	readonly strictSupervision: boolean;
	readonly deliveryDelayMs: number;
	readonly failureDelayMs: number;
	readonly replyDelayMs: number;
	readonly reportDelayMs: number;
	readonly craPartsCode: CraPartsCode;
	readonly importStepMs: number;
	readonly broadcastLoadingMs: number;
}

/** One contact of a broadcast, as it is now. */
export interface SandboxBroadcastContact {
	contactId: number;
	/** E.164, as the sandbox read the contact's number. */
	to: string;
	/** The number as the file or the call gave it. */
	phoneNumber1: string;
	firstName: string | null;
	lastName: string | null;
	externalReference: string | null;
	info1: string | null;
	info2: string | null;
	info3: string | null;
	info4: string | null;
	status: MessageStatus;
	/** null until the contact is sent. */
	resultCode: string | null;
	statusLastChange: number;
	/** When it was sent, or null. */
	callDate: number | null;
	parts: number | null;
	reply: string | null;
}

/** One broadcast (campaign), as it is now. */
export interface SandboxBroadcast {
	id: number;
	serviceId: string;
	name: string;
	scenarioId: number;
	callPlanningId: number;
	startDate: number;
	stopDate: number;
	text: string;
	media: SmsMedia | 'Vocal';
	from: string | null;
	/** The guide's French label: Edition, Chargement en cours, Appel/Envoi en cours, Appels suspendus, Pause, Arrêtée, Terminée. */
	status: string;
	statusCode: string;
	contacts: SandboxBroadcastContact[];
}

export interface SandboxUploadedFile {
	/** The name the upload answered (the fileSource of importContactBroadcast). */
	name: string;
	originalName: string;
	content: Buffer;
	uploadedAt: number;
}

/** What settle() makes of a message: its final status, from `at` on. */
export interface SettleOutcome {
	status: 'DONE' | 'FAILED';
	/** Default CRA_SMS_RECEIVED for DONE, CRA_SMS_REJECTED for FAILED. */
	resultCode?: string;
	/** When the status changes (ms); default now. A later instant keeps the message RUNNING until then. */
	at?: number;
}

export interface Sandbox {
	/** http://127.0.0.1:<port> — the inbox is at `${url}/`. */
	readonly url: string;
	/** `${url}/DmcWS/1.5.8/JsonService` */
	readonly baseUrl: string;
	readonly port: number;
	readonly config: SandboxPublicConfig;
	close(): Promise<void>;
	messages(): SandboxMessage[];
	/** Every broadcast (campaign), with its contacts. */
	broadcasts(): SandboxBroadcast[];
	/** Every file the upload service stored. */
	uploadedFiles(): SandboxUploadedFile[];
	replies(): SandboxReply[];
	/**
	 * Ends a message now (or at `at`): its report becomes `status` with `resultCode`, its
	 * statusLastChange `at`. Works on any message, also one already final. Returns its new state.
	 * Throws on an unknown id or a bad outcome.
	 */
	settle(messageId: number | string, outcome: SettleOutcome): SandboxMessage;
	/**
	 * The message's recipient replies `text`, received now (or at `at`). One starting with
	 * STOP is a STOP request. A message may get several replies. Throws on an unknown id.
	 */
	reply(messageId: number | string, text: string, options?: { at?: number }): SandboxReply;
	/**
	 * Forget messages, replies, stats, rate windows and pending faults (ids keep increasing);
	 * live settings go back to their start values.
	 */
	reset(): void;
	/** Changes live settings; returns the new public config. Throws on an unknown or invalid setting. */
	configure(settings: SandboxLiveSettings): SandboxPublicConfig;
	/** Queue faults for the next DMC calls. Throws on an invalid spec. */
	injectFaults(spec: FaultSpec | FaultSpec[]): void;
	pendingFaults(): PendingFault[];
	clearFaults(): void;
	stats(): SandboxStats;
	pushSetting(): PushSetting;
	/** Sets the push URL and/or format; a new URL gets only the events from now on. Throws on a bad setting. */
	setPush(setting: { url?: string | null; format?: PushFormat }): PushSetting;
	/** Pushes the events visible now and waits until every POST queued so far is answered. */
	flushPushes(): Promise<void>;
}

export function startSandbox(options?: SandboxOptions): Promise<Sandbox>;

/** Options from DMC_SANDBOX_* variables (only those set). Throws on invalid values. */
export function configFromEnv(env: Record<string, string | undefined>): SandboxOptions;

export interface SmsPartsCount {
	encoding: 'GSM' | 'UCS-2';
	units: number;
	parts: number;
	/** false when a character cannot be sent with a GSM media. */
	encodable: boolean;
	unencodable: string[];
}

export function countSmsParts(text: string, media: SmsMedia): SmsPartsCount;

export class RollingWindow {
	constructor(options: { limit: number; windowMs: number });
	readonly limit: number;
	readonly windowMs: number;
	record(key: string, t: number): { violation: boolean; inWindow: number };
	summary(): {
		calls: number;
		violations: number;
		peak: number;
		byKey: Record<string, { calls: number; violations: number }>;
	};
	reset(): void;
}

export interface MagicNumber {
	/** null: stays RUNNING (a phone switched off). */
	status: 'DONE' | 'FAILED' | null;
	resultCode: string | null;
	reply?: string;
	label: string;
}

export const MAGIC_NUMBERS: Readonly<Record<string, MagicNumber>>;
export const FAULT_KINDS: readonly FaultKind[];
export const DEFAULTS: Readonly<Required<Omit<SandboxOptions, 'now' | 'logger'>>>;
