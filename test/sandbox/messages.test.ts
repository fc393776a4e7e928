import type { Sandbox } from '../../sandbox';
import { dmcFail, dmcOk, quietSandbox, sms } from './helpers';

describe('DMC sandbox: addSingleCall and batchSingleCall', () => {
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await quietSandbox();
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	it('addSingleCall returns a numeric id and stores every field', async () => {
		const id = await dmcOk<number>(sandbox, 'MessagesUnitairesWS/addSingleCall', {
			messageUnitaire: { media: 'SMSLong', textMsg: 'Réunion à 18h', to: '0612345678', from: 'MAIRIE', timeout: 60, refExt: 'ref-1' },
		});
		expect(Number.isInteger(id)).toBe(true);
		expect(sandbox.messages()).toEqual([
			expect.objectContaining({
				id,
				serviceId: 'sandbox-service',
				to: '0612345678',
				callAdress: '+33612345678',
				from: 'MAIRIE',
				text: 'Réunion à 18h',
				media: 'SMSLong',
				parts: 1,
				refExt: 'ref-1',
				timeout: 60,
				status: 'RUNNING',
				resultCode: 'CRA_SMS_SUBMITTED',
				reply: null,
			}),
		]);
	});

	it('batchSingleCall returns ids in input order', async () => {
		const messages = Array.from({ length: 7 }, (_, i) => sms(`+3361234567${i}`, `text ${i}`));
		const ids = await dmcOk<number[]>(sandbox, 'MessagesUnitairesWS/batchSingleCall', { messageUnitaires: messages });
		expect(ids).toHaveLength(7);
		expect(new Set(ids).size).toBe(7);
		const byId = new Map(sandbox.messages().map((m) => [m.id, m]));
		ids.forEach((id, i) => {
			expect(byId.get(id)).toMatchObject({ text: `text ${i}`, to: `+3361234567${i}` });
		});
	});

	it('lets each batch entry have its own media, text and recipient', async () => {
		const ids = await dmcOk<number[]>(sandbox, 'MessagesUnitairesWS/batchSingleCall', {
			messageUnitaires: [sms('+33612345678', 'one'), { media: 'SMSUnicode', textMsg: 'два', to: '+33698765432' }],
		});
		expect(sandbox.messages().map((m) => [m.id, m.media, m.text])).toEqual([
			[ids[0], 'SMS', 'one'],
			[ids[1], 'SMSUnicode', 'два'],
		]);
	});

	it('accepts 20 messages in one batch', async () => {
		const messages = Array.from({ length: 20 }, (_, i) => sms('+33612345678', `n${i}`));
		const ids = await dmcOk<number[]>(sandbox, 'MessagesUnitairesWS/batchSingleCall', { messageUnitaires: messages });
		expect(ids).toHaveLength(20);
	});

	it('refuses 21 messages with invalid_parameter and stores nothing', async () => {
		const messages = Array.from({ length: 21 }, (_, i) => sms('+33612345678', `n${i}`));
		const failure = await dmcFail(sandbox, 'MessagesUnitairesWS/batchSingleCall', { messageUnitaires: messages });
		expect(failure).toMatchObject({ errorCode: 'invalid_parameter', invalidParams: true });
		expect(failure.errorDetail).toContain('20');
		expect(sandbox.messages()).toHaveLength(0);
	});

	it.each([
		['an empty array', []],
		['an object', sms('+33612345678')],
		['a string', 'hello'],
	])('refuses messageUnitaires as %s', async (_label, value) => {
		const failure = await dmcFail(sandbox, 'MessagesUnitairesWS/batchSingleCall', { messageUnitaires: value });
		expect(failure.errorCode).toBe('invalid_parameter');
	});

	it('refuses a call without its message parameter', async () => {
		expect((await dmcFail(sandbox, 'MessagesUnitairesWS/addSingleCall')).errorCode).toBe('invalid_parameter');
		expect((await dmcFail(sandbox, 'MessagesUnitairesWS/batchSingleCall')).errorCode).toBe('invalid_parameter');
	});

	it.each(['media', 'textMsg', 'to'])('answers BEANPARAMETER_REQUIRED when %s is missing', async (field) => {
		const message: Record<string, unknown> = sms('+33612345678');
		delete message[field];
		const failure = await dmcFail(sandbox, 'MessagesUnitairesWS/addSingleCall', { messageUnitaire: message });
		expect(failure).toEqual({
			success: false,
			errorCode: 'BEANPARAMETER_REQUIRED',
			errorDetail: `Dans l'objet messageUnitaire le paramètre ${field} est requis`,
			fatal: true,
			invalidParams: true,
		});
		expect(sandbox.messages()).toHaveLength(0);
	});

	it('treats an empty textMsg as missing', async () => {
		const failure = await dmcFail(sandbox, 'MessagesUnitairesWS/addSingleCall', {
			messageUnitaire: sms('+33612345678', ''),
		});
		expect(failure.errorCode).toBe('BEANPARAMETER_REQUIRED');
	});

	it('stores nothing from a batch when one message misses a required field', async () => {
		const messages = [sms('+33612345678', 'first'), { media: 'SMS', to: '+33612345679' }, sms('+33612345670', 'third')];
		const failure = await dmcFail(sandbox, 'MessagesUnitairesWS/batchSingleCall', { messageUnitaires: messages });
		expect(failure.errorCode).toBe('BEANPARAMETER_REQUIRED');
		expect(failure.errorDetail).toBe("Dans l'objet messageUnitaire le paramètre textMsg est requis");
		expect(sandbox.messages()).toHaveLength(0);
	});

	it('refuses a media the sandbox does not send', async () => {
		const failure = await dmcFail(sandbox, 'MessagesUnitairesWS/addSingleCall', {
			messageUnitaire: { media: 'Fax', textMsg: 'x', to: '+33612345678' },
		});
		expect(failure.errorCode).toBe('invalid_parameter');
	});

	it('refuses a timeout that is not a positive number of minutes', async () => {
		const failure = await dmcFail(sandbox, 'MessagesUnitairesWS/addSingleCall', {
			messageUnitaire: sms('+33612345678', 'x', { timeout: -5 }),
		});
		expect(failure.errorCode).toBe('invalid_parameter');
	});

	it('keeps ids increasing across reset', async () => {
		const first = await dmcOk<number>(sandbox, 'MessagesUnitairesWS/addSingleCall', { messageUnitaire: sms('+33612345678') });
		sandbox.reset();
		const second = await dmcOk<number>(sandbox, 'MessagesUnitairesWS/addSingleCall', { messageUnitaire: sms('+33612345678') });
		expect(second).toBeGreaterThan(first);
		expect(sandbox.messages().map((m) => m.id)).toEqual([second]);
	});
});
