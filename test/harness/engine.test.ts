import nock from 'nock';
import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { runNode, runNodesConcurrently, testCredential } from '../../harness/engine';

const BASE_URL = 'http://dummy-api.test';
const SERVICE_ID = 'svc-123';
const SERVICE_PASSWORD = 'p@ss w&rd=1';

class DummyApi implements ICredentialType {
	name = 'dummyApi';

	displayName = 'Dummy API';

	documentationUrl = 'https://example.com/docs';

	properties: INodeProperties[] = [
		{ displayName: 'Service ID', name: 'serviceId', type: 'string', default: '' },
		{
			displayName: 'Service Password',
			name: 'servicePassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: BASE_URL },
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			body: {
				authenticate:
					'={{JSON.stringify({serviceId:$credentials.serviceId, servicePassword:$credentials.servicePassword})}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/check',
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: { ping: '1' },
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'success', value: false, message: 'Invalid service credentials' },
			},
		],
	};
}

type BodyMode = 'object' | 'urlSearchParams' | 'string' | 'objectNoContentType';

const description: INodeTypeDescription = {
	displayName: 'Dummy Send',
	name: 'dummySend',
	group: ['output'],
	version: 1,
	description: 'Test node',
	defaults: { name: 'Dummy Send' },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [{ name: 'dummyApi', required: true }],
	properties: [
		{ displayName: 'Phone', name: 'phone', type: 'string', default: '' },
		{ displayName: 'Text', name: 'text', type: 'string', default: 'hello' },
		{ displayName: 'Fail On Phone', name: 'failOn', type: 'string', default: '' },
		{
			displayName: 'Body Mode',
			name: 'bodyMode',
			type: 'options',
			options: [
				{ name: 'Object', value: 'object' },
				{ name: 'URLSearchParams', value: 'urlSearchParams' },
				{ name: 'String', value: 'string' },
				{ name: 'Object Without Content-Type', value: 'objectNoContentType' },
			],
			default: 'object',
		},
	],
};

class DummySend implements INodeType {
	description = description;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const returnData: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const phone = this.getNodeParameter('phone', i) as string;
				const text = this.getNodeParameter('text', i) as string;
				const bodyMode = this.getNodeParameter('bodyMode', i) as BodyMode;
				if (phone === this.getNodeParameter('failOn', i)) {
					throw new NodeOperationError(this.getNode(), `Refusing to send to ${phone}`, {
						itemIndex: i,
					});
				}
				const fields = { to: phone, text };
				const options: IHttpRequestOptions = {
					method: 'POST',
					url: `${BASE_URL}/send`,
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					json: true,
				};
				if (bodyMode === 'object') options.body = fields;
				if (bodyMode === 'urlSearchParams') options.body = new URLSearchParams(fields);
				if (bodyMode === 'string') options.body = new URLSearchParams(fields).toString();
				if (bodyMode === 'objectNoContentType') {
					options.body = fields;
					options.headers = {};
				}
				const response = (await this.helpers.httpRequestWithAuthentication.call(
					this,
					'dummyApi',
					options,
				)) as IDataObject;
				returnData.push({ json: { phone, response }, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					returnData.push({
						json: { error: (error as Error).message },
						error: error as NodeOperationError,
						pairedItem: { item: i },
					});
					continue;
				}
				if (error instanceof NodeApiError) throw new NodeApiError(this.getNode(), error as unknown as JsonObject);
				throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: i });
			}
		}
		return [returnData];
	}
}

const credentials = { serviceId: SERVICE_ID, servicePassword: SERVICE_PASSWORD };
const expectedAuthenticate = JSON.stringify({
	serviceId: SERVICE_ID,
	servicePassword: SERVICE_PASSWORD,
});

interface Captured {
	body: string;
	headers: Record<string, string | string[] | undefined>;
}

/** Intercepts `times` POST /send and records the raw body string + headers. */
function interceptSend(times: number, status = 200) {
	const captured: Captured[] = [];
	const scope = nock(BASE_URL)
		.post('/send')
		.times(times)
		.reply(function (_uri, requestBody) {
			captured.push({
				body: typeof requestBody === 'string' ? requestBody : JSON.stringify(requestBody),
				headers: this.req.headers,
			});
			return status === 200
				? [200, { success: true, id: captured.length }]
				: [status, { success: false, message: 'Bad credentials' }];
		});
	return { scope, captured };
}

