/**
 * The credential's test as n8n runs it (declarative request and rules, through n8n-core's
 * RoutingNode): what goes over the wire, and what the user is told for each way it fails.
 */
import nock from 'nock';
import { NodeHelpers } from 'n8n-workflow';

import { SfrDmcApi } from '../../credentials/SfrDmcApi.credentials';
import { testCredential } from '../../harness';
import { BASE_URL_HINT, DEFAULT_BASE_URL, LOGIN_HINT } from '../../nodes/SfrDmc/transport/dmcHints';
import { DMC_ORIGIN, DMC_PATH, dmcCredentials, PASSWORD } from '../node/dmcMock';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

interface SeenCall {
	method: string;
	path: string;
	body: Record<string, string>;
}

function mockFindServiceOadc(status: number, reply: string | Record<string, unknown>, origin = DMC_ORIGIN, path = DMC_PATH) {
	const seen: SeenCall[] = [];
	nock(origin)
		.post(`${path}/AdminWS/findServiceOadc`)
		.reply(function (uri, body) {
			seen.push({ method: this.req.method, path: uri, body: Object.fromEntries(new URLSearchParams(String(body))) });
			return [status, reply, typeof reply === 'string' ? { 'content-type': 'text/html' } : { 'content-type': 'application/json' }];
		});
	return seen;
}

const URL_VERDICT = { status: 'Error', message: `This address did not answer as DMC does. ${BASE_URL_HINT}` };
const LOGIN_VERDICT = { status: 'Error', message: `DMC refused the login. ${LOGIN_HINT}` };

describe('SFR DMC API credential test', () => {
	it('tests the login with a side-effect-free findServiceOadc, the login in the POST body', async () => {
		const seen = mockFindServiceOadc(200, { success: true, response: ['SFR', 'MAIRIE'] });
		const result = await testCredential(new SfrDmcApi(), dmcCredentials({ serviceId: 'svc-cred' }));
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(seen).toHaveLength(1);
		expect(seen[0].method).toBe('POST');
		// The trailing slash of the base URL is tolerated: no double slash in the path.
		expect(seen[0].path).toBe(`${DMC_PATH}/AdminWS/findServiceOadc`);
		expect(seen[0].path).not.toContain(encodeURIComponent(PASSWORD));
		expect(JSON.parse(seen[0].body.authenticate)).toEqual({
			serviceId: 'svc-cred',
			servicePassword: PASSWORD,
			spaceId: 'space-7',
			lang: 'en_GB',
		});
	});

	it("falls back to SFR's base URL when the field was cleared, as the nodes do", async () => {
		const production = new URL(DEFAULT_BASE_URL);
		const seen = mockFindServiceOadc(200, { success: true, response: ['SFR'] }, production.origin, production.pathname);
		expect(await testCredential(new SfrDmcApi(), dmcCredentials({ baseUrl: '' }))).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(seen.map((call) => call.path)).toEqual([`${production.pathname}/AdminWS/findServiceOadc`]);
	});

	it('points at the Service ID, Service Password and Space ID when DMC refuses the login', async () => {
		mockFindServiceOadc(200, { success: false, errorCode: 'authentication_failed', errorDetail: `Bad login ${PASSWORD}`, fatal: true });
		const result = await testCredential(new SfrDmcApi(), dmcCredentials());
		expect(result).toEqual(LOGIN_VERDICT);
		expect(result.message).toContain('Check the Service ID, Service Password and Space ID');
		expect(JSON.stringify(result)).not.toContain(PASSWORD);
	});

	it.each<[string, number, string | Record<string, unknown>]>([
		['a 404 page (the path misses /JsonService)', 404, '<html><body>Not Found</body></html>'],
		['an HTML page answered with 200', 200, '<html><body>Welcome</body></html>'],
		['JSON that is not a DMC answer', 200, { status: 'ok' }],
		['a gateway error', 502, '<html>Bad Gateway</html>'],
	])('points at the API Base URL for %s', async (_, status, reply) => {
		mockFindServiceOadc(status, reply);
		const result = await testCredential(new SfrDmcApi(), dmcCredentials());
		expect(result).toEqual(URL_VERDICT);
		expect(result.message).toContain('it ends in /JsonService');
		expect(result.message).toContain(DEFAULT_BASE_URL);
	});

	it('leaves a refused connection to n8n, which shows only the system code (no rule is consulted)', async () => {
		nock.enableNetConnect('127.0.0.1');
		// Port 1 on the loopback: nothing listens there.
		const result = await testCredential(new SfrDmcApi(), dmcCredentials({ baseUrl: 'http://127.0.0.1:1/DmcWS/1.5.8/JsonService' }));
		expect(result).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});
});

describe('SFR DMC API credential fields', () => {
	it('keeps the password a password field, and SFR production the default base URL', () => {
		const properties = new SfrDmcApi().properties;
		expect(properties.find((property) => property.name === 'servicePassword')?.typeOptions?.password).toBe(true);
		expect(properties.find((property) => property.name === 'baseUrl')?.default).toBe('https://www.dmc.sfr-sh.fr/DmcWS/1.5.8/JsonService');
		expect(properties.find((property) => property.name === 'maxCallsPerSecond')?.default).toBe(5);
	});
});

describe('SFR DMC API credential: processes sharing the service', () => {
	const properties = new SfrDmcApi().properties;
	/** The notices n8n's credential form shows for these field values (as it decides it: displayParameter). */
	const shownNotices = (values: Record<string, number>) =>
		properties
			.filter((property) => property.type === 'notice' && NodeHelpers.displayParameter(values, property, null, null))
			.map((property) => property.displayName);

	it('asks how many n8n processes share the service, one by default', () => {
		const field = properties.find((property) => property.name === 'processes');
		expect(field).toMatchObject({
			displayName: 'n8n Processes Sharing This Service',
			type: 'number',
			default: 1,
			typeOptions: { minValue: 1 },
		});
	});

	it.each([
		[{ maxCallsPerSecond: 5, processes: 1 }],
		[{ maxCallsPerSecond: 5, processes: 3 }],
		[{ maxCallsPerSecond: 5, processes: 5 }],
		[{ maxCallsPerSecond: 2, processes: 2 }],
	])('says nothing while the cap can be split: %p', (values) => {
		expect(shownNotices(values)).toEqual([]);
	});

	it.each([
		[{ maxCallsPerSecond: 5, processes: 6 }, 5],
		[{ maxCallsPerSecond: 2, processes: 3 }, 2],
		[{ maxCallsPerSecond: 1, processes: 2 }, 1],
		[{ maxCallsPerSecond: 20, processes: 21 }, 20],
	])('says the cap cannot be held when processes outnumber it: %p', (values, cap) => {
		const notices = shownNotices(values);
		expect(notices).toHaveLength(1);
		expect(notices[0]).toContain(`More processes than Max Calls per Second (${cap})`);
		expect(notices[0]).toContain('SFR may suspend the service');
	});
});
