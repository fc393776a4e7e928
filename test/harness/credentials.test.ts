import type { ICredentialDataDecryptedObject, ICredentialType, IHttpRequestOptions, IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import nock from 'nock';

import { runNode } from '../../harness';
import { HarnessCredentials, NotSupportedByHarnessError } from '../../harness/credentials';
import { BASE_URL, credentials, DummyApi, DummySend, SERVICE_PASSWORD } from './dummyApi';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

/** DummySend with a credential that differs from DummyApi by one member. */
async function sendWith(credentialType: ICredentialType) {
	const scope = nock(BASE_URL).post('/send').reply(200, { success: true });
	const result = await runNode({
		nodeType: new DummySend(),
		credentialType,
		credentials,
		parameters: { phone: '+33600000001' },
		items: [{}],
	});
	return { result, sent: scope.isDone() };
}

describe('what the harness credential store does not support', () => {
	it('refuses a function authenticate, and nothing is sent', async () => {
		const type = Object.assign(new DummyApi(), {
			authenticate: async (_values: ICredentialDataDecryptedObject, options: IHttpRequestOptions) => options,
		});
		const { result, sent } = await sendWith(type);
		expect(sent).toBe(false);
		expect(result.error?.message).toMatch(/an authenticate other than a generic object is not supported by this harness/);
	});

	it('refuses pre-authentication, and nothing is sent', async () => {
		const type = Object.assign(new DummyApi(), { preAuthentication: async () => ({ token: 'x' }) });
		const { result, sent } = await sendWith(type);
		expect(sent).toBe(false);
		expect(result.error?.message).toMatch(/preAuthentication is not supported by this harness/);
	});

	it('refuses a credential type that extends another (OAuth), and nothing is sent', async () => {
		const type = Object.assign(new DummyApi(), { extends: ['oAuth2Api'] });
		const { result, sent } = await sendWith(type);
		expect(sent).toBe(false);
		expect(result.error?.message).toMatch(/extends oAuth2Api: inheriting \(OAuth\) credentials is not supported by this harness/);
	});

	it('says "not supported" for every method n8n-core does not need here', async () => {
		const store = new HarnessCredentials([new DummyApi()], { dummyApi: credentials });
		const details = { id: '1', name: 'Dummy' };
		await expect(store.runPreAuthentication()).rejects.toThrow(NotSupportedByHarnessError);
		await expect(store.getCredentials()).rejects.toThrow(/getCredentials \(encrypted credentials\) is not supported by this harness/);
		await expect(store.updateCredentials()).rejects.toThrow(/updateCredentials is not supported by this harness/);
		await expect(store.updateCredentialsOauthTokenData()).rejects.toThrow(/OAuth\) is not supported by this harness/);
		expect(() => store.getCredentialsProperties()).toThrow(/getCredentialsProperties is not supported by this harness/);
		// Still usable after all that: the values are intact.
		const values = await store.getDecrypted({} as IWorkflowExecuteAdditionalData, details, 'dummyApi');
		expect(values.servicePassword).toBe(SERVICE_PASSWORD);
	});
});

describe('what it does', () => {
	it('returns the given values with the defaults of the other properties', async () => {
		const store = new HarnessCredentials([new DummyApi()], { dummyApi: { serviceId: 'svc' } });
		await expect(store.getDecrypted({} as IWorkflowExecuteAdditionalData, { id: '1', name: 'Dummy' }, 'dummyApi')).resolves.toEqual({
			serviceId: 'svc',
			servicePassword: '',
			baseUrl: BASE_URL,
		});
	});

	it('fails a type it knows without values as n8n fails a missing credential, naming id and name', async () => {
		const store = new HarnessCredentials([new DummyApi()], {});
		await expect(store.getDecrypted({} as IWorkflowExecuteAdditionalData, { id: '7', name: 'Mine' }, 'dummyApi')).rejects.toThrow(
			'Credential with ID "7" (Mine) does not exist for type "dummyApi": no values were given for it',
		);
	});

	it('refuses values for a credential type it was not given', () => {
		expect(() => new HarnessCredentials([], { dummyApi: credentials })).toThrow(/unknown credential type\(s\) dummyApi/);
	});

	it('leaves a request alone when the credential type has no authenticate', async () => {
		const type = Object.assign(new DummyApi(), { authenticate: undefined });
		const store = new HarnessCredentials([type], { dummyApi: credentials });
		const options: IHttpRequestOptions = { url: `${BASE_URL}/send`, body: { a: 1 } };
		await expect(store.authenticate(credentials, 'dummyApi', options)).resolves.toEqual({ url: `${BASE_URL}/send`, body: { a: 1 } });
	});
});
