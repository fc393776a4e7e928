import { configFromEnv, DEFAULTS, startSandbox, type Sandbox } from '../../sandbox';
import { dmcOk, fakeClock, quietSandbox, sms, waitFor } from './helpers';

describe('DMC sandbox control API', () => {
	const clock = fakeClock();
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await quietSandbox({ now: clock.now, deliveryDelayMs: 10, replyDelayMs: 10 });
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	const getJson = async (path: string) => {
		const response = await fetch(`${sandbox.url}${path}`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toContain('application/json');
		return response.json();
	};

	it('GET /_sandbox/messages lists received messages with their state', async () => {
		const [id] = await dmcOk<number[]>(sandbox, 'MessagesUnitairesWS/batchSingleCall', {
			messageUnitaires: [sms('+33699999904', 'Vote tonight', { from: 'SFR', refExt: 'r-9' })],
		});
		clock.advance(100);
		const messages = await getJson('/_sandbox/messages');
		expect(messages).toEqual([
			{
				id,
				serviceId: 'sandbox-service',
				to: '+33699999904',
				callAdress: '+33699999904',
				from: 'SFR',
				text: 'Vote tonight',
				media: 'SMS',
				ttsVoice: null,
				parts: 1,
				refExt: 'r-9',
				timeout: null,
				status: 'DONE',
				resultCode: 'CRA_SMS_RECEIVED',
				rule: 'magic number: replies STOP',
				receivedAt: clock.now() - 100,
				statusChangedAt: clock.now() - 90,
				stopped: false,
				reply: { text: 'STOP', at: clock.now() - 80, stop: true },
			},
		]);
		expect(messages).toEqual(sandbox.messages());
		expect(await getJson('/_sandbox/replies')).toEqual([
			{ messageId: id, from: '+33699999904', text: 'STOP', at: clock.now() - 80, stop: true },
		]);
	});

	it('GET /_sandbox/stats and /_sandbox/config', async () => {
		await dmcOk(sandbox, 'AdminWS/findServiceOadc');
		expect(await getJson('/_sandbox/stats')).toMatchObject({
			calls: 1,
			callsByMethod: { 'AdminWS/findServiceOadc': 1 },
			violations: 0,
			messages: 0,
		});
		const config = await getJson('/_sandbox/config');
		expect(config).toMatchObject({ serviceId: 'sandbox-service', spaceId: 'sandbox-space', senders: ['SFR', 'MAIRIE'] });
		expect(JSON.stringify(config)).not.toContain('password');
	});

	it('POST /_sandbox/reset forgets messages, stats and faults', async () => {
		await dmcOk(sandbox, 'MessagesUnitairesWS/addSingleCall', { messageUnitaire: sms('+33612345678') });
		sandbox.injectFaults({ kind: 'html502' });
		const response = await fetch(`${sandbox.url}/_sandbox/reset`, { method: 'POST' });
		expect(await response.json()).toEqual({ ok: true });
		expect(sandbox.messages()).toEqual([]);
		expect(sandbox.pendingFaults()).toEqual([]);
		expect(sandbox.stats()).toMatchObject({ calls: 0, violations: 0, messages: 0, faultsApplied: 0 });
	});

	it('answers 404 for unknown paths and 405 for wrong methods', async () => {
		expect((await fetch(`${sandbox.url}/_sandbox/nothing`)).status).toBe(404);
		expect((await fetch(`${sandbox.url}/_sandbox/reset`)).status).toBe(405);
		expect((await fetch(`${sandbox.url}/_sandbox/messages`, { method: 'POST' })).status).toBe(405);
		expect((await fetch(`${sandbox.url}/favicon.ico`)).status).toBe(404);
	});

	it('serves the inbox page and its assets, self-contained', async () => {
		const page = await fetch(`${sandbox.url}/`);
		expect(page.status).toBe(200);
		expect(page.headers.get('content-type')).toContain('text/html');
		expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
		const html = await page.text();
		expect(html).toContain('DMC sandbox inbox');
		expect(html).not.toMatch(/https?:\/\//);
		for (const asset of ['/inbox.js', '/inbox.css']) {
			const response = await fetch(`${sandbox.url}${asset}`);
			expect(response.status).toBe(200);
			expect(await response.text()).not.toMatch(/https?:\/\//);
		}
	});
});

describe('DMC sandbox configuration', () => {
	it('reads DMC_SANDBOX_* variables', () => {
		expect(
			configFromEnv({
				DMC_SANDBOX_PORT: '0',
				DMC_SANDBOX_SERVICE_ID: 'svc',
				DMC_SANDBOX_PASSWORD: 'pw',
				DMC_SANDBOX_SPACE_ID: 'space',
				DMC_SANDBOX_LATENCY_MS: '25',
				DMC_SANDBOX_RATE_MODE: 'refuse',
				DMC_SANDBOX_RATE_LIMIT: '3',
				DMC_SANDBOX_SENDERS: 'SFR, MAIRIE ,ECOLE',
				DMC_SANDBOX_DELIVERY_DELAY_MS: '100',
				DMC_SANDBOX_FAILURE_DELAY_MS: '200',
				DMC_SANDBOX_REPLY_DELAY_MS: '300',
				UNRELATED: 'x',
			}),
		).toEqual({
			port: 0,
			serviceId: 'svc',
			servicePassword: 'pw',
			spaceId: 'space',
			latencyMs: 25,
			rateMode: 'refuse',
			rateLimit: 3,
			senders: ['SFR', 'MAIRIE', 'ECOLE'],
			deliveryDelayMs: 100,
			failureDelayMs: 200,
			replyDelayMs: 300,
		});
		expect(configFromEnv({})).toEqual({});
	});

	it('rejects invalid variables', () => {
		expect(() => configFromEnv({ DMC_SANDBOX_RATE_MODE: 'ignore' })).toThrow(/DMC_SANDBOX_RATE_MODE/);
		expect(() => configFromEnv({ DMC_SANDBOX_LATENCY_MS: 'slow' })).toThrow(/DMC_SANDBOX_LATENCY_MS/);
	});

	it('has the documented defaults', () => {
		expect(DEFAULTS).toMatchObject({
			serviceId: 'sandbox-service',
			servicePassword: 'sandbox-password',
			spaceId: 'sandbox-space',
			rateLimit: 5,
			rateMode: 'refuse',
			senders: ['SFR', 'MAIRIE'],
		});
	});

	it('rejects invalid options', async () => {
		await expect(startSandbox({ rateMode: 'ignore' as never })).rejects.toThrow(/rateMode/);
		await expect(startSandbox({ latencyMs: -1 })).rejects.toThrow(/latencyMs/);
		await expect(startSandbox({ senders: [''] })).rejects.toThrow(/senders/);
	});

	it('runs several sandboxes side by side on free ports', async () => {
		const [a, b] = await Promise.all([quietSandbox(), quietSandbox({ senders: ['OTHER'] })]);
		try {
			expect(a.port).not.toBe(b.port);
			expect(await dmcOk(b, 'AdminWS/findServiceOadc')).toEqual(['OTHER']);
		} finally {
			await Promise.all([a.close(), b.close()]);
		}
	});

	it('waits the configured latency before answering, after storing', async () => {
		const slow = await quietSandbox({ latencyMs: 300 });
		try {
			const started = Date.now();
			let answered = false;
			const pending = dmcOk(slow, 'MessagesUnitairesWS/addSingleCall', { messageUnitaire: sms('+33612345678') }).then(() => {
				answered = true;
			});
			await waitFor(() => (slow.messages().length === 1 ? true : undefined));
			expect(answered).toBe(false);
			await pending;
			expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		} finally {
			await slow.close();
		}
	});
});
