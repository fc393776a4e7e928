/**
 * What a user sees when the trigger's credential is wrong: the activation error n8n shows
 * (only its message), a failed scheduled poll, and "Fetch Test Event" all carry DMC's own
 * text and what to check, never the password.
 */
import { BASE_URL_HINT, LOGIN_HINT } from '../../nodes/SfrDmc/transport/dmcHints';
import { credentials, MINUTE, useTriggerSuite } from './helpers';

const suite = useTriggerSuite();
const { clock } = suite;

const WRONG_PASSWORD = 'Wr0ng-Pa55word!';
// What the sandbox answers to a bad login, as DMC does: its own text.
const DMC_LOGIN_TEXT = "Échec de l'authentification : serviceId, servicePassword ou spaceId incorrect";

function withBaseUrl(baseUrl: string) {
	return { ...credentials(suite.sandbox), baseUrl };
}

describe('a wrong password', () => {
	it("fails the activation with DMC's text and the login hint, and stores nothing", async () => {
		const trigger = await suite.trigger(
			{ event: 'replyReceived' },
			{ credentials: { ...credentials(suite.sandbox), servicePassword: WRONG_PASSWORD } },
		);
		const failure = await trigger.activate().then(
			() => undefined,
			(error: unknown) => error as Error,
		);
		expect(failure?.message).toBe(
			`There was a problem activating the workflow: "DMC refused SupervisionWS/getResponsesSMS: authentication_failed (${DMC_LOGIN_TEXT}). ${LOGIN_HINT}"`,
		);
		expect(failure?.message).not.toContain(WRONG_PASSWORD);
		// One call went out, and DMC refused it as a bad login.
		expect(suite.calls().getResponsesSMS).toBe(1);
		expect(suite.sandbox.stats().authFailures).toBe(1);
		expect(trigger.nodeStaticData().cursor).toBeUndefined();
	});

	it('fails a later poll and "Fetch Test Event" the same way', async () => {
		const good = await suite.trigger({ event: 'deliveryStatusChanged' });
		await good.activate();
		const stored = good.persistedStaticData();
		const wrong = await suite.trigger(
			{ event: 'deliveryStatusChanged' },
			{ credentials: { ...credentials(suite.sandbox), servicePassword: WRONG_PASSWORD }, staticData: stored },
		);
		clock.advance(MINUTE);
		const polled = await wrong.poll();
		expect(polled.emitted).toBe(false);
		expect(polled.error?.message).toBe(
			`DMC refused MessagesUnitairesWS/getSingleCallCra: authentication_failed (${DMC_LOGIN_TEXT}). ${LOGIN_HINT}`,
		);
		expect((polled.error as { description?: string }).description).toBe(`${DMC_LOGIN_TEXT} ${LOGIN_HINT}`);
		expect(wrong.persistedStaticData()).toEqual(stored);

		const manual = await wrong.fetchTestEvent();
		expect(manual.items).toEqual([]);
		expect(manual.error?.message).toContain(`(${DMC_LOGIN_TEXT}). ${LOGIN_HINT}`);
		expect(JSON.stringify([polled.error?.message, manual.error?.message, manual.run.data])).not.toContain(WRONG_PASSWORD);
		expect(suite.sandbox.stats().authFailures).toBe(2);
		await good.deactivate();
	});
});

describe('a wrong API Base URL', () => {
	it('that answers 404 fails the activation with the base URL hint', async () => {
		const trigger = await suite.trigger(
			{ event: 'stopReceived' },
			{ credentials: withBaseUrl(`${new URL(suite.sandbox.baseUrl).origin}/JsonService`) },
		);
		await expect(trigger.activate()).rejects.toThrow(
			`There was a problem activating the workflow: "DMC's gateway answered HTTP 404 to SupervisionWS/getResponsesSMS. ${BASE_URL_HINT}"`,
		);
		// The call reached the sandbox, but not its DMC service.
		expect(suite.calls().getResponsesSMS).toBe(0);
	});

	it('where nothing listens fails the activation with the base URL hint', async () => {
		// Port 1 on the loopback: the connection is refused (the client tries 3 times).
		const trigger = await suite.trigger(
			{ event: 'replyReceived' },
			{ credentials: withBaseUrl('http://127.0.0.1:1/DmcWS/1.5.8/JsonService') },
		);
		await expect(trigger.activate()).rejects.toThrow(
			`There was a problem activating the workflow: "Could not reach DMC for SupervisionWS/getResponsesSMS: the connection was refused. ${BASE_URL_HINT}"`,
		);
		expect(trigger.nodeStaticData().cursor).toBeUndefined();
	});
});

describe('a failure the set-up does not explain', () => {
	it("keeps DMC's text and adds no hint", async () => {
		const trigger = await suite.trigger({ event: 'replyReceived' });
		suite.sandbox.injectFaults({ kind: 'successFalse', errorCode: 'corruption_base' });
		const failure = await trigger.activate().then(
			() => undefined,
			(error: unknown) => error as Error,
		);
		expect(failure?.message).toMatch(
			/^There was a problem activating the workflow: "DMC refused SupervisionWS\/getResponsesSMS: corruption_base \(.+\)\."$/,
		);
		expect(failure?.message).not.toContain('Check the');
	});

	it('never repeats the password, even when DMC echoes it back', async () => {
		const password = credentials(suite.sandbox).servicePassword as string;
		const trigger = await suite.trigger({ event: 'replyReceived' });
		suite.sandbox.injectFaults({
			kind: 'successFalse',
			errorCode: 'authentication_failed',
			errorDetail: `Mot de passe ${password} refusé`,
		});
		const failure = await trigger.activate().then(
			() => undefined,
			(error: unknown) => error as Error,
		);
		expect(failure?.message).toBe(
			`There was a problem activating the workflow: "DMC refused SupervisionWS/getResponsesSMS: authentication_failed (Mot de passe *** refusé). ${LOGIN_HINT}"`,
		);
	});
});
