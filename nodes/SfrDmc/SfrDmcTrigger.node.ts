import {
	NodeConnectionTypes,
	NodeOperationError,
	sleep,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { chunkReportQueries, toDeliveryReport, type DeliveryReport } from './domain/deliveryReports';
import { advanceCursor, decideQuery, queryFrom, readCursor, startCursor, type CursorEvent, type PollCursor } from './domain/pollCursor';
import {
	finalReportEvents,
	listedMessageId,
	matchesResultCodes,
	parseResultCodes,
	parseStatuses,
	replyEvents,
	reportFromListing,
	type TriggerEvent,
} from './domain/triggerEvents';
import { connectDmc } from './transport/connectDmc';
import type { DmcClient, DmcRecord } from './transport/DmcClient';

/** The trigger's sense of time: n8n's clock in production, a fake one in tests. */
export interface TriggerClock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

const systemClock: TriggerClock = {
	now: () => Date.now(),
	sleep: async (ms) => await sleep(ms),
};

const HOUR_MS = 60 * 60 * 1000;
/** How far back "Fetch Test Event" looks for a reply or a STOP. */
const MANUAL_REPLY_LOOKBACK_MS = 7 * 24 * HOUR_MS;
/** DMC's default validity (2880 minutes) and two hours for the last reports to come in. */
const DEFAULT_WINDOW_HOURS = 50;

const showForReports = { show: { event: ['deliveryStatusChanged'] } };

interface PollStep {
	items: INodeExecutionData[];
	next: PollCursor;
}

/**
 * Polls SFR DMC for replies, STOP requests and final delivery reports.
 *
 * Calls per poll (each through the credential's shared 5-calls-a-second limiter):
 * - Reply Received / STOP Received: one `getResponsesSMS` (the window since the cursor).
 * - Delivery Status Changed: one `getSingleCallCra` listing of the messages sent in the
 *   window (one page per 500 messages), then, only when some reports became final, one
 *   `findCraByIds` per 100 of them. The listing has DMC's status but only a localised text;
 *   the result code (the Result Codes filter, the `resultCode` output) and the parts exist
 *   only in findCraByIds. Looking up just the messages that changed, right after the
 *   listing, keeps every poll to one listing of the traffic: the heavy query SFR's
 *   once-a-minute rule is about. (Deferring the lookups to the next poll would make each
 *   poll a single CRA call, at the price of every report arriving a minute late, and a
 *   burst of changes several minutes late; the lookups are small, targeted queries.)
 * - A poll less than a minute after the last successful one queries nothing (see
 *   `decideQuery`), whatever n8n's poll times say: n8n refuses sub-minute poll times, but
 *   several poll times, the poll at activation and restarts can still come close together.
 */
export class SfrDmcTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SFR DMC Trigger',
		name: 'sfrDmcTrigger',
		icon: { light: 'file:sfrDmc.svg', dark: 'file:sfrDmc.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["event"] }}',
		description: 'Starts a workflow when an SMS sent through SFR Business DMC gets a reply, a STOP or its final delivery report',
		defaults: { name: 'SFR DMC Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'sfrDmcApi', required: true }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				default: 'replyReceived',
				options: [
					{
						name: 'Delivery Status Changed',
						value: 'deliveryStatusChanged',
						description: 'A message was delivered (DONE) or failed (FAILED)',
					},
					{
						name: 'Reply Received',
						value: 'replyReceived',
						description: 'A recipient answered a message (STOP requests excluded unless asked)',
					},
					{
						name: 'STOP Received',
						value: 'stopReceived',
						description: 'A recipient asked to receive no more messages (opt-out)',
					},
				],
			},
			{
				displayName:
					'SFR allows delivery reports to be queried at most once a minute: this trigger never queries DMC more often, whatever the poll times say',
				name: 'oneMinuteNotice',
				type: 'notice',
				default: '',
				displayOptions: showForReports,
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				default: ['DONE', 'FAILED'],
				description: 'Which final statuses start the workflow',
				options: [
					{ name: 'Delivered (DONE)', value: 'DONE' },
					{ name: 'Failed (FAILED)', value: 'FAILED' },
				],
				displayOptions: showForReports,
			},
			{
				displayName: 'Result Codes',
				name: 'resultCodes',
				type: 'string',
				default: '',
				placeholder: 'CRA_SMS_BLACKLIST, CRA_SMS_SAASNOCREDIT',
				description:
					"Only reports with one of these DMC result codes, separated by commas (the CRA_SMS_ prefix may be left out). Empty: any code.",
				displayOptions: showForReports,
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Include STOP Replies',
						name: 'includeStops',
						type: 'boolean',
						default: false,
						description: 'Whether STOP requests also count as replies',
						displayOptions: { show: { '/event': ['replyReceived'] } },
					},
					{
						displayName: 'Messages Sent Within (Hours)',
						name: 'windowHours',
						type: 'number',
						typeOptions: { minValue: 1, numberPrecision: 0 },
						default: DEFAULT_WINDOW_HOURS,
						description:
							'How far back to watch sent messages for their final report. Keep it above the messages\' validity (DMC\'s default is 48 hours).',
						displayOptions: { show: { '/event': ['deliveryStatusChanged'] } },
					},
				],
			},
		],
	};

	poll: (this: IPollFunctions) => Promise<INodeExecutionData[][] | null>;

	/** n8n builds the node without arguments; tests pass a fake clock. */
	constructor(clock: TriggerClock = systemClock) {
		this.poll = createPoll(clock);
	}
}

