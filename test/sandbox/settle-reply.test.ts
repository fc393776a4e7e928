/**
 * The sandbox's test controls for reports and replies: settle() ends a message at a chosen
 * instant, reply() makes its recipient answer at a chosen instant (JS API and control API).
 */
import type { Sandbox } from '../../sandbox';
import { dmcOk, fakeClock, quietSandbox, sms, READS_REPORTS_AT_WILL } from './helpers';

interface Listed {
	messageId: number;
	status: string;
	statusLastChange: number;
	callResponse: string | null;
}

describe('DMC sandbox settle() and reply()', () => {
	const clock = fakeClock();
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await quietSandbox({ now: clock.now, deliveryDelayMs: 10, failureDelayMs: 10, replyDelayMs: 10, ...READS_REPORTS_AT_WILL });
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	const sendTo = async (...numbers: string[]) =>
		await dmcOk<number[]>(sandbox, 'MessagesUnitairesWS/batchSingleCall', { messageUnitaires: numbers.map((to) => sms(to)) });
	const listing = async () => (await dmcOk<{ list: Listed[] }>(sandbox, 'MessagesUnitairesWS/getSingleCallCra')).list;
	const replies = async (stopOnly: boolean) =>
		(
			await dmcOk<{ list: Array<{ contactId: number; callResponse: string; callDate: number }> }>(
				sandbox,
				'SupervisionWS/getResponsesSMS',
				{
					stopOnly,
					beginDate: 0,
					endDate: clock.now(),
				},
			)
		).list;

	it('settle() ends a message at the chosen instant, with its code, in every report', async () => {
		const [id] = await sendTo('+33612345678');
		const at = clock.now() + 5000;
		expect(sandbox.settle(id, { status: 'FAILED', resultCode: 'CRA_SMS_BLACKLIST', at })).toMatchObject({ status: 'RUNNING' });
		clock.advance(4999);
		expect((await listing())[0]).toMatchObject({ status: 'RUNNING' });
		clock.advance(1);
		expect((await listing())[0]).toMatchObject({ messageId: id, status: 'FAILED', statusLastChange: at });
		const [report] = await dmcOk<Array<Record<string, unknown>>>(sandbox, 'SupervisionWS/findCraByIds', { contactIds: [id] });
		expect(report).toMatchObject({ status: 'FAILED', callResultCode: 'CRA_SMS_BLACKLIST', statusLastChange: at });
		expect(sandbox.messages()[0]).toMatchObject({ status: 'FAILED', resultCode: 'CRA_SMS_BLACKLIST', statusChangedAt: at });
	});

	it('settle() defaults to now and to CRA_SMS_RECEIVED / CRA_SMS_REJECTED; a FAILED drops the scheduled reply', async () => {
		const [done, failed, replying] = await sendTo('+33612345678', '+33781234567', '+33699999903');
		expect(sandbox.settle(done, { status: 'DONE' })).toMatchObject({
			status: 'DONE',
			resultCode: 'CRA_SMS_RECEIVED',
			statusChangedAt: clock.now(),
		});
		expect(sandbox.settle(String(failed), { status: 'FAILED' })).toMatchObject({ status: 'FAILED', resultCode: 'CRA_SMS_REJECTED' });
		sandbox.settle(replying, { status: 'FAILED', resultCode: 'CRA_SMS_TEMPERROR' });
		clock.advance(1000);
		expect(sandbox.replies()).toEqual([]);
	});

	it('reply() adds replies at any instant, several per message; STOP ones are listed with stopOnly', async () => {
		const [id] = await sendTo('0612345678');
		const base = clock.now();
		expect(sandbox.reply(id, 'Oui', { at: base - 1000 })).toEqual({
			messageId: id,
			from: '+33612345678',
			text: 'Oui',
			at: base - 1000,
			stop: false,
		});
		sandbox.reply(id, 'Stop merci');
		sandbox.reply(id, 'later', { at: base + 1000 });
		expect((await replies(false)).map((reply) => [reply.callResponse, reply.callDate])).toEqual([
			['Oui', base - 1000],
			['Stop merci', base],
		]);
		expect((await replies(true)).map((reply) => reply.callResponse)).toEqual(['Stop merci']);
		expect(sandbox.messages()[0].reply).toEqual({ text: 'Stop merci', at: base, stop: true });
		expect((await listing())[0].callResponse).toBe('Stop merci');
		clock.advance(1000);
		expect(sandbox.replies().map((reply) => reply.text)).toEqual(['Oui', 'Stop merci', 'later']);
	});

	it('refuses unknown ids and bad outcomes', () => {
		expect(() => sandbox.settle(999, { status: 'DONE' })).toThrow('No message with id 999');
		expect(() => sandbox.reply(999, 'x')).toThrow('No message with id 999');
	});

	it('is driven over HTTP too: POST /_sandbox/settle and POST /_sandbox/replies', async () => {
		const [id] = await sendTo('+33612345678');
		const post = async (path: string, body: unknown) => {
			const response = await fetch(`${sandbox.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
			return { status: response.status, json: (await response.json()) as Record<string, unknown> };
		};
		expect(await post('/_sandbox/settle', { messageId: id, status: 'FAILED', resultCode: 'CRA_SMS_OADC' })).toEqual({
			status: 200,
			json: expect.objectContaining({ id, status: 'FAILED', resultCode: 'CRA_SMS_OADC' }),
		});
		expect(await post('/_sandbox/replies', { messageId: id, text: 'STOP' })).toEqual({
			status: 200,
			json: { messageId: id, from: '+33612345678', text: 'STOP', at: clock.now(), stop: true },
		});
		expect(await post('/_sandbox/settle', { messageId: id, status: 'LOST' })).toEqual({
			status: 400,
			json: { error: 'status must be DONE or FAILED, not "LOST"' },
		});
		expect(await post('/_sandbox/settle', { messageId: id, status: 'DONE', resultCode: 'received' })).toMatchObject({ status: 400 });
		expect(await post('/_sandbox/replies', { messageId: 1, text: 'x' })).toEqual({ status: 400, json: { error: 'No message with id 1' } });
		expect(await post('/_sandbox/replies', [])).toMatchObject({ status: 400 });
	});
});
