/**
 * The trigger's scheduled poll: at most one DMC query a minute, each event emitted once.
 *
 * Calls per poll (each through the credential's shared 5-calls-a-second limiter):
 * - Reply Received / STOP Received: one `getResponsesSMS` (the window since the cursor).
 * - Delivery Status Changed: one `getSingleCallCra` listing of the messages sent in the
 *   window (one page per 500 messages; not a SupervisionWS method), then, only when some
 *   reports became final, one `findCraByIds` for the oldest 100 of them. More wait for the
 *   next polls, a hundred a minute: a poll makes one SupervisionWS call at most, since a
 *   second would wait a minute, longer than n8n lets a poll run (see `TurnWaits`).
 * - Campaign Report / Campaign Finished: one SupervisionWS call (see campaignKinds.ts).
 * - A poll less than a minute after the last successful one queries nothing (see
 *   `decideQuery`), whatever n8n's poll times say: n8n refuses sub-minute poll times, but
 *   several poll times, the poll at activation and restarts can still come close together.
 */
import { sleep, type IDataObject, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';

import { advanceCursor, decideQuery, readCursor, startCursor } from '../domain/pollCursor';
import { MAX_IDS_PER_REPORT_CALL } from '../domain/deliveryReports';
import { connectBroadcasts } from '../transport/connectDmc';
import { isOnceAMinuteRefusal } from '../transport/DmcClient';
import { eventKindFor } from './selectEvents';
import { readTriggerSettings } from './settings';
import { withSetupHint } from './setupErrors';
import { fetchTestEvent } from './testEvent';

/** The trigger's sense of time: n8n's clock in production, a fake one in tests. */
export interface TriggerClock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

export const systemClock: TriggerClock = {
	now: () => Date.now(),
	sleep: async (ms) => await sleep(ms),
};

type PollAnswer = INodeExecutionData[][] | null;

/**
 * The longest a poll waits for the service's once-a-minute report turn. n8n abandons an
 * activation whose first poll runs past its deadline, and a scheduled poll must be over
 * before the next tick (n8n 2.41 lends a tick's poll the workflow's expression engine only
 * until the next tick starts; the requests of a poll still running then fail). A poll that
 * gets no turn in time queries nothing; the gate keeps the turn for its next tick.
 */
export interface TurnWaits {
	activationMs: number;
	tickMs: number;
}

export const N8N_TURN_WAITS: TurnWaits = { activationMs: 15_000, tickMs: 20_000 };

/**
 * The poll contexts this process has polled through. n8n builds one context per activation
 * of a trigger and polls through it at activation, then at every scheduled tick, so the
 * first poll through a context is the one n8n's activation deadline applies to.
 */
const pollContextsSeen = new WeakSet<IPollFunctions>();

/**
 * The polls under way in this process, by workflow and node. A poll that is slow (DMC's
 * calls time out after 30 s each) could still run when the next one starts; both would read
 * the same cursor and emit the same events. The later one stands down instead.
 */
const pollsInFlight = new Set<string>();

/** The node's `poll`: the test event in manual mode, the scheduled poll otherwise. */
export function createPoll(clock: TriggerClock, turnWaits: TurnWaits = N8N_TURN_WAITS) {
	return async function poll(this: IPollFunctions): Promise<PollAnswer> {
		try {
			if (this.getMode() === 'manual') return await fetchTestEvent(this, clock.now());

			const activation = !pollContextsSeen.has(this);
			pollContextsSeen.add(this);
			const key = JSON.stringify([this.getWorkflow().id ?? '', this.getNode().id]);
			if (pollsInFlight.has(key)) return null;
			pollsInFlight.add(key);
			try {
				return await pollOnce(this, clock, key, activation ? turnWaits.activationMs : turnWaits.tickMs);
			} finally {
				pollsInFlight.delete(key);
			}
		} catch (error) {
			// DMC refused the report read as too frequent (another client of the service; the
			// client logged it): it read nothing and the cursor did not move; the gate now waits
			// longer, and a later tick asks again.
			if (isOnceAMinuteRefusal(error)) return null;
			throw withSetupHint(error);
		}
	};
}

async function pollOnce(context: IPollFunctions, clock: TriggerClock, key: string, turnWaitMs: number): Promise<PollAnswer> {
	const settings = readTriggerSettings(context);
	const staticData = context.getWorkflowStaticData('node');
	const stored = readCursor(staticData.cursor, settings.event);
	const decision = decideQuery(stored?.lastQueryAt, clock.now());
	if (decision.kind === 'skip') return null;
	if (decision.kind === 'wait') await clock.sleep(decision.ms);

	const client = await connectBroadcasts(context);
	// Every event kind makes one SupervisionWS call a poll at most, in this turn.
	const turn = await client.dmc.supervisionGate.turnWithin(key, turnWaitMs);
	if (turn === undefined) return null;
	client.dmc.holdTurn(turn);
	try {
		const now = clock.now();
		// First poll (or another event than the cursor's): remember what is already there,
		// emit nothing, so the workflow starts from now. Nor does it look anything up.
		const first = stored === undefined;
		const cursor = stored ?? startCursor(settings.event, now);
		const kind = eventKindFor(settings);
		const found = await kind.find(client, now, cursor);
		const { fresh } = advanceCursor(cursor, found.events, now);
		const { items, deferred } = first ? { items: [], deferred: [] } : await kind.select(client, fresh, MAX_IDS_PER_REPORT_CALL);

		// Every DMC call of this poll succeeded: only now may the cursor move. A poll that
		// fails leaves it where it was, and the next one asks again from there.
		staticData.cursor = advanceCursor(cursor, found.events, now, { deferred, state: found.state }).next as unknown as IDataObject;
		if (items.length === 0) return null;
		return [items.map((json) => ({ json }))];
	} finally {
		client.dmc.returnHeldTurn();
	}
}
