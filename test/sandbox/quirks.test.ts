import type { Sandbox } from '../../sandbox';
import { MAGIC_NUMBERS } from '../../sandbox';
import { ACCOUNT, dmcFail, dmcOk, fakeClock, postRawForm, quietSandbox, sms, READS_REPORTS_AT_WILL } from './helpers';

const DAY = 24 * 60 * 60 * 1000;

describe('DMC sandbox quirks and magic numbers (fake clock)', () => {
	const clock = fakeClock();
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await quietSandbox({
			now: clock.now,
			deliveryDelayMs: 1000,
			failureDelayMs: 1000,
			replyDelayMs: 500,
			...READS_REPORTS_AT_WILL,
		});
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	/** Send one message, let every delay pass, and return its final state. */
	async function outcome(message: Record<string, unknown>) {
		const id = await dmcOk<number>(sandbox, 'MessagesUnitairesWS/addSingleCall', { messageUnitaire: message });
		clock.advance(DAY);
		const found = sandbox.messages().find((m) => m.id === id);
		if (!found) throw new Error('message not stored');
		return found;
	}

	it("accepts a number with the '00' prefix, gives it an id, and never delivers it", async () => {
		const message = await outcome(sms('0033612345678'));
		expect(typeof message.id).toBe('number');
		expect(message).toMatchObject({ status: 'RUNNING', resultCode: 'CRA_SMS_SUBMITTED' });
		clock.advance(365 * DAY);
		expect(sandbox.messages()[0].status).toBe('RUNNING');
	});

	it("fails with CRA_SMS_BADNUMBER when an unencoded '+' arrived as a space (POST body)", async () => {
		const json = JSON.stringify(sms('+33612345678'));
		const body = `authenticate=${encodeURIComponent(JSON.stringify(ACCOUNT))}&messageUnitaire=${encodeURIComponent(json).replace('%2B', '+')}`;
		const answer = await postRawForm(sandbox, 'MessagesUnitairesWS/addSingleCall', body);
		expect(answer.json.success).toBe(true);
		clock.advance(DAY);
		expect(sandbox.messages()[0]).toMatchObject({ to: ' 33612345678', status: 'FAILED', resultCode: 'CRA_SMS_BADNUMBER' });
	});

	it("fails with CRA_SMS_BADNUMBER when an unencoded '+' arrived as a space (GET query)", async () => {
		const json = JSON.stringify(sms('+33612345678'));
		const query = `authenticate=${encodeURIComponent(JSON.stringify(ACCOUNT))}&messageUnitaire=${encodeURIComponent(json).replace('%2B', '+')}`;
		const response = await fetch(`${sandbox.baseUrl}/MessagesUnitairesWS/addSingleCall?${query}`);
		expect(await response.json()).toMatchObject({ success: true });
		clock.advance(DAY);
		expect(sandbox.messages()[0]).toMatchObject({ status: 'FAILED', resultCode: 'CRA_SMS_BADNUMBER' });
	});

	it("delivers the same number when the '+' is encoded as %2B", async () => {
		expect(await outcome(sms('+33612345678'))).toMatchObject({ status: 'DONE', resultCode: 'CRA_SMS_RECEIVED' });
	});

	it('fails a text that does not fit its media with CRA_SMS_TOOLONG', async () => {
		expect(await outcome(sms('+33612345678', 'a'.repeat(160)))).toMatchObject({ status: 'DONE', parts: 1 });
		expect(await outcome(sms('+33612345678', 'a'.repeat(161)))).toMatchObject({
			status: 'FAILED',
			resultCode: 'CRA_SMS_TOOLONG',
			parts: 2,
		});
		expect(await outcome({ media: 'SMSLong', textMsg: 'a'.repeat(161), to: '+33612345678' })).toMatchObject({
			status: 'DONE',
			parts: 2,
		});
		expect(await outcome({ media: 'SMSUnicode', textMsg: 'é'.repeat(71), to: '+33612345678' })).toMatchObject({
			status: 'FAILED',
			resultCode: 'CRA_SMS_TOOLONG',
		});
		expect(await outcome({ media: 'SMSUnicodeLong', textMsg: 'é'.repeat(71), to: '+33612345678' })).toMatchObject({
			status: 'DONE',
			parts: 2,
		});
	});

	it('counts GSM extension characters twice', async () => {
		expect(await outcome(sms('+33612345678', '€'.repeat(80)))).toMatchObject({ status: 'DONE', parts: 1 });
		expect(await outcome(sms('+33612345678', `${'€'.repeat(80)}a`))).toMatchObject({
			status: 'FAILED',
			resultCode: 'CRA_SMS_TOOLONG',
		});
	});

	it('fails a sender that is not allowed with CRA_SMS_OADC', async () => {
		expect(await outcome(sms('+33612345678', 'x', { from: 'PIRATE' }))).toMatchObject({
			status: 'FAILED',
			resultCode: 'CRA_SMS_OADC',
		});
		expect(await outcome(sms('+33612345678', 'x', { from: 'MAIRIE' }))).toMatchObject({ status: 'DONE', from: 'MAIRIE' });
		expect(await outcome(sms('+33612345678', 'x'))).toMatchObject({ status: 'DONE', from: null });
	});

	it('fails characters a GSM media cannot carry with CRA_SMS_TEXT, and sends them as Unicode', async () => {
		expect(await outcome(sms('+33612345678', 'Hi 👋'))).toMatchObject({ status: 'FAILED', resultCode: 'CRA_SMS_TEXT' });
		expect(await outcome({ media: 'SMSUnicode', textMsg: 'Hi 👋', to: '+33612345678' })).toMatchObject({
			status: 'DONE',
			parts: 1,
		});
		expect(await outcome(sms('+33612345678', 'Crème brûlée, çà et là'))).toMatchObject({ status: 'DONE' });
	});

	it('fails something that is not a phone number with CRA_SMS_BADNUMBER', async () => {
		expect(await outcome(sms('hello'))).toMatchObject({ status: 'FAILED', resultCode: 'CRA_SMS_BADNUMBER' });
	});

	it.each([
		['+33699999901', 'FAILED', 'CRA_SMS_BLACKLIST'],
		['0699999901', 'FAILED', 'CRA_SMS_BLACKLIST'],
		['+33699999902', 'FAILED', 'CRA_SMS_SAASNOCREDIT'],
		['+33699999903', 'DONE', 'CRA_SMS_RECEIVED'],
		['+33699999904', 'DONE', 'CRA_SMS_RECEIVED'],
		['+33699999905', 'FAILED', 'CRA_SMS_WRONGNUMBER'],
		['+33699999999', 'DONE', 'CRA_SMS_RECEIVED'],
	])('magic number %s ends %s with %s', async (to, status, resultCode) => {
		expect(await outcome(sms(to))).toMatchObject({ status, resultCode });
	});

	it('documents the magic numbers it uses', () => {
		expect(Object.keys(MAGIC_NUMBERS).sort()).toEqual([
			'+33699999901',
			'+33699999902',
			'+33699999903',
			'+33699999904',
			'+33699999905',
			'+33699999906',
		]);
	});

	it('makes replies appear after delivery, in getResponsesSMS and in the CRA', async () => {
		const t0 = clock.now();
		const [plain, replying, stopping] = await dmcOk<number[]>(sandbox, 'MessagesUnitairesWS/batchSingleCall', {
			messageUnitaires: [sms('+33612345678'), sms('+33699999903'), sms('0699999904')],
		});
		const responses = (stopOnly: boolean, beginDate = t0, endDate = t0 + DAY) =>
			dmcOk<{ list: Array<Record<string, unknown>>; total: number }>(sandbox, 'SupervisionWS/getResponsesSMS', {
				stopOnly,
				beginDate,
				endDate,
			});

		clock.advance(1499);
		expect(await responses(false)).toEqual({ list: [], total: 0 });

		clock.advance(1);
		const replyAt = t0 + 1500;
		expect(await responses(false)).toEqual({
			total: 2,
			list: [
				{
					contactId: replying,
					spaceId: 'sandbox-space',
					callDate: replyAt,
					callAdress: '+33699999903',
					callResponse: 'Thanks, well received',
				},
				{ contactId: stopping, spaceId: 'sandbox-space', callDate: replyAt, callAdress: '+33699999904', callResponse: 'STOP' },
			],
		});
		expect((await responses(true)).list).toEqual([expect.objectContaining({ contactId: stopping, callResponse: 'STOP' })]);

		const cra = await dmcOk<{ list: Array<{ messageId: number; callResponse: string | null }> }>(
			sandbox,
			'MessagesUnitairesWS/getSingleCallCra',
		);
		expect(cra.list.map((e) => [e.messageId, e.callResponse])).toEqual([
			[plain, null],
			[replying, 'Thanks, well received'],
			[stopping, 'STOP'],
		]);
		expect(sandbox.replies().map((r) => [r.messageId, r.stop])).toEqual([
			[replying, false],
			[stopping, true],
		]);
	});

	it('filters getResponsesSMS by its date window (bounds included)', async () => {
		const t0 = clock.now();
		await dmcOk(sandbox, 'MessagesUnitairesWS/addSingleCall', { messageUnitaire: sms('+33699999903') });
		clock.advance(DAY);
		const replyAt = t0 + 1500;
		const count = async (beginDate: number, endDate: number) =>
			(
				await dmcOk<{ total: number }>(sandbox, 'SupervisionWS/getResponsesSMS', {
					stopOnly: false,
					beginDate,
					endDate,
				})
			).total;
		expect(await count(replyAt, replyAt)).toBe(1);
		expect(await count(replyAt - 1000, replyAt - 1)).toBe(0);
		expect(await count(replyAt + 1, replyAt + 1000)).toBe(0);
		expect(await count(t0, t0 + DAY)).toBe(1);
	});

	it.each([
		['stopOnly', { beginDate: 0, endDate: 1 }],
		['beginDate', { stopOnly: false, endDate: 1 }],
		['endDate', { stopOnly: false, beginDate: 0 }],
	])('getResponsesSMS requires %s', async (_name, params) => {
		const failure = await dmcFail(sandbox, 'SupervisionWS/getResponsesSMS', params);
		expect(failure.errorCode).toBe('invalid_parameter');
	});
});
