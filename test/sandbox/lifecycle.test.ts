import type { Sandbox } from '../../sandbox';
import { ACCOUNT, dmcFail, dmcOk, fakeClock, quietSandbox, sms, waitFor, READS_REPORTS_AT_WILL } from './helpers';

interface SingleCallCra {
	messageId: number;
	callId: number;
	status: string;
	lastResult: string;
	lastCall: number;
	attemps: number;
	media: string;
	refExt: string | null;
	callResponse: string | null;
	to: string;
	textMsg: string;
}

interface CraByIds {
	contactId: number;
	callResultCode: string;
	status: string;
	callAdress: string;
	callDetailCode: string;
	externalReference: string | null;
	statusLastChange: number;
}

describe('DMC sandbox delivery lifecycle (real time, short delays)', () => {
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await quietSandbox({ deliveryDelayMs: 400, failureDelayMs: 500, ...READS_REPORTS_AT_WILL });
	});
	afterAll(() => sandbox.close());

	it('goes RUNNING -> DONE with CRA_SMS_RECEIVED, and RUNNING -> FAILED with a CRA code', async () => {
		const [ok, blacklisted] = await dmcOk<number[]>(sandbox, 'MessagesUnitairesWS/batchSingleCall', {
			messageUnitaires: [sms('+33612345678'), sms('+33699999901')],
		});
		const cra = () => dmcOk<CraByIds[]>(sandbox, 'SupervisionWS/findCraByIds', { contactIds: [ok, blacklisted] });
		const first = await cra();
		expect(first.map((c) => c.status)).toEqual(['RUNNING', 'RUNNING']);

		const done = await waitFor(async () => {
			const list = await cra();
			return list[0].status === 'DONE' ? list : undefined;
		});
		expect(done[0]).toMatchObject({ contactId: ok, callResultCode: 'CRA_SMS_RECEIVED' });
		expect(done[0].statusLastChange).toBe(sandbox.messages()[0].receivedAt + 400);

		const failed = await waitFor(async () => {
			const list = await cra();
			return list[1].status === 'FAILED' ? list : undefined;
		});
		expect(failed[1]).toMatchObject({ contactId: blacklisted, callResultCode: 'CRA_SMS_BLACKLIST' });
	});
});

