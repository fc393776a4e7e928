import type { Sandbox } from '../../sandbox';
import { ACCOUNT, callDmc, dmcFail, dmcOk, dmcUrl, quietSandbox, sms } from './helpers';

describe('DMC sandbox transport and envelopes', () => {
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await quietSandbox();
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	it('listens on 127.0.0.1 with a free port and exposes the base URL', () => {
		expect(sandbox.port).toBeGreaterThan(0);
		expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}`);
		expect(sandbox.baseUrl).toBe(`${sandbox.url}/DmcWS/1.5.8/JsonService`);
	});

	it('accepts POST with a form body and answers a success envelope', async () => {
		const answer = await callDmc(sandbox, 'MessagesUnitairesWS/addSingleCall', {
			messageUnitaire: sms('+33612345678'),
		});
		expect(answer.status).toBe(200);
		expect(Object.keys(answer.json).sort()).toEqual(['response', 'success']);
		expect(answer.json.success).toBe(true);
		expect(typeof answer.json.response).toBe('number');
	});

	it('accepts GET with a query string', async () => {
		const id = await dmcOk<number>(
			sandbox,
			'MessagesUnitairesWS/addSingleCall',
			{ messageUnitaire: sms('+33612345678', 'via GET') },
			{ http: 'GET' },
		);
		expect(sandbox.messages()).toEqual([expect.objectContaining({ id, text: 'via GET' })]);
	});

	it.each(['1.5', '1.5.6', '1.5.7', '1.5.8', '1.6.0'])('serves version path %s', async (version) => {
		const senders = await dmcOk(sandbox, 'AdminWS/findServiceOadc', {}, { version });
		expect(senders).toEqual(['SFR', 'MAIRIE']);
	});

	it('answers failures as HTTP 200 envelopes with errorCode, errorDetail, fatal, invalidParams', async () => {
		const answer = await callDmc(sandbox, 'MessagesUnitairesWS/batchSingleCall', { messageUnitaires: 'nope' });
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({
			success: false,
			errorCode: 'invalid_parameter',
			errorDetail: expect.any(String),
			fatal: true,
			invalidParams: true,
		});
	});

	it('answers an unknown method with a clear code', async () => {
		const failure = await dmcFail(sandbox, 'MessagesUnitairesWS/sendEverything');
		expect(failure.errorCode).toBe('unknown_method');
		expect(failure.errorDetail).toContain('MessagesUnitairesWS/sendEverything');
		expect((await dmcFail(sandbox, 'NoSuchWS/findServiceOadc')).errorCode).toBe('unknown_method');
	});

	it('answers a malformed DmcWS path with an envelope too', async () => {
		const response = await fetch(`${sandbox.url}/DmcWS/1.5.8/JsonService/AdminWS`);
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ success: false, errorCode: 'unknown_method' });
	});

	it('reports a field that is not JSON as invalid_parameter', async () => {
		const fields = new URLSearchParams({
			authenticate: JSON.stringify(ACCOUNT),
			messageUnitaire: '{media:SMS',
		});
		const response = await fetch(dmcUrl(sandbox, 'MessagesUnitairesWS/addSingleCall'), {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: fields.toString(),
		});
		expect(await response.json()).toMatchObject({ success: false, errorCode: 'invalid_parameter' });
	});

	it('lets body fields win over query fields of the same name', async () => {
		const query = new URLSearchParams({ authenticate: JSON.stringify({ ...ACCOUNT, servicePassword: 'bad' }) });
		const body = new URLSearchParams({ authenticate: JSON.stringify(ACCOUNT) });
		const response = await fetch(`${dmcUrl(sandbox, 'AdminWS/findServiceOadc')}?${query}`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: body.toString(),
		});
		expect(await response.json()).toEqual({ success: true, response: ['SFR', 'MAIRIE'] });
	});

	it('returns the allowed senders and the spaces', async () => {
		expect(await dmcOk(sandbox, 'AdminWS/findServiceOadc')).toEqual(['SFR', 'MAIRIE']);
		expect(await dmcOk(sandbox, 'AdminWS/findSpaces')).toEqual([{ spaceId: 'sandbox-space', name: 'Sandbox space' }]);
	});
});

describe('DMC sandbox authentication', () => {
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await quietSandbox();
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	const send = { messageUnitaire: sms('+33612345678') };

	it.each([
		['no authenticate field', null],
		['a wrong password', { ...ACCOUNT, servicePassword: 'wrong' }],
		['a wrong serviceId', { ...ACCOUNT, serviceId: 'other-service' }],
		['a wrong spaceId', { ...ACCOUNT, spaceId: 'other-space' }],
		['no password', { serviceId: ACCOUNT.serviceId, spaceId: ACCOUNT.spaceId }],
	])('refuses %s with authentication_failed and stores nothing', async (_label, auth) => {
		const failure = await dmcFail(sandbox, 'MessagesUnitairesWS/addSingleCall', send, { auth });
		expect(failure).toMatchObject({ errorCode: 'authentication_failed', fatal: true });
		expect(sandbox.messages()).toHaveLength(0);
		expect(sandbox.stats().authFailures).toBe(1);
	});

	it('refuses an authenticate field that is not JSON', async () => {
		const body = `authenticate=${encodeURIComponent('{serviceId:x')}&messageUnitaire=${encodeURIComponent(
			JSON.stringify(sms('+33612345678')),
		)}`;
		const response = await fetch(dmcUrl(sandbox, 'MessagesUnitairesWS/addSingleCall'), {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body,
		});
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ success: false, errorCode: 'authentication_failed' });
	});

	it('ignores an unknown lang and accepts en_GB', async () => {
		await dmcOk(sandbox, 'AdminWS/findServiceOadc', {}, { auth: { ...ACCOUNT, lang: 'en_GB' } });
		await dmcOk(sandbox, 'AdminWS/findServiceOadc', {}, { auth: { ...ACCOUNT, lang: 'xx_XX' } });
	});

	it('uses the configured account', async () => {
		const custom = await quietSandbox({ serviceId: 'svc-42', servicePassword: 'pw-42', spaceId: 'space-42' });
		try {
			const auth = { serviceId: 'svc-42', servicePassword: 'pw-42', spaceId: 'space-42' };
			await dmcOk(custom, 'AdminWS/findServiceOadc', {}, { auth });
			expect((await dmcFail(custom, 'AdminWS/findServiceOadc')).errorCode).toBe('authentication_failed');
		} finally {
			await custom.close();
		}
	});
});

describe('DMC sandbox never leaks the password', () => {
	const CANARY = 'Pw-7f3c9a-Never-Echo';
	const WRONG_CANARY = 'Wrong-Pw-0b12e4-Never-Echo';
	const logs: string[] = [];
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await quietSandbox({
			servicePassword: CANARY,
			rateLimit: 1,
			rateMode: 'warn',
			logger: (level, message) => logs.push(`${level} ${message}`),
		});
	});
	afterAll(() => sandbox.close());

	it('keeps both the right and a wrong password out of answers, control API, inbox and logs', async () => {
		const good = { ...ACCOUNT, servicePassword: CANARY };
		const bad = { ...ACCOUNT, servicePassword: WRONG_CANARY };
		const texts: string[] = [];
		const record = async (promise: Promise<{ text: string }>) => texts.push((await promise).text);

		await record(callDmc(sandbox, 'MessagesUnitairesWS/addSingleCall', { messageUnitaire: sms('+33612345678') }, { auth: good }));
		await record(callDmc(sandbox, 'MessagesUnitairesWS/addSingleCall', { messageUnitaire: sms('+33612345678') }, { auth: bad }));
		await record(callDmc(sandbox, 'MessagesUnitairesWS/addSingleCall', { messageUnitaire: {} }, { auth: good, http: 'GET' }));
		await record(callDmc(sandbox, 'AdminWS/unknown', {}, { auth: bad, http: 'GET' }));
		await record(callDmc(sandbox, 'MessagesUnitairesWS/getSingleCallCra', {}, { auth: good }));
		for (const path of ['/_sandbox/messages', '/_sandbox/replies', '/_sandbox/stats', '/_sandbox/config', '/', '/inbox.js']) {
			texts.push(await (await fetch(`${sandbox.url}${path}`)).text());
		}
		texts.push(JSON.stringify(sandbox.messages()), JSON.stringify(sandbox.stats()), JSON.stringify(sandbox.config));
		const everything = [...texts, ...logs].join('\n');
		expect(logs.some((line) => line.startsWith('warn RATE LIMIT'))).toBe(true);
		expect(everything).not.toContain(CANARY);
		expect(everything).not.toContain(WRONG_CANARY);
	});
});
