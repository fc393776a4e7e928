import { sleep } from 'n8n-workflow';

import type { Sandbox } from '../../sandbox';
import { callDmc, dmcFail, dmcOk, quietSandbox } from './helpers';

/** The guide (§2.4): every SupervisionWS method at most once a minute per service. */
describe('DMC sandbox once-a-minute rule for SupervisionWS', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await quietSandbox();
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	it("defaults to the guide's minute, strictly", () => {
		expect(sandbox.config).toMatchObject({ supervisionIntervalMs: 60_000, strictSupervision: true });
	});

	it('refuses a second call to one method within the minute, with its own French text, and counts it', async () => {
		await dmcOk(sandbox, 'SupervisionWS/findCraByIds', { contactIds: [1] });
		const refusal = await dmcFail(sandbox, 'SupervisionWS/findCraByIds', { contactIds: [1] });
		expect(refusal.errorCode).toBe('supervision_too_frequent');
		expect(refusal.errorDetail).toMatch(/au plus un appel par minute/);
		expect(sandbox.stats()).toMatchObject({ supervisionCalls: 2, supervisionViolations: 1, refused: 1, violations: 0 });
	});

	it('counts the rule per service across every SupervisionWS method, and never for other services of the API', async () => {
		await dmcOk(sandbox, 'MessagesUnitairesWS/getSingleCallCra');
		await dmcOk(sandbox, 'MessagesUnitairesWS/getSingleCallCra');
		await dmcOk(sandbox, 'SupervisionWS/findCraByIds', { contactIds: [1] });
		const now = Date.now();
		const other = await dmcFail(sandbox, 'SupervisionWS/getResponsesSMS', { stopOnly: false, beginDate: now - 1000, endDate: now });
		expect(other.errorCode).toBe('supervision_too_frequent');
		expect(other.errorDetail).toContain('SupervisionWS/getResponsesSMS');
		// Another service's call is judged on its own (and fails its login, as it should).
		const stranger = { serviceId: 'someone-else', servicePassword: 'x', spaceId: 'y' };
		const foreign = await callDmc(sandbox, 'SupervisionWS/findCraByIds', { contactIds: [1] }, { auth: stranger });
		expect(JSON.stringify(foreign)).not.toContain('supervision_too_frequent');
		const stats = sandbox.stats();
		expect(stats).toMatchObject({ supervisionCalls: 3, supervisionViolations: 1 });
		expect(stats.lastSupervisionCallAt).toBeGreaterThanOrEqual(now - 1000);
	});

	it('counts a refused call as a call: asking again at once is refused again', async () => {
		await dmcOk(sandbox, 'SupervisionWS/findCraByIds', { contactIds: [1] });
		await dmcFail(sandbox, 'SupervisionWS/findCraByIds', { contactIds: [1] });
		await dmcFail(sandbox, 'SupervisionWS/findCraByIds', { contactIds: [1] });
		expect(sandbox.stats().supervisionViolations).toBe(2);
	});
});

describe('DMC sandbox with a shortened minute', () => {
	it('serves a method again once its interval has passed', async () => {
		const sandbox = await quietSandbox({ supervisionIntervalMs: 200 });
		try {
			await dmcOk(sandbox, 'SupervisionWS/findCraByIds', { contactIds: [1] });
			await sleep(250);
			await dmcOk(sandbox, 'SupervisionWS/findCraByIds', { contactIds: [1] });
			expect(sandbox.stats().supervisionViolations).toBe(0);
		} finally {
			await sandbox.close();
		}
	});
});

describe('DMC sandbox with strictSupervision: false (for tests that need the lenient behaviour)', () => {
	it('serves a call within the minute but still counts it as a violation', async () => {
		const sandbox = await quietSandbox({ strictSupervision: false });
		try {
			await dmcOk(sandbox, 'SupervisionWS/findCraByIds', { contactIds: [1] });
			await dmcOk(sandbox, 'SupervisionWS/findCraByIds', { contactIds: [1] });
			expect(sandbox.stats()).toMatchObject({ supervisionViolations: 1, refused: 0 });
		} finally {
			await sandbox.close();
		}
	});
});
