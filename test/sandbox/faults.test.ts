import type { Sandbox } from '../../sandbox';
import { dmcFields, dmcOk, dmcUrl, quietSandbox, sms, waitFor } from './helpers';

describe('DMC sandbox injected faults', () => {
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await quietSandbox();
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	/** A raw batchSingleCall POST, so the test sees whatever the fault produces. */
	function postBatch(texts: string[], signal?: AbortSignal): Promise<Response> {
		return fetch(dmcUrl(sandbox, 'MessagesUnitairesWS/batchSingleCall'), {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: dmcFields({ messageUnitaires: texts.map((t) => sms('+33612345678', t)) }).toString(),
			signal,
		});
	}

	async function injectOverHttp(spec: unknown): Promise<Response> {
		return fetch(`${sandbox.url}/_sandbox/faults`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(spec),
		});
	}

	const storedTexts = () => sandbox.messages().map((m) => m.text);

	it('html502: answers HTTP 502 with an HTML page and stores nothing', async () => {
		expect((await injectOverHttp({ kind: 'html502' })).status).toBe(200);
		const response = await postBatch(['lost']);
		expect(response.status).toBe(502);
		expect(response.headers.get('content-type')).toContain('text/html');
		expect(await response.text()).toContain('<h1>502 Bad Gateway</h1>');
		expect(storedTexts()).toEqual([]);
		expect(sandbox.stats().faultsApplied).toBe(1);
	});

	it('successFalse: answers a failure envelope with the chosen code and stores nothing', async () => {
		sandbox.injectFaults({ kind: 'successFalse', errorCode: 'option_quota_overflowed', errorDetail: 'Quota atteint' });
		const response = await postBatch(['lost']);
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({
			success: false,
			errorCode: 'option_quota_overflowed',
			errorDetail: 'Quota atteint',
			fatal: true,
			invalidParams: false,
		});
		expect(storedTexts()).toEqual([]);
	});

	it('successFalse defaults to corruption_base', async () => {
		sandbox.injectFaults({ kind: 'successFalse' });
		expect(await (await postBatch(['lost'])).json()).toMatchObject({ success: false, errorCode: 'corruption_base' });
	});

	it('garbage: answers HTTP 200 with a body that is not JSON; stores only with afterStore', async () => {
		sandbox.injectFaults([{ kind: 'garbage' }, { kind: 'garbage', afterStore: true }]);
		for (const text of ['lost', 'kept']) {
			const response = await postBatch([text]);
			expect(response.status).toBe(200);
			const body = await response.text();
			expect(() => JSON.parse(body)).toThrow();
		}
		expect(storedTexts()).toEqual(['kept']);
	});

	it('noAnswer: never answers; stores nothing by default', async () => {
		sandbox.injectFaults({ kind: 'noAnswer' });
		await expect(postBatch(['lost'], AbortSignal.timeout(300))).rejects.toThrow();
		expect(storedTexts()).toEqual([]);
		expect(sandbox.stats().faultsApplied).toBe(1);
	});

	it('noAnswer with afterStore: stores the messages, then never answers (unknown outcome)', async () => {
		sandbox.injectFaults({ kind: 'noAnswer', afterStore: true });
		await expect(postBatch(['kept 1', 'kept 2'], AbortSignal.timeout(300))).rejects.toThrow();
		expect(storedTexts()).toEqual(['kept 1', 'kept 2']);
	});

	it('reset: destroys the connection without an answer; stores only with afterStore', async () => {
		sandbox.injectFaults([{ kind: 'reset' }, { kind: 'reset', afterStore: true }]);
		await expect(postBatch(['lost'])).rejects.toThrow();
		await expect(postBatch(['kept'])).rejects.toThrow();
		expect(storedTexts()).toEqual(['kept']);
	});

	it('applies a fault to the next N calls, then answers normally', async () => {
		sandbox.injectFaults({ kind: 'html502', count: 2 });
		expect((await postBatch(['a'])).status).toBe(502);
		expect(sandbox.pendingFaults()).toEqual([expect.objectContaining({ kind: 'html502', remaining: 1 })]);
		expect((await postBatch(['b'])).status).toBe(502);
		const ok = await postBatch(['c']);
		expect(ok.status).toBe(200);
		expect(await ok.json()).toMatchObject({ success: true });
		expect(storedTexts()).toEqual(['c']);
		expect(sandbox.pendingFaults()).toEqual([]);
	});

	it('consumes faults in order and can target one method', async () => {
		sandbox.injectFaults([
			{ kind: 'successFalse', method: 'batchSingleCall', errorCode: 'first' },
			{ kind: 'successFalse', method: 'MessagesUnitairesWS/batchSingleCall', errorCode: 'second' },
		]);
		await dmcOk(sandbox, 'AdminWS/findServiceOadc');
		expect(await (await postBatch(['x'])).json()).toMatchObject({ errorCode: 'first' });
		expect(await (await postBatch(['y'])).json()).toMatchObject({ errorCode: 'second' });
		expect(await (await postBatch(['z'])).json()).toMatchObject({ success: true });
	});

	it('still counts faulted calls for the rate limit', async () => {
		sandbox.injectFaults({ kind: 'html502', count: 3 });
		for (let i = 0; i < 3; i++) await postBatch(['x']);
		expect(sandbox.stats()).toMatchObject({ calls: 3, faultsApplied: 3 });
	});

	it('lists and clears pending faults over HTTP, and reset drops them too', async () => {
		await injectOverHttp([{ kind: 'garbage', count: 2 }, { kind: 'reset' }]);
		const pending = await (await fetch(`${sandbox.url}/_sandbox/faults`)).json();
		expect(pending).toEqual([
			{
				kind: 'garbage',
				remaining: 2,
				afterStore: false,
				errorCode: 'corruption_base',
				errorDetail: expect.any(String),
				method: null,
				to: null,
			},
			expect.objectContaining({ kind: 'reset', remaining: 1 }),
		]);
		expect((await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' })).status).toBe(200);
		expect(sandbox.pendingFaults()).toEqual([]);
		sandbox.injectFaults({ kind: 'html502' });
		sandbox.reset();
		expect(sandbox.pendingFaults()).toEqual([]);
	});

	it.each([
		['an unknown kind', { kind: 'explode' }],
		['a bad count', { kind: 'html502', count: 0 }],
		['afterStore on missingIds set to false', { kind: 'missingIds', afterStore: false }],
		['afterStore on successFalse', { kind: 'successFalse', afterStore: true }],
		['a non-object', 'html502'],
	])('refuses %s with HTTP 400 and queues nothing', async (_label, spec) => {
		const response = await injectOverHttp(spec);
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({ error: expect.any(String) });
		expect(sandbox.pendingFaults()).toEqual([]);
		expect(() => sandbox.injectFaults(spec as never)).toThrow();
	});

	it('refuses a body that is not JSON', async () => {
		const response = await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'POST', body: 'kind=html502' });
		expect(response.status).toBe(400);
	});

	it('closes cleanly while a noAnswer call is still held open', async () => {
		const other = await quietSandbox();
		other.injectFaults({ kind: 'noAnswer' });
		const pending = fetch(`${other.baseUrl}/AdminWS/findServiceOadc`).then(
			() => 'answered',
			() => 'failed',
		);
		await waitFor(() => (other.stats().faultsApplied === 1 ? true : undefined));
		await other.close();
		expect(await pending).toBe('failed');
	});
});
