/**
 * Shared set-up for the trigger tests: one fake clock for the sandbox and the trigger (so a
 * minute passes in no time and every timestamp is exact), a sandbox on it, sends through the
 * SMS node, and trigger harnesses.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { SfrDmcApi } from '../../credentials/SfrDmcApi.credentials';
import { PollHarness, runNode } from '../../harness';
import { SfrDmcSms } from '../../nodes/SfrDmc/SfrDmcSms.node';
import { SfrDmcTrigger, type TriggerClock } from '../../nodes/SfrDmc/SfrDmcTrigger.node';
import { startSandbox, type Sandbox } from '../../sandbox';

export const MINUTE = 60_000;

export interface FakeClock extends TriggerClock {
	advance(ms: number): void;
	/** Everything the trigger slept. */
	slept: number[];
}

/** Starts at the real time (dates look real), moves only when told or when the trigger sleeps. */
export function fakeClock(start = Math.floor(Date.now() / 1000) * 1000): FakeClock {
	let t = start;
	const clock: FakeClock = {
		now: () => t,
		advance: (ms) => {
			t += ms;
		},
		slept: [],
		sleep: async (ms) => {
			clock.slept.push(ms);
			t += ms;
		},
	};
	return clock;
}

/** A sandbox on the clock: delivery one (fake) second after sending, a reply one second later. */
export async function clockedSandbox(clock: FakeClock): Promise<Sandbox> {
	return await startSandbox({
		now: clock.now,
		deliveryDelayMs: 1000,
		failureDelayMs: 1000,
		replyDelayMs: 1000,
		rateLimit: 1000,
		logger: () => undefined,
	});
}

export function credentials(sandbox: Sandbox) {
	// A high call rate keeps the suite fast; the limiter itself is tested elsewhere.
	return {
		serviceId: 'sandbox-service',
		servicePassword: 'sandbox-password',
		spaceId: 'sandbox-space',
		baseUrl: sandbox.baseUrl,
		maxCallsPerSecond: 50,
	};
}

/** Sends one SMS per recipient through the SMS node; returns the message ids in order. */
export async function send(sandbox: Sandbox, recipients: string[], text = 'Votre demande est prête', reference?: string): Promise<string[]> {
	const result = await runNode({
		nodeType: new SfrDmcSms(),
		credentialType: new SfrDmcApi(),
		credentials: credentials(sandbox),
		parameters: { operation: 'send', to: '={{ $json.to }}', message: text, options: reference ? { reference } : {} },
		items: recipients.map((to) => ({ to })),
	});
	if (result.error) throw result.error;
	return result.items.flatMap((item) => item.json.messageIds as string[]);
}

export async function triggerHarness(
	sandbox: Sandbox,
	clock: FakeClock,
	parameters: INodeParameters,
	staticData?: IDataObject,
): Promise<PollHarness> {
	return await PollHarness.create({
		nodeType: new SfrDmcTrigger(clock),
		credentialType: new SfrDmcApi(),
		credentials: credentials(sandbox),
		parameters,
		staticData,
	});
}

/** DMC calls by method since the last reset. */
export function calls(sandbox: Sandbox): Record<string, number> {
	const byMethod = sandbox.stats().callsByMethod;
	return {
		getResponsesSMS: byMethod['SupervisionWS/getResponsesSMS'] ?? 0,
		getSingleCallCra: byMethod['MessagesUnitairesWS/getSingleCallCra'] ?? 0,
		findCraByIds: byMethod['SupervisionWS/findCraByIds'] ?? 0,
	};
}

/** The trigger's cursor, as stored. */
export function cursorOf(harness: PollHarness): IDataObject {
	return harness.nodeStaticData().cursor as IDataObject;
}
