import { sleep } from 'n8n-workflow';

import { connectDmc } from '../../nodes/SfrDmc/transport/connectDmc';
import { loginFingerprint } from '../../nodes/SfrDmc/transport/loginFingerprint';
import { callsPerSecondPerProcess, limiterForService, type RollingWindowLimiter } from '../../nodes/SfrDmc/transport/rateLimiter';
import { NODE } from '../actions/executeContext';

const PASSWORD = 'S3cr3t+P@ss&w=rd/1';

function context(credentials: Record<string, unknown>) {
	const cancel = new AbortController();
	const thisArgs: unknown[] = [];
	const httpRequestWithAuthentication = jest.fn(async function (this: unknown) {
		thisArgs.push(this);
		return { body: '{"success":true,"response":["SFR"]}', statusCode: 200 };
	});
	const getCredentials = jest.fn(async () => credentials);
	return {
		thisArgs,
		getCredentials,
		context: {
			getCredentials,
			getNode: () => NODE,
			getExecutionCancelSignal: () => cancel.signal,
			logger: { warn: jest.fn() },
			helpers: { httpRequestWithAuthentication },
		} as never,
	};
}

const login = (overrides: Record<string, unknown> = {}) => ({
	serviceId: 'svc',
	servicePassword: PASSWORD,
	spaceId: 'space',
	baseUrl: 'https://dmc.test/DmcWS/1.5.8/JsonService',
	...overrides,
});

describe('connectDmc', () => {
	it("keys a client's login by API, service, space and a fingerprint of the password, never the password itself", async () => {
		const keyOf = async (overrides: Record<string, unknown> = {}) => (await connectDmc(context(login(overrides)).context)).loginKey;
		const key = await keyOf();
		expect(await keyOf()).toBe(key);
		for (const other of [
			{ servicePassword: `${PASSWORD}x` },
			{ spaceId: 'space-2' },
			{ serviceId: 'svc-2' },
			{ baseUrl: 'https://dmc.test/DmcWS/1.6.0/JsonService' },
		]) {
			expect(await keyOf(other)).not.toBe(key);
		}
		for (const form of [PASSWORD, encodeURIComponent(PASSWORD), JSON.stringify(PASSWORD).slice(1, -1)]) expect(key).not.toContain(form);
		expect(key).toContain(loginFingerprint(PASSWORD));
	});

	it("makes requests through n8n's helper with a context that has no cancel signal, so a shared call is not aborted with one execution", async () => {
		const mock = context(login());
		const client = await connectDmc(mock.context);
		expect(await client.findServiceOadc()).toEqual(['SFR']);
		const [thisArg] = mock.thisArgs as Array<{ getCredentials: (type: string) => Promise<unknown>; getNode: () => unknown }>;
		expect('getExecutionCancelSignal' in (thisArg as object)).toBe(false);
		expect(thisArg.getNode()).toBe(NODE);
		await thisArg.getCredentials('sfrDmcApi');
		expect(mock.getCredentials).toHaveBeenLastCalledWith('sfrDmcApi', undefined);
	});
});

describe('loginFingerprint', () => {
	it('is 16 hex digits, stable, and tells close passwords apart', () => {
		expect(loginFingerprint(PASSWORD)).toMatch(/^[0-9a-f]{16}$/);
		expect(loginFingerprint(PASSWORD)).toBe(loginFingerprint(PASSWORD));
		const variants = ['', 'a', 'b', 'ab', 'ba', PASSWORD, `${PASSWORD} `, PASSWORD.toLowerCase()];
		expect(new Set(variants.map(loginFingerprint)).size).toBe(variants.length);
	});
});

describe('callsPerSecondPerProcess', () => {
	it.each([
		[5, 1, 5],
		[5, 2, 2],
		[5, 3, 1],
		[10, 3, 3],
		[20, 4, 5],
		[2, 3, 1],
		[5, 12, 1],
	])('gives each of the processes ⌊%i ÷ %i⌋, at least 1: %i', (max, processes, share) => {
		expect(callsPerSecondPerProcess(max, processes)).toBe(share);
	});

	it('counts one process when the credential predates the field', () => {
		expect(callsPerSecondPerProcess(5)).toBe(5);
	});

	it.each([
		[5, 0, 'n8n Processes Sharing This Service must be a whole number of at least 1, not 0'],
		[5, 1.5, 'n8n Processes Sharing This Service must be a whole number of at least 1, not 1.5'],
		[0, 1, 'Max Calls per Second must be a whole number of at least 1, not 0'],
	])('refuses max %p with %p processes, naming the field and the value', (max, processes, message) => {
		expect(() => callsPerSecondPerProcess(max, processes)).toThrow(message);
	});
});

describe('connectDmc and the per-process share', () => {
	/** How many acquires resolve at once on a limiter nobody releases. */
	async function slotsAtOnce(limiter: RollingWindowLimiter, tries: number): Promise<number> {
		let granted = 0;
		for (let n = 0; n < tries; n++) void limiter.acquire().then(() => granted++);
		for (let n = 0; n < 10; n++) await sleep(0);
		return granted;
	}

	function shareContext(credentials: Record<string, unknown>) {
		return {
			getCredentials: async () => ({ serviceId: 'svc', servicePassword: 'secret', spaceId: 'space', ...credentials }) as never,
			getNode: () => ({
				id: 'n',
				name: 'SFR DMC',
				type: 'sfrDmcSms',
				typeVersion: 1,
				position: [0, 0] as [number, number],
				parameters: {},
			}),
			helpers: { httpRequestWithAuthentication: async () => ({}), httpRequest: async () => ({}) },
			logger: { warn: jest.fn() } as never,
		};
	}

	it.each([
		['main and 2 workers at 5: 1 call at a time', { maxCallsPerSecond: 5, processes: 3 }, 1],
		['2 processes at 5: 2', { maxCallsPerSecond: 5, processes: 2 }, 2],
		['a credential saved before the field: the whole cap', { maxCallsPerSecond: 5 }, 5],
	])('gives the service limiter the per-process share (%s)', async (_, credentials, share) => {
		const baseUrl = `https://dmc-share-${share}-${Object.keys(credentials).length}.example/DmcWS/1.5.8/JsonService`;
		await connectDmc(shareContext({ ...credentials, baseUrl }));
		const limiter = limiterForService(new URL(baseUrl).host, 'svc');
		expect(await slotsAtOnce(limiter, 8)).toBe(share);
	});
});