function run(parameters: IDataObject, items: IDataObject[], continueOnFail = false) {
	return runNode({
		nodeType: new DummySend(),
		credentialType: new DummyApi(),
		credentials,
		parameters: { phone: '={{ $json.phone }}', ...parameters },
		items,
		continueOnFail,
	});
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('engine harness (real WorkflowExecute)', () => {
	it('applies generic authenticate into a form-urlencoded body, resolves expressions per item, keeps pairedItem', async () => {
		const { scope, captured } = interceptSend(2);

		const result = await run({ text: '={{ "Hi " + $json.name }}' }, [
			{ phone: '+33600000001', name: 'Ann' },
			{ phone: '+33600000002', name: 'Bob' },
		]);

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		// Exact wire format: fields of the body object, then the authenticate field appended
		// by the generic authenticate, form-encoded by axios (URLSearchParams encoding).
		expect(captured.map((c) => c.body)).toEqual([
			new URLSearchParams({ to: '+33600000001', text: 'Hi Ann', authenticate: expectedAuthenticate }).toString(),
			new URLSearchParams({ to: '+33600000002', text: 'Hi Bob', authenticate: expectedAuthenticate }).toString(),
		]);
		expect(captured[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
		const decoded = new URLSearchParams(captured[0].body);
		expect(JSON.parse(decoded.get('authenticate')!)).toEqual(credentials);

		expect(result.items).toEqual([
			{
				json: { phone: '+33600000001', response: { success: true, id: 1 } },
				pairedItem: { item: 0 },
			},
			{
				json: { phone: '+33600000002', response: { success: true, id: 2 } },
				pairedItem: { item: 1 },
			},
		]);
		expect(result.runData['Start'][0].executionStatus).toBe('success');
		expect(result.runData['Dummy Send'][0].executionStatus).toBe('success');
	});

	it('returns the thrown NodeOperationError in result.error', async () => {
		const result = await run({ failOn: '+33600000009' }, [{ phone: '+33600000009' }]);

		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(result.error?.message).toBe('Refusing to send to +33600000009');
		expect(result.items).toEqual([]);
		expect(result.runData['Dummy Send'][0].executionStatus).toBe('error');
		expect(result.run.status).toBe('error');
	});

	it('returns the NodeApiError thrown by httpRequestWithAuthentication on HTTP 401 (n8n retries a 401 once)', async () => {
		const { captured } = interceptSend(2, 401);

		const result = await run({}, [{ phone: '+33600000001' }]);

		expect(result.error).toBeInstanceOf(NodeApiError);
		expect((result.error as NodeApiError).httpCode).toBe('401');
		// n8n-core's httpRequestWithAuthentication re-runs preAuthentication + authenticate and
		// re-sends once on 401 (isTokenExpiredStatusCode), even without an expirable property.
		expect(captured).toHaveLength(2);
		expect(captured[1].body).toBe(captured[0].body);
		expect(JSON.stringify(result.runData)).not.toContain(SERVICE_PASSWORD);
	});

	it('with continueOnFail the node emits an error item (engine keeps json.error + error)', async () => {
		const { captured } = interceptSend(1);

		const result = await run(
			{ failOn: '+33600000002' },
			[{ phone: '+33600000001' }, { phone: '+33600000002' }],
			true,
		);

		expect(result.error).toBeUndefined();
		expect(captured).toHaveLength(1);
		expect(result.items).toHaveLength(2);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(result.items[1]).toMatchObject({
			json: { error: 'Refusing to send to +33600000002' },
			pairedItem: { item: 1 },
		});
		expect(result.items[1].error).toBeInstanceOf(NodeOperationError);
	});

	it('runs two executions concurrently', async () => {
		const { captured } = interceptSend(2);

		const [a, b] = await runNodesConcurrently([
			{
				nodeType: new DummySend(),
				credentialType: new DummyApi(),
				credentials,
				parameters: { phone: '={{ $json.phone }}' },
				items: [{ phone: '+33600000001' }],
			},
			{
				nodeType: new DummySend(),
				credentialType: new DummyApi(),
				credentials: { serviceId: 'other', servicePassword: 'other-pw' },
				parameters: { phone: '={{ $json.phone }}' },
				items: [{ phone: '+33600000002' }],
			},
		]);

		expect(a.error).toBeUndefined();
		expect(b.error).toBeUndefined();
		expect(a.items[0].json.phone).toBe('+33600000001');
		expect(b.items[0].json.phone).toBe('+33600000002');
		const auths = captured.map((c) => new URLSearchParams(c.body).get('authenticate')).sort();
		expect(auths).toEqual(
			[expectedAuthenticate, JSON.stringify({ serviceId: 'other', servicePassword: 'other-pw' })].sort(),
		);
	});
});

describe('wire format of other body shapes (documented facts)', () => {
	it('URLSearchParams body: form-encoded, but the generic authenticate field is LOST', async () => {
		const { captured } = interceptSend(1);

		const result = await run({ bodyMode: 'urlSearchParams' }, [{ phone: '+33600000001' }]);

		expect(result.error).toBeUndefined();
		expect(captured[0].body).toBe('to=%2B33600000001&text=hello');
	});

	it('string body: the generic authenticate cannot be merged and the request is not sent', async () => {
		const { captured } = interceptSend(1);

		const result = await run({ bodyMode: 'string' }, [{ phone: '+33600000001' }]);

		expect(captured).toHaveLength(0);
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.error?.message).toMatch(/Cannot create property 'authenticate' on string/);
	});

	it('object body without content-type header: sent as JSON', async () => {
		const { captured } = interceptSend(1);

		const result = await run({ bodyMode: 'objectNoContentType' }, [{ phone: '+33600000001' }]);

		expect(result.error).toBeUndefined();
		expect(captured[0].headers['content-type']).toMatch(/^application\/json/);
		expect(JSON.parse(captured[0].body)).toEqual({
			to: '+33600000001',
			text: 'hello',
			authenticate: expectedAuthenticate,
		});
	});
});

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
