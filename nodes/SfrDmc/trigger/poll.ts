/**
 * The trigger's scheduled poll: at most one DMC query a minute, each event emitted once.
 *
 * Calls per poll (each through the credential's shared 5-calls-a-second limiter):
 * - Reply Received / STOP Received: one `getResponsesSMS` (the window since the cursor).
 * - Delivery Status Changed: one `getSingleCallCra` listing of the messages sent in the
 *   window (one page per 500 messages), then, only when some reports became final, one
 *   `findCraByIds` per 100 of them. Looking up just the messages that changed, right after
 *   the listing, keeps every poll to one listing of the traffic: the heavy query SFR's
 *   once-a-minute rule is about. (Deferring the lookups to the next poll would make each
 *   poll a single CRA call, at the price of every report arriving a minute late, and a
 *   burst of changes several minutes late; the lookups are small, targeted queries.)
 * - Campaign Report / Campaign Finished: one SupervisionWS call (see campaignKinds.ts).
 * - A poll less than a minute after the last successful one queries nothing (see
 *   `decideQuery`), whatever n8n's poll times say: n8n refuses sub-minute poll times, but
 *   several poll times, the poll at activation and restarts can still come close together.
 */
import { sleep, type IDataObject, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';

import { advanceCursor, decideQuery, readCursor, startCursor } from '../domain/pollCursor';
import { connectBroadcasts } from '../transport/connectDmc';
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

/** The longest an activation's poll waits for the report turn; n8n's activation deadline is longer. */
const ACTIVATION_POLL_MAX_WAIT_MS = 15_000;

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
export function createPoll(clock: TriggerClock) {
	return async function poll(this: IPollFunctions): Promise<PollAnswer> {
		try {
			if (this.getMode() === 'manual') return await fetchTestEvent(this, clock.now());

			const activation = !pollContextsSeen.has(this);
			pollContextsSeen.add(this);
			const key = JSON.stringify([this.getWorkflow().id ?? '', this.getNode().id]);
			if (pollsInFlight.has(key)) return null;
			pollsInFlight.add(key);
			try {
				return await pollOnce(this, clock, activation);
			} finally {
				pollsInFlight.delete(key);
			}
		} catch (error) {
			throw withSetupHint(error);
		}
	};
}

async function pollOnce(context: IPollFunctions, clock: TriggerClock, activation: boolean): Promise<PollAnswer> {
	const settings = readTriggerSettings(context);
	const staticData = context.getWorkflowStaticData('node');
	const stored = readCursor(staticData.cursor, settings.event);
	const decision = decideQuery(stored?.lastQueryAt, clock.now());
	if (decision.kind === 'skip') return null;
	if (decision.kind === 'wait') await clock.sleep(decision.ms);

	const now = clock.now();
	// First poll (or another event than the cursor's): remember what is already there,
	// emit nothing, so the workflow starts from now. Nor does it look anything up.
	const first = stored === undefined;
	const cursor = stored ?? startCursor(settings.event, now);
	const kind = eventKindFor(settings);
	const client = await connectBroadcasts(context);
	// The activation's poll runs under n8n's deadline (n8n 2.41 abandons an activation whose
	// poll takes minutes): rather than wait that long for the service's report turn, it
	// leaves the work to the next tick, which waits for the turn however long it takes.
	if (activation && !client.dmc.supervisionGate.opensWithin(ACTIVATION_POLL_MAX_WAIT_MS)) return null;
	const found = await kind.find(client, now, cursor);
	const { fresh, next } = advanceCursor(cursor, found.events, now, found.state);
	const items = first ? [] : await kind.select(client, fresh);

	// Every DMC call of this poll succeeded: only now may the cursor move. A poll that
	// fails leaves it where it was, and the next one asks again from there.
	staticData.cursor = next as unknown as IDataObject;
	if (items.length === 0) return null;
	return [items.map((json) => ({ json }))];
}
