/**
 * The one set-up of the trigger suites: `useTriggerSuite()` gives a suite one fake clock for
 * the sandbox and the trigger (so a minute passes in no time and every timestamp is exact), a
 * sandbox on it, reset before each test, sends through the SMS node, and trigger harnesses.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { SfrDmcApi } from '../../credentials/SfrDmcApi.credentials';
import { PollHarness, runNode } from '../../harness';
import { SfrDmcSms } from '../../nodes/SfrDmc/SfrDmcSms.node';
import { SfrDmcSmsTrigger, type TriggerClock, type TurnWaits } from '../../nodes/SfrDmc/SfrDmcSmsTrigger.node';
import { startSandbox, type Sandbox } from '../../sandbox';
import { STRICT_TEST_MINUTE } from '../supervisionMinute';

export const MINUTE = 60_000;

export interface FakeClock extends TriggerClock {
	advance(ms: number): void;
	/** Everything the trigger slept. */
	slept: number[];
}

/** Starts at the real time (dates look real), moves only when told or when the trigger sleeps. */
function fakeClock(start = Math.floor(Date.now() / 1000) * 1000): FakeClock {
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
async function clockedSandbox(clock: FakeClock): Promise<Sandbox> {
	return await startSandbox({
		...STRICT_TEST_MINUTE,
		now: clock.now,
		deliveryDelayMs: 1000,
		failureDelayMs: 1000,
		replyDelayMs: 1000,
		rateLimit: 1000,
		logger: () => undefined,
	});
}

export function credentials(sandbox: Sandbox): ICredentialDataDecryptedObject {
	// A high call rate keeps the suite fast; the limiter itself is tested elsewhere.
	return {
		serviceId: 'sandbox-service',
		servicePassword: 'sandbox-password',
		spaceId: 'sandbox-space',
		baseUrl: sandbox.baseUrl,
		maxCallsPerSecond: 50,
	};
}

export interface TriggerSuite {
	clock: FakeClock;
	/** Started before the suite, reset before each test. */
	readonly sandbox: Sandbox;
	/** Sends one SMS per recipient through the SMS node; returns the message ids in order. */
	send(recipients: string[], text?: string, reference?: string): Promise<string[]>;
	/** The trigger, on the suite's clock, with the sandbox's credential unless told otherwise. */
	trigger(
		parameters: INodeParameters,
		options?: { staticData?: IDataObject; credentials?: ICredentialDataDecryptedObject; turnWaits?: TurnWaits },
	): Promise<PollHarness>;
	/** DMC calls by method since the last reset. */
	calls(): Record<string, number>;
}

/**
 * Registers the suite's hooks (sandbox started once, closed at the end; before each test: the
 * sandbox reset, the clock a minute on, its record of sleeps emptied) and returns its tools.
 */
export function useTriggerSuite(): TriggerSuite {
	const clock = fakeClock();
	let started: Sandbox | undefined;
	const sandboxOf = (): Sandbox => {
		if (!started) throw new Error("The trigger suite's sandbox is used before its beforeAll hook ran");
		return started;
	};
	beforeAll(async () => {
		started = await clockedSandbox(clock);
	});
	afterAll(async () => sandboxOf().close());
	beforeEach(() => {
		sandboxOf().reset();
		clock.advance(MINUTE);
		clock.slept.length = 0;
	});
	return {
		clock,
		get sandbox() {
			return sandboxOf();
		},
		async send(recipients, text = 'Votre demande est prête', reference) {
			const result = await runNode({
				nodeType: new SfrDmcSms(),
				credentialType: new SfrDmcApi(),
				credentials: credentials(sandboxOf()),
				parameters: { operation: 'send', to: '={{ $json.to }}', message: text, options: reference ? { reference } : {} },
				items: recipients.map((to) => ({ to })),
			});
			if (result.error) throw result.error;
			return result.items.flatMap((item) => item.json.messageIds as string[]);
		},
		async trigger(parameters, options = {}) {
			return await PollHarness.create({
				nodeType: new SfrDmcSmsTrigger(clock, options.turnWaits),
				credentialType: new SfrDmcApi(),
				credentials: options.credentials ?? credentials(sandboxOf()),
				parameters,
				staticData: options.staticData,
			});
		},
		calls() {
			const byMethod = sandboxOf().stats().callsByMethod;
			return {
				getResponsesSMS: byMethod['SupervisionWS/getResponsesSMS'] ?? 0,
				getSingleCallCra: byMethod['MessagesUnitairesWS/getSingleCallCra'] ?? 0,
				findCraByIds: byMethod['SupervisionWS/findCraByIds'] ?? 0,
			};
		},
	};
}

/** The trigger's cursor, as stored. */
export function cursorOf(harness: PollHarness): IDataObject {
	return harness.nodeStaticData().cursor as IDataObject;
}
