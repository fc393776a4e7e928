import { connectDmc } from '../../nodes/SfrDmc/transport/connectDmc';
import { loginFingerprint } from '../../nodes/SfrDmc/transport/loginFingerprint';
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
		for (const other of [{ servicePassword: `${PASSWORD}x` }, { spaceId: 'space-2' }, { serviceId: 'svc-2' }, { baseUrl: 'https://dmc.test/DmcWS/1.6.0/JsonService' }]) {
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