describe('DMC sandbox delivery reports (fake clock)', () => {
	const clock = fakeClock();
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await quietSandbox({
			now: clock.now,
			deliveryDelayMs: 1000,
			failureDelayMs: 5000,
			replyDelayMs: 2000,
			...READS_REPORTS_AT_WILL,
		});
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	async function send(messages: Array<Record<string, unknown>>): Promise<number[]> {
		return dmcOk<number[]>(sandbox, 'MessagesUnitairesWS/batchSingleCall', { messageUnitaires: messages });
	}

	it('changes state exactly at the configured delays', async () => {
		const [ok, failing] = await send([sms('+33612345678'), sms('+33699999902')]);
		const status = () => sandbox.messages().map((m) => [m.id, m.status, m.resultCode]);
		clock.advance(999);
		expect(status()).toEqual([
			[ok, 'RUNNING', 'CRA_SMS_SUBMITTED'],
			[failing, 'RUNNING', 'CRA_SMS_SUBMITTED'],
		]);
		clock.advance(1);
		expect(status()).toEqual([
			[ok, 'DONE', 'CRA_SMS_RECEIVED'],
			[failing, 'RUNNING', 'CRA_SMS_SUBMITTED'],
		]);
		clock.advance(4000);
		expect(status()[1]).toEqual([failing, 'FAILED', 'CRA_SMS_SAASNOCREDIT']);
	});

	it('getSingleCallCra lists entries with the real field names', async () => {
		const start = clock.now();
		const [id] = await send([sms('+33612345678', 'Bonjour', { refExt: 'order-1' })]);
		let cra = await dmcOk<{ list: SingleCallCra[]; total: number }>(sandbox, 'MessagesUnitairesWS/getSingleCallCra');
		expect(cra.total).toBe(1);
		expect(cra.list[0]).toMatchObject({
			messageId: id,
			status: 'RUNNING',
			attemps: 0,
			media: 'SMS',
			refExt: 'order-1',
			callResponse: null,
			to: '+33612345678',
			textMsg: 'Bonjour',
		});
		expect(typeof cra.list[0].callId).toBe('number');
		expect(cra.list[0].callId).not.toBe(id);

		clock.advance(1000);
		cra = await dmcOk(sandbox, 'MessagesUnitairesWS/getSingleCallCra');
		expect(cra.list[0]).toMatchObject({ status: 'DONE', attemps: 1, lastResult: 'SMS reçu', lastCall: start + 1000 });

		const english = await dmcOk<{ list: SingleCallCra[] }>(
			sandbox,
			'MessagesUnitairesWS/getSingleCallCra',
			{},
			{ auth: { ...ACCOUNT, lang: 'en_GB' } },
		);
		expect(english.list[0].lastResult).toBe('SMS received');
	});

	it('getSingleCallCra filters by refExt, by date window and pages', async () => {
		const t0 = clock.now();
		await send([sms('+33612345671', 'a', { refExt: 'x' }), sms('+33612345672', 'b', { refExt: 'y' })]);
		clock.advance(10_000);
		await send([sms('+33612345673', 'c', { refExt: 'x' })]);
		const get = (params: Record<string, unknown>) =>
			dmcOk<{ list: SingleCallCra[]; total: number }>(sandbox, 'MessagesUnitairesWS/getSingleCallCra', params);

		expect((await get({ refExt: 'x' })).list.map((e) => e.textMsg)).toEqual(['a', 'c']);
		expect((await get({ beginDate: t0 + 1 })).list.map((e) => e.textMsg)).toEqual(['c']);
		expect((await get({ endDate: t0 })).list.map((e) => e.textMsg)).toEqual(['a', 'b']);
		expect((await get({ beginDate: t0, endDate: t0 + 10_000 })).total).toBe(3);
		const page = await get({ paging: { page: 1, size: 2 } });
		expect(page).toMatchObject({ total: 3, list: [expect.objectContaining({ textMsg: 'c' })] });
		expect((await dmcFail(sandbox, 'MessagesUnitairesWS/getSingleCallCra', { beginDate: 'yesterday' })).errorCode).toBe(
			'invalid_parameter',
		);
	});

	it('findCraByIds finds by ids and by external references, with E.164 address and part count', async () => {
		const [a, b] = await send([
			sms('0612345678', 'short', { refExt: 'ref-a' }),
			{ media: 'SMSLong', textMsg: 'x'.repeat(161), to: '+33698765432', refExt: 'ref-b' },
		]);
		clock.advance(1000);
		const byIds = await dmcOk<CraByIds[]>(sandbox, 'SupervisionWS/findCraByIds', { contactIds: [a, 999_999_999] });
		expect(byIds).toEqual([
			expect.objectContaining({
				contactId: a,
				status: 'DONE',
				callResultCode: 'CRA_SMS_RECEIVED',
				callAdress: '+33612345678',
				callDetailCode: 'CRA_PART{1}',
				callDetail: '1 partie(s)',
				externalReference: 'ref-a',
				creationDate: clock.now() - 1000,
				statusLastChange: clock.now(),
			}),
		]);
		const byRefs = await dmcOk<CraByIds[]>(sandbox, 'SupervisionWS/findCraByIds', { contactExtRefs: ['ref-b'] });
		expect(byRefs).toEqual([expect.objectContaining({ contactId: b, callDetailCode: 'CRA_PART{2}' })]);
		const both = await dmcOk<CraByIds[]>(sandbox, 'SupervisionWS/findCraByIds', {
			contactIds: [String(a)],
			contactExtRefs: ['ref-a', 'ref-b'],
		});
		expect(both.map((c) => c.contactId)).toEqual([a, b]);
	});

	it('findCraByIds accepts 100 ids in all and refuses 101 or none', async () => {
		const [id] = await send([sms('+33612345678')]);
		const ids = Array.from({ length: 60 }, (_, i) => id + i);
		const refs = Array.from({ length: 40 }, (_, i) => `r${i}`);
		await expect(dmcOk(sandbox, 'SupervisionWS/findCraByIds', { contactIds: ids, contactExtRefs: refs })).resolves.toHaveLength(1);
		const tooMany = await dmcFail(sandbox, 'SupervisionWS/findCraByIds', {
			contactIds: ids,
			contactExtRefs: [...refs, 'one-more'],
		});
		expect(tooMany).toMatchObject({ errorCode: 'invalid_parameter', invalidParams: true });
		expect(tooMany.errorDetail).toContain('100');
		expect((await dmcFail(sandbox, 'SupervisionWS/findCraByIds', {})).errorCode).toBe('invalid_parameter');
		expect((await dmcFail(sandbox, 'SupervisionWS/findCraByIds', { contactIds: ['abc'] })).errorCode).toBe('invalid_parameter');
	});
});