/**
 * The polls under way in this process, by workflow and node. A poll that is slow (DMC's
 * calls time out after 30 s each) could still run when the next one starts; both would read
 * the same cursor and emit the same events. The later one stands down instead.
 */
const pollsInFlight = new Set<string>();

function createPoll(clock: TriggerClock) {
	return async function poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = this.getNodeParameter('event') as TriggerEvent;
		if (this.getMode() === 'manual') return await fetchTestEvent(this, event, clock.now());

		const key = JSON.stringify([this.getWorkflow().id ?? '', this.getNode().id]);
		if (pollsInFlight.has(key)) return null;
		pollsInFlight.add(key);
		try {
			return await pollOnce(this, event, clock);
		} finally {
			pollsInFlight.delete(key);
		}
	};
}

async function pollOnce(context: IPollFunctions, event: TriggerEvent, clock: TriggerClock): Promise<INodeExecutionData[][] | null> {
	const staticData = context.getWorkflowStaticData('node');
	const stored = readCursor(staticData.cursor, event);
	const decision = decideQuery(stored?.lastQueryAt, clock.now());
	if (decision.kind === 'skip') return null;
	if (decision.kind === 'wait') await clock.sleep(decision.ms);

	const now = clock.now();
	// First poll (or another event than the cursor's): remember what is already there,
	// emit nothing, so the workflow starts from now.
	const first = stored === undefined;
	const cursor = stored ?? startCursor(event, now);
	const client = await connectDmc(context);
	const step =
		event === 'deliveryStatusChanged'
			? await pollReports(context, client, cursor, now, first)
			: await pollReplies(context, client, cursor, now, event);

	// Every DMC call of this poll succeeded: only now may the cursor move. A poll that
	// fails leaves it where it was, and the next one asks again from there.
	staticData.cursor = step.next as unknown as IDataObject;
	if (first || step.items.length === 0) return null;
	return [step.items];
}

function readOptions(context: IPollFunctions): { includeStops: boolean; windowMs: number } {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const hours = options.windowHours === undefined ? DEFAULT_WINDOW_HOURS : Number(options.windowHours);
	if (!Number.isFinite(hours) || hours <= 0) {
		throw new NodeOperationError(context.getNode(), `Messages Sent Within must be a positive number of hours, not ${String(options.windowHours)}`);
	}
	return { includeStops: options.includeStops === true, windowMs: hours * HOUR_MS };
}

