/**
 * n8n abandons an activation whose first poll runs past its deadline, and a scheduled poll
 * still running at the next tick loses the workflow's expression engine (n8n 2.41). So no
 * poll waits long for the service's once-a-minute report turn: one that cannot have it soon
 * queries nothing, and the gate keeps the turn for the trigger's next tick.
 */
import { sleep } from 'n8n-workflow';

import { gateForService, scaleSupervisionMinuteForTests } from '../../nodes/SfrDmc/transport/supervisionGate';
import { TEST_MINUTE_MS } from '../supervisionMinute';
import { cursorOf, useTriggerSuite } from './helpers';

const suite = useTriggerSuite();

/** The gate's minute for the far-turn case: long beside SHORT_WAITS and timer jitter, short for a suite. */
const LONG_MINUTE_MS = 2_000;

/** The trigger's waits for the turn, scaled like the minute (15 s and 20 s beside 60 s in n8n). */
const SHORT_WAITS = { activationMs: 500, tickMs: 500 };

afterEach(() => scaleSupervisionMinuteForTests(TEST_MINUTE_MS));

// The gate outlives a test: this one runs first, while the turn is near.
it('starts the cursor at activation when the turn is near', async () => {
	const trigger = await suite.trigger({ event: 'replyReceived' });
	const activation = await trigger.activate();
	expect({ emitted: activation.emitted, error: activation.error }).toEqual({ emitted: false, error: undefined });
	expect(suite.calls().getResponsesSMS).toBe(1);
	expect(cursorOf(trigger)).toBeDefined();
	await trigger.deactivate();
});

it('leaves the start to a later tick when the report turn is far, and keeps the turn for it: that tick calls at once', async () => {
	scaleSupervisionMinuteForTests(LONG_MINUTE_MS);
	const gate = gateForService(new URL(suite.sandbox.baseUrl).host, 'sandbox-service');
	(await gate.acquire())(); // another workflow's report read just ended: the next turn is a minute away
	const trigger = await suite.trigger({ event: 'replyReceived' }, { turnWaits: SHORT_WAITS });

	const activation = await trigger.activate();
	expect({ emitted: activation.emitted, error: activation.error, cursor: cursorOf(trigger) }).toEqual({
		emitted: false,
		error: undefined,
		cursor: undefined,
	});
	const tooEarly = await trigger.poll();
	expect({ emitted: tooEarly.emitted, error: tooEarly.error, cursor: cursorOf(trigger) }).toEqual({
		emitted: false,
		error: undefined,
		cursor: undefined,
	});
	expect(suite.calls().getResponsesSMS).toBe(0);

	// Somebody else asks for a report read after the trigger did: the trigger's turn comes first.
	let otherStartedAt: number | undefined;
	const other = gate.acquire().then((release) => {
		otherStartedAt = Date.now();
		release({ unused: true });
	});
	await sleep(1.5 * LONG_MINUTE_MS); // the turn came a minute after the last read, and is kept
	expect(otherStartedAt).toBeUndefined();
	const tick = await trigger.poll();
	const tickEndedAt = Date.now();
	expect({ emitted: tick.emitted, error: tick.error }).toEqual({ emitted: false, error: undefined });
	expect(suite.calls().getResponsesSMS).toBe(1);
	expect(cursorOf(trigger)).toBeDefined();
	await other;
	expect(otherStartedAt).toBeGreaterThanOrEqual(tickEndedAt + LONG_MINUTE_MS);
	expect(suite.sandbox.stats().supervisionViolations).toBe(0);
	await trigger.deactivate();
}, 30_000);
