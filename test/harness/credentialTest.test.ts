import nock from 'nock';

import { testCredential } from '../../harness';
import { BASE_URL, credentials, DummyApi, expectedAuthenticate } from './dummyApi';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('testCredential', () => {
	it('runs test.request through authenticate and evaluates rules', async () => {
		const bodies: string[] = [];
		nock(BASE_URL)
			.post('/check')
			.reply(200, (_uri, body) => {
				bodies.push(String(body));
				return { success: true };
			})
			.post('/check')
			.reply(200, { success: false });

		await expect(testCredential(new DummyApi(), credentials)).resolves.toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(new URLSearchParams(bodies[0]).get('authenticate')).toBe(expectedAuthenticate);
		await expect(testCredential(new DummyApi(), credentials)).resolves.toEqual({
			status: 'Error',
			message: 'Invalid service credentials',
		});
	});
});