function readReportFilters(context: IPollFunctions) {
	return {
		statuses: parseStatuses(context.getNodeParameter('statuses', [])) as string[],
		codes: parseResultCodes(context.getNodeParameter('resultCodes', '')),
	};
}

function wantedReply(event: TriggerEvent, includeStops: boolean, isStop: boolean): boolean {
	return event === 'stopReceived' || includeStops || !isStop;
}

async function pollReplies(context: IPollFunctions, client: DmcClient, cursor: PollCursor, now: number, event: TriggerEvent): Promise<PollStep> {
	const { includeStops } = readOptions(context);
	const records = await client.getResponsesSMS(event === 'stopReceived', new Date(queryFrom(cursor)), new Date(now));
	const { fresh, next } = advanceCursor(cursor, replyEvents(records, now), now);
	const items = fresh
		.filter((found) => wantedReply(event, includeStops, found.value.isStop))
		.map((found) => ({ json: { ...found.value } }));
	return { items, next };
}

async function pollReports(
	context: IPollFunctions,
	client: DmcClient,
	cursor: PollCursor,
	now: number,
	first: boolean,
): Promise<PollStep> {
	const { windowMs } = readOptions(context);
	const { statuses, codes } = readReportFilters(context);
	const listing = await client.listSingleCallCra(new Date(now - windowMs));
	const { fresh, next } = advanceCursor(cursor, finalReportEvents(listing, now), now);
	// A first poll only takes note of what is there: no lookup for it.
	if (first) return { items: [], next };
	const wanted = fresh.filter((found) => statuses.includes(String(found.value.status)));
	const reports = await lookUpReports(client, wanted);
	const items = reports.filter((report) => matchesResultCodes(report, codes)).map((report) => ({ json: { ...report } }));
	return { items, next };
}

/**
 * The full reports (result code, parts, E.164 number) of the listed messages, in the
 * listing's order: one `findCraByIds` per 100 messages. A message findCraByIds does not
 * return keeps what the listing says of it.
 */
async function lookUpReports(client: DmcClient, listed: ReadonlyArray<CursorEvent<DmcRecord>>): Promise<DeliveryReport[]> {
	const ids = listed.map((found) => listedMessageId(found.value));
	const byId = new Map<string, DeliveryReport>();
	for (const chunk of chunkReportQueries(ids, [])) {
		for (const record of await client.findCraByIds(chunk.contactIds, [])) {
			const report = toDeliveryReport(record);
			if (report.messageId !== null) byId.set(report.messageId, report);
		}
	}
	return listed.map((found) => byId.get(listedMessageId(found.value)) ?? reportFromListing(found.value));
}

/**
 * "Fetch Test Event": the most recent matching event, whatever the cursor says, which it
 * neither reads nor moves; null when there is none. No once-a-minute wait: a person asked.
 */
async function fetchTestEvent(context: IPollFunctions, event: TriggerEvent, now: number): Promise<INodeExecutionData[][] | null> {
	const client = await connectDmc(context);
	const { includeStops, windowMs } = readOptions(context);
	if (event !== 'deliveryStatusChanged') {
		const records = await client.getResponsesSMS(event === 'stopReceived', new Date(now - MANUAL_REPLY_LOOKBACK_MS), new Date(now));
		const latest = replyEvents(records, now)
			.filter((found) => wantedReply(event, includeStops, found.value.isStop))
			.sort((a, b) => b.time - a.time)[0];
		return latest === undefined ? null : [[{ json: { ...latest.value } }]];
	}
	const { statuses, codes } = readReportFilters(context);
	const listing = await client.listSingleCallCra(new Date(now - windowMs));
	const recent = finalReportEvents(listing, now)
		.filter((found) => statuses.includes(String(found.value.status)))
		.sort((a, b) => b.time - a.time)
		.slice(0, 100);
	const latest = (await lookUpReports(client, recent)).find((report) => matchesResultCodes(report, codes));
	return latest === undefined ? null : [[{ json: { ...latest } }]];
}
