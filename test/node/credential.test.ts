import nock from 'nock';

import { SfrDmcApi } from '../../credentials/SfrDmcApi.credentials';
import { testCredential } from '../../harness';
import { DMC_ORIGIN, DMC_PATH, dmcCredentials, PASSWORD } from './dmcMock';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

function mockFindServiceOadc(reply: Record<string, unknown>) {
	const seen: Array<{ method: string; path: string; body: Record<string, string> }> = [];
	nock(DMC_ORIGIN)
		.post(`${DMC_PATH}/AdminWS/findServiceOadc`)
		.reply(function (uri, body) {
			seen.push({ method: this.req.method, path: uri, body: Object.fromEntries(new URLSearchParams(String(body))) });
			return [200, reply];
		});
	return seen;
}

describe('SFR DMC API credential', () => {
	it('tests the login with a side-effect-free findServiceOadc, the login in the POST body', async () => {
		const seen = mockFindServiceOadc({ success: true, response: ['SFR', 'MAIRIE'] });
		const result = await testCredential(new SfrDmcApi(), dmcCredentials({ serviceId: 'svc-cred' }));
		expect(result.status).toBe('OK');
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

	it('fails with a clear message when DMC answers success:false', async () => {
		mockFindServiceOadc({ success: false, errorCode: 'authentication_failed', errorDetail: 'Bad login', fatal: true });
		const result = await testCredential(new SfrDmcApi(), dmcCredentials());
		expect(result).toEqual({
			status: 'Error',
			message: 'DMC refused the login: check the service ID, password and space ID',
		});
	});

	it('keeps the password a password field, and SFR production the default base URL', () => {
		const properties = new SfrDmcApi().properties;
		expect(properties.find((property) => property.name === 'servicePassword')?.typeOptions?.password).toBe(true);
		expect(properties.find((property) => property.name === 'baseUrl')?.default).toBe(
			'https://www.dmc.sfr-sh.fr/DmcWS/1.5.8/JsonService',
		);
		expect(properties.find((property) => property.name === 'maxCallsPerSecond')?.default).toBe(5);
	});
});
