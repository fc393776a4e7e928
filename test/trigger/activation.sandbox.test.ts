/**
 * n8n abandons an activation whose first poll runs past its deadline (n8n 2.41), so the
 * activation's poll does not wait long for the service's once-a-minute report turn; the
 * ticks after it do, however long the turn takes, even before the cursor has started.
 */
import { gateForService, scaleSupervisionMinuteForTests } from '../../nodes/SfrDmc/transport/supervisionGate';
import { TEST_MINUTE_MS } from '../supervisionMinute';
import { cursorOf, useTriggerSuite } from './helpers';

const suite = useTriggerSuite();

/** Long enough that a turn taken now keeps the gate closed past the activation's 15 s. */
const LONG_MINUTE_MS = 16_000;

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

it('leaves the start to the next tick when the report turn is far at activation; that tick waits for the turn and starts the cursor', async () => {
	scaleSupervisionMinuteForTests(LONG_MINUTE_MS);
	const gate = gateForService(new URL(suite.sandbox.baseUrl).host, 'sandbox-service');
	const release = await gate.acquire();
	release(); // another workflow's report read just ended: the next turn is a minute away
	const trigger = await suite.trigger({ event: 'replyReceived' });

	const activation = await trigger.activate();
	expect({ emitted: activation.emitted, error: activation.error, cursor: cursorOf(trigger) }).toEqual({
		emitted: false,
		error: undefined,
		cursor: undefined,
	});
	expect(suite.calls().getResponsesSMS).toBe(0);

	expect(gate.opensWithin(15_000)).toBe(false);
	const tick = await trigger.poll();
	expect({ emitted: tick.emitted, error: tick.error }).toEqual({ emitted: false, error: undefined });
	expect(suite.calls().getResponsesSMS).toBe(1);
	expect(cursorOf(trigger)).toBeDefined();
	await trigger.deactivate();
}, 60_000);
