/**
 * What the sandbox plays so that doubt can be tested: answers lost after DMC took the call,
 * reports that list a message late, phones that stay RUNNING, stopSingleCall, and the
 * forms of `callDetail`/`callDetailCode` real answers take.
 */
import { configFromEnv, type Sandbox } from '../../sandbox';
import { dmcFail, dmcFields, dmcOk, dmcUrl, fakeClock, quietSandbox, sms, type FakeClock, READS_REPORTS_AT_WILL } from './helpers';

interface CraByIds {
	contactId: number;
	externalReference: string | null;
	creationDate: number;
	callAdress: string;
	status: string;
	callResultCode: string;
	callDetail: string;
	callDetailCode?: string;
}

describe('DMC sandbox: doubt and cancel realism (fake clock)', () => {
	let sandbox: Sandbox;
	let clock: FakeClock;

	beforeAll(async () => {
		clock = fakeClock();
		sandbox = await quietSandbox({ now: clock.now, deliveryDelayMs: 1000, failureDelayMs: 1000, ...READS_REPORTS_AT_WILL });
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	const send = (messages: unknown[]) => dmcOk<number[]>(sandbox, 'MessagesUnitairesWS/batchSingleCall', { messageUnitaires: messages });
	const byRefs = (refs: string[], lang?: string) =>
		dmcOk<CraByIds[]>(
			sandbox,
			'SupervisionWS/findCraByIds',
			{ contactIds: [], contactExtRefs: refs },
			lang ? { auth: { serviceId: 'sandbox-service', servicePassword: 'sandbox-password', spaceId: 'sandbox-space', lang } } : {},
		);

	function postBatch(messages: unknown[], signal?: AbortSignal): Promise<Response> {
		return fetch(dmcUrl(sandbox, 'MessagesUnitairesWS/batchSingleCall'), {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: dmcFields({ messageUnitaires: messages }).toString(),
			signal,
		});
	}

	it('html502 with afterStore: DMC took the call, the gateway lost the answer', async () => {
		sandbox.injectFaults({ kind: 'html502', afterStore: true });
		const response = await postBatch([sms('+33612345678', 'kept', { refExt: 'r-502' })]);
		expect(response.status).toBe(502);
		expect(sandbox.messages().map((m) => [m.text, m.refExt])).toEqual([['kept', 'r-502']]);
	});

	it('missingIds: stores every message and answers one id short', async () => {
		sandbox.injectFaults({ kind: 'missingIds' });
		const response = await postBatch([sms('+33612345678', 'one'), sms('+33698765432', 'two')]);
		const body = (await response.json()) as { success: boolean; response: number[] };
		const stored = sandbox.messages().map((m) => m.id);
		expect(stored).toHaveLength(2);
		expect(body).toEqual({ success: true, response: [stored[0]] });
	});

	it('reset with afterStore: the messages are stored though the socket is destroyed', async () => {
		sandbox.injectFaults({ kind: 'reset', afterStore: true });
		await expect(postBatch([sms('+33612345678', 'kept')])).rejects.toThrow();
		expect(sandbox.messages()).toHaveLength(1);
	});

	it('findCraByIds by contactExtRefs answers what matching needs: id, reference, creation date, E.164 number', async () => {
		const [id] = await send([sms('0612345678', 'hello', { refExt: 'req-7' })]);
		const created = clock.now();
		clock.advance(10);
		expect(await byRefs(['req-7', 'nothing'])).toEqual([
			expect.objectContaining({ contactId: id, externalReference: 'req-7', creationDate: created, callAdress: '+33612345678' }),
		]);
	});

	it('lists a stored message in reports only reportDelayMs after it was stored, set live and undone by reset', async () => {
		expect(sandbox.configure({ reportDelayMs: 5000 }).reportDelayMs).toBe(5000);
		const [id] = await send([sms('+33612345678', 'late', { refExt: 'late' })]);
		expect(sandbox.messages().map((m) => m.id)).toEqual([id]);
		clock.advance(4999);
		expect(await byRefs(['late'])).toEqual([]);
		const cra = () => dmcOk<{ list: unknown[]; total: number }>(sandbox, 'MessagesUnitairesWS/getSingleCallCra', { refExt: 'late' });
		expect(await cra()).toEqual({ list: [], total: 0 });
		clock.advance(1);
		expect((await byRefs(['late'])).map((c) => c.contactId)).toEqual([id]);
		expect((await cra()).total).toBe(1);
		sandbox.reset();
		expect(sandbox.config.reportDelayMs).toBe(0);
	});

	it('sets live settings over HTTP and refuses unknown or invalid ones', async () => {
		const post = (body: unknown) =>
			fetch(`${sandbox.url}/_sandbox/config`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
		const ok = await post({ reportDelayMs: 1500, craPartsCode: 'absent' });
		expect(ok.status).toBe(200);
		expect(await ok.json()).toMatchObject({ reportDelayMs: 1500, craPartsCode: 'absent' });
		for (const bad of [{ reportDelayMs: -1 }, { craPartsCode: 'CRA' }, { latencyMs: 5 }, [1]]) {
			const response = await post(bad);
			expect(response.status).toBe(400);
			expect(await response.json()).toEqual({ error: expect.any(String) });
		}
		expect(sandbox.config).toMatchObject({ reportDelayMs: 1500, craPartsCode: 'absent' });
	});

	it.each([
		['braces', 'CRA_PART{2}'],
		['plain', 'CRA_PART2'],
		['absent', undefined],
	] as const)('writes callDetailCode in the %s form, and callDetail in the credential language', async (form, code) => {
		sandbox.configure({ craPartsCode: form });
		await send([{ media: 'SMSLong', textMsg: 'x'.repeat(200), to: '+33612345678', refExt: `parts-${form}` }]);
		const [fr] = await byRefs([`parts-${form}`]);
		expect(fr.callDetailCode).toBe(code);
		expect('callDetailCode' in fr).toBe(code !== undefined);
		expect(fr.callDetail).toBe('2 partie(s)');
		const [en] = await byRefs([`parts-${form}`], 'en_GB');
		expect(en.callDetail).toBe('2 part(s)');
	});

	it('keeps a message to a switched-off phone (+33 6 99 99 99 06) RUNNING', async () => {
		const [off, on] = await send([sms('0699999906', 'alert', { refExt: 'off' }), sms('+33612345678', 'alert', { refExt: 'off' })]);
		clock.advance(3_600_000);
		const reports = await byRefs(['off']);
		expect(reports.map((r) => [r.contactId, r.status])).toEqual([
			[off, 'RUNNING'],
			[on, 'DONE'],
		]);
	});

	it('stopSingleCall stops only RUNNING messages and answers how many', async () => {
		const [off, delivered, off2] = await send([sms('+33699999906'), sms('+33612345678'), sms('+33699999906', 'second')]);
		clock.advance(1000);
		const stopped = await dmcOk<number>(sandbox, 'MessagesUnitairesWS/stopSingleCall', {
			messageIds: [off, String(delivered), 999_999, off],
		});
		expect(stopped).toBe(1);
		const byId = new Map(sandbox.messages().map((m) => [m.id, m]));
		expect(byId.get(off)).toMatchObject({ status: 'FAILED', resultCode: 'CRA_SMS_STOPPED', stopped: true, statusChangedAt: clock.now() });
		expect(byId.get(delivered)).toMatchObject({ status: 'DONE', stopped: false });
		expect(byId.get(off2)).toMatchObject({ status: 'RUNNING', stopped: false });
		// Stopping again changes nothing: the message is no longer RUNNING.
		expect(await dmcOk<number>(sandbox, 'MessagesUnitairesWS/stopSingleCall', { messageIds: [off] })).toBe(0);
		const [report] = await dmcOk<CraByIds[]>(sandbox, 'SupervisionWS/findCraByIds', { contactIds: [off] });
		expect(report).toMatchObject({ status: 'FAILED', callResultCode: 'CRA_SMS_STOPPED' });
	});

	it.each([
		['no messageIds', {}],
		['a messageIds that is not a list', { messageIds: 5 }],
		['an id that is not a number', { messageIds: ['abc'] }],
	])('stopSingleCall refuses %s', async (_label, fields) => {
		expect((await dmcFail(sandbox, 'MessagesUnitairesWS/stopSingleCall', fields)).errorCode).toBe('invalid_parameter');
	});

	it('reads the new settings from the environment', () => {
		expect(configFromEnv({ DMC_SANDBOX_REPORT_DELAY_MS: '2500', DMC_SANDBOX_CRA_PARTS_CODE: 'plain' })).toEqual({
			reportDelayMs: 2500,
			craPartsCode: 'plain',
		});
		expect(() => configFromEnv({ DMC_SANDBOX_CRA_PARTS_CODE: 'curly' })).toThrow(/braces, plain, absent/);
	});
});

describe("DMC sandbox: faults aimed at one recipient's call", () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await quietSandbox();
	});
	afterAll(() => sandbox.close());

	it('applies a fault with `to` only to a call sending to that number, whenever it comes', async () => {
		sandbox.injectFaults({ kind: 'successFalse', to: '+33698765432' });
		const other = await dmcOk<number[]>(sandbox, 'MessagesUnitairesWS/batchSingleCall', { messageUnitaires: [sms('+33612345678')] });
		expect(other).toHaveLength(1);
		expect(sandbox.pendingFaults()).toEqual([expect.objectContaining({ kind: 'successFalse', to: '+33698765432' })]);
		const aimed = await dmcFail(sandbox, 'MessagesUnitairesWS/batchSingleCall', {
			messageUnitaires: [sms('+33611111111'), sms('+33698765432')],
		});
		expect(aimed.errorCode).toBe('corruption_base');
		expect(sandbox.pendingFaults()).toEqual([]);
	});
});
