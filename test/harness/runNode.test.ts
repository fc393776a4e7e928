import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import nock from 'nock';

import { runNodesConcurrently } from '../../harness';
import { credentials, DummyApi, DummySend, expectedAuthenticate, interceptSend, run, SERVICE_PASSWORD } from './dummyApi';

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

		const result = await run({ failOn: '+33600000002' }, [{ phone: '+33600000001' }, { phone: '+33600000002' }], true);

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
		expect(auths).toEqual([expectedAuthenticate, JSON.stringify({ serviceId: 'other', servicePassword: 'other-pw' })].sort());
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
