import { sleep } from 'n8n-workflow';
import { RollingWindow, type Sandbox } from '../../sandbox';
import { ACCOUNT, dmcOk, callDmc, quietSandbox, sms } from './helpers';

describe('RollingWindow (exact boundaries)', () => {
	it('allows 5 calls in a window and flags the 6th', () => {
		const window = new RollingWindow({ limit: 5, windowMs: 1000 });
		const results = [0, 100, 200, 300, 400].map((t) => window.record('svc', t).violation);
		expect(results).toEqual([false, false, false, false, false]);
		expect(window.record('svc', 999)).toEqual({ violation: true, inWindow: 5 });
		expect(window.summary()).toMatchObject({ calls: 6, violations: 1, peak: 6 });
	});

	it('is fine again once the window has slid past the oldest call', () => {
		const window = new RollingWindow({ limit: 5, windowMs: 1000 });
		for (const t of [0, 100, 200, 300, 400]) window.record('svc', t);
		// A call exactly 1000 ms after the first no longer sees it.
		expect(window.record('svc', 1000)).toEqual({ violation: false, inWindow: 4 });
		expect(window.record('svc', 1099.9)).toEqual({ violation: true, inWindow: 5 });
		expect(window.summary().violations).toBe(1);
	});

	it('counts calls at the same instant in arrival order', () => {
		const window = new RollingWindow({ limit: 5, windowMs: 1000 });
		const results = Array.from({ length: 7 }, () => window.record('svc', 42).violation);
		expect(results).toEqual([false, false, false, false, false, true, true]);
	});

	it('keeps services apart', () => {
		const window = new RollingWindow({ limit: 5, windowMs: 1000 });
		for (let i = 0; i < 5; i++) {
			window.record('a', i);
			window.record('b', i);
		}
		expect(window.summary()).toMatchObject({ calls: 10, violations: 0, peak: 5 });
	});

	it('judges a call recorded late in its true arrival place', () => {
		const window = new RollingWindow({ limit: 2, windowMs: 1000 });
		window.record('svc', 0);
		window.record('svc', 20);
		window.record('svc', 10); // arrived before the call at 20, recorded after it
		expect(window.summary()).toMatchObject({ violations: 1, peak: 3 });
	});
});

describe('DMC sandbox rate limiting, warn mode', () => {
	const warnings: string[] = [];
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await quietSandbox({
			rateLimit: 5,
			rateMode: 'warn',
			logger: (level, message) => {
				if (level === 'warn') warnings.push(message);
			},
		});
	});
	afterAll(() => sandbox.close());
	beforeEach(() => {
		sandbox.reset();
		warnings.length = 0;
	});

	const send = () => callDmc(sandbox, 'MessagesUnitairesWS/addSingleCall', { messageUnitaire: sms('+33612345678') });

	it('serves 5 quick calls without violation, serves and counts the 6th, and is fine after the window slides', async () => {
		for (let i = 0; i < 5; i++) expect((await send()).json.success).toBe(true);
		expect(sandbox.stats().violations).toBe(0);

		const sixth = await send();
		expect(sixth.json.success).toBe(true);
		expect(sandbox.stats()).toMatchObject({ calls: 6, violations: 1, refused: 0, peakCallsInWindow: 6 });
		expect(sandbox.messages()).toHaveLength(6);
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toContain('RATE LIMIT');
		expect(warnings[0]).toContain('sandbox-service');

		await sleep(1100);
		for (let i = 0; i < 5; i++) await send();
		expect(sandbox.stats().violations).toBe(1);
	});

	it('finds no violation when calls are paced a little over 200 ms apart', async () => {
		// 6 calls: the 6th is the first that could see 5 others within one second.
		for (let i = 0; i < 6; i++) {
			if (i > 0) await sleep(230);
			await send();
		}
		expect(sandbox.stats()).toMatchObject({ calls: 6, violations: 0 });
		expect(sandbox.stats().peakCallsInWindow).toBeLessThanOrEqual(5);
	});

	it('counts every DMC method, whatever its answer, per claimed serviceId', async () => {
		await dmcOk(sandbox, 'AdminWS/findServiceOadc');
		await callDmc(sandbox, 'AdminWS/nope');
		await callDmc(sandbox, 'AdminWS/findServiceOadc', {}, { auth: { ...ACCOUNT, servicePassword: 'bad' } });
		await callDmc(sandbox, 'AdminWS/findServiceOadc', {}, { auth: null });
		await callDmc(sandbox, 'AdminWS/findServiceOadc', {}, { auth: { ...ACCOUNT, serviceId: 'someone-else' } });
		expect(sandbox.stats()).toMatchObject({
			calls: 5,
			violations: 0,
			rateByService: {
				'sandbox-service': { calls: 3, violations: 0 },
				'(anonymous)': { calls: 1, violations: 0 },
				'someone-else': { calls: 1, violations: 0 },
			},
		});
		sandbox.reset();
		await Promise.all(Array.from({ length: 5 }, () => callDmc(sandbox, 'AdminWS/findServiceOadc', {}, { auth: null })));
		await callDmc(sandbox, 'AdminWS/findServiceOadc', {}, { auth: null });
		expect(sandbox.stats().violations).toBe(1);
	});

	it('counts concurrent bursts exactly', async () => {
		await Promise.all(Array.from({ length: 12 }, () => dmcOk(sandbox, 'AdminWS/findServiceOadc')));
		expect(sandbox.stats()).toMatchObject({ calls: 12, violations: 7, peakCallsInWindow: 12 });
	});
});

describe('DMC sandbox rate limiting, refuse mode', () => {
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await quietSandbox({ rateLimit: 5, rateMode: 'refuse' });
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	it('refuses the 6th call in a second with quota_exceeded, stores nothing from it, and recovers', async () => {
		const send = (text: string) => callDmc(sandbox, 'MessagesUnitairesWS/addSingleCall', { messageUnitaire: sms('+33612345678', text) });
		for (let i = 0; i < 5; i++) expect((await send(`ok ${i}`)).json.success).toBe(true);
		const refused = await send('refused');
		expect(refused.status).toBe(200);
		expect(refused.json).toMatchObject({ success: false, errorCode: 'quota_exceeded', fatal: true });
		expect(sandbox.messages().map((m) => m.text)).not.toContain('refused');
		expect(sandbox.stats()).toMatchObject({ calls: 6, violations: 1, refused: 1 });

		await sleep(1100);
		expect((await send('later')).json.success).toBe(true);
		expect(sandbox.stats()).toMatchObject({ violations: 1, refused: 1 });
	});

	it('uses the configured limit', async () => {
		const strict = await quietSandbox({ rateLimit: 2, rateMode: 'refuse' });
		try {
			const answers = [];
			for (let i = 0; i < 3; i++) answers.push((await callDmc(strict, 'AdminWS/findServiceOadc')).json.success);
			expect(answers).toEqual([true, true, false]);
			expect(strict.stats().violations).toBe(1);
		} finally {
			await strict.close();
		}
	});
});
