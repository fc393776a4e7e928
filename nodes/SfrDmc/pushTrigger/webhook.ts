import { NodeOperationError, type IDataObject, type IWebhookFunctions, type IWebhookResponseData } from 'n8n-workflow';

import { parseStatuses } from '../domain/triggerEvents';
import { pushEventOf, wantedPushEvent, type PushEvent, type PushEventChoice } from '../domain/pushEvents';
import { PushBodyError, type PushReport } from '../domain/pushReports';
import { readSeen, rememberFresh, type SeenEvents } from '../domain/pushSeen';
import { isAllowedAddress, parseAllowList } from '../domain/sourceAddresses';
import { PushTooLargeError, readPushRequest } from './requestBody';

/** The trigger's clock: n8n's in production, a fake one in tests. */
export type PushClock = () => number;

const DEFAULT_MAX_BODY_KB = 512;

/**
 * Events emitted in this process, by workflow and node, next to the copy in static data.
 * n8n hands each request its own copy of the static data, read before and saved after the
 * call: two copies of one push arriving together would both miss the other in it.
 */
const seenInProcess = new Map<string, SeenEvents>();

class PushRefusal extends Error {
	constructor(
		readonly httpStatus: number,
		message: string,
	) {
		super(message);
		this.name = 'PushRefusal';
	}
}

interface PushOptions {
	allowOtherSpaces: boolean;
	allowedIps: string;
	includeStops: boolean;
	maxBodyKb: number;
}

function readOptions(context: IWebhookFunctions): PushOptions {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const maxBodyKb = options.maxBodyKb === undefined ? DEFAULT_MAX_BODY_KB : Number(options.maxBodyKb);
	return {
		allowOtherSpaces: options.allowOtherSpaces === true,
		allowedIps: typeof options.allowedIps === 'string' ? options.allowedIps : '',
		includeStops: options.includeStops === true,
		maxBodyKb: Number.isFinite(maxBodyKb) && maxBodyKb > 0 ? maxBodyKb : DEFAULT_MAX_BODY_KB,
	};
}

function checkSource(context: IWebhookFunctions, allowedIps: string): void {
	const { allowed, invalid } = parseAllowList(allowedIps);
	// A mistyped list must not open the door: refuse everything until it is fixed.
	if (invalid.length > 0) {
		throw new PushRefusal(
			403,
			`Push refused: the node's Allowed Source IPs holds "${invalid[0]}", not an IP address or an IPv4 range such as 192.0.2.0/24`,
		);
	}
	const request = context.getRequestObject();
	if (!isAllowedAddress(allowed, request.ip ?? request.socket?.remoteAddress))
		throw new PushRefusal(403, 'Push refused: source address not allowed');
}

async function checkAccount(context: IWebhookFunctions, report: PushReport, allowOtherSpaces: boolean): Promise<void> {
	const credentials = await context.getCredentials('sfrDmcApi');
	if (report.username === null) throw new PushRefusal(403, 'Push refused: it names no username (DMC service)');
	if (report.username !== String(credentials.serviceId))
		throw new PushRefusal(403, "Push refused: it is for another DMC service than the credential's");
	if (allowOtherSpaces) return;
	const foreign = report.entries.findIndex((entry) => entry.spaceId !== String(credentials.spaceId));
	if (foreign >= 0) {
		throw new PushRefusal(
			403,
			`Push refused: entry ${foreign + 1} is for another space than the credential's (see the Accept Other Spaces option)`,
		);
	}
}

/**
 * The events not emitted before, remembered from now on; test pushes are never deduplicated.
 * Synchronous from reading the memory to writing it, so that no other request runs between.
 */
function freshEvents(context: IWebhookFunctions, events: PushEvent[], now: number): PushEvent[] {
	if (context.getMode() === 'manual') return events;
	const staticData = context.getWorkflowStaticData('node');
	const processKey = JSON.stringify([context.getWorkflow().id ?? '', context.getNode().id]);
	const seen = { ...readSeen(staticData.seenPushEvents), ...seenInProcess.get(processKey) };
	const { fresh, next } = rememberFresh(
		seen,
		events.map((event) => event.key),
		now,
	);
	staticData.seenPushEvents = next;
	seenInProcess.set(processKey, next);
	return events.filter((event) => fresh.delete(event.key));
}

async function acceptPush(context: IWebhookFunctions, clock: PushClock): Promise<IWebhookResponseData> {
	const options = readOptions(context);
	checkSource(context, options.allowedIps);
	const request = context.getRequestObject();
	const report = readPushRequest(
		{ rawBody: request.rawBody, contentType: request.headers?.['content-type'], parsed: () => context.getBodyData() },
		options.maxBodyKb,
	);
	await checkAccount(context, report, options.allowOtherSpaces);
	const events = report.entries.map((entry, index) => pushEventOf(entry, `${entry.medium} entry ${index + 1}`));
	const filter = {
		choice: context.getNodeParameter('event') as PushEventChoice,
		statuses: parseStatuses(context.getNodeParameter('statuses', [])),
		includeStops: options.includeStops,
	};
	const started = freshEvents(
		context,
		events.filter((event) => wantedPushEvent(event, filter)),
		clock(),
	);
	answer(context, 200, { received: events.length, started: started.length });
	if (started.length === 0) return { noWebhookResponse: true };
	return { noWebhookResponse: true, workflowData: [started.map((event) => ({ json: event.json as IDataObject }))] };
}

/**
 * The node writes every answer itself: left to n8n, an answer that starts an execution
 * would be the webhook's default response data instead of the node's.
 */
function answer(context: IWebhookFunctions, status: number, body: IDataObject): void {
	context.getResponseObject().status(status).json(body);
}

function refusalOf(error: unknown): PushRefusal | undefined {
	if (error instanceof PushRefusal) return error;
	if (error instanceof PushTooLargeError) return new PushRefusal(413, `Push refused: ${error.message}`);
	if (error instanceof PushBodyError) return new PushRefusal(400, `Unreadable push: ${error.message}`);
	return undefined;
}

/**
 * Answers a DMC push: 200 with the number of events received and started, as JSON, before
 * the execution runs. A push
 * that is refused gets 400, 403 or 413 with a message that never quotes the body, is
 * logged the same way, and starts no execution.
 */
export function createPushWebhook(clock: PushClock) {
	return async function webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		try {
			return await acceptPush(this, clock);
		} catch (error) {
			const refusal = refusalOf(error);
			if (refusal === undefined) throw new NodeOperationError(this.getNode(), error as Error);
			this.logger.warn(`SFR DMC Push Trigger: ${refusal.message}`, { status: refusal.httpStatus });
			answer(this, refusal.httpStatus, { error: refusal.message });
			return { noWebhookResponse: true };
		}
	};
}
