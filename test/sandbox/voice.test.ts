/**
 * Voice messages (media Vocal) in the sandbox: accepted, with the voice checked and stored,
 * mixed with SMS in one batch, reported without SMS parts; and the short-code placeholder
 * counted as the 5 digits a phone receives.
 */
import type { Sandbox } from '../../sandbox';
import { dmcFail, dmcOk, quietSandbox, sms } from './helpers';

const vocal = (to: string, textMsg: string, extra: Record<string, unknown> = {}) => ({ media: 'Vocal', textMsg, to, ...extra });

describe('DMC sandbox: voice messages', () => {
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await quietSandbox({ deliveryDelayMs: 0, failureDelayMs: 0 });
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	it('takes Vocal and SMS in one batch, storing the voice (claire08s when none is given)', async () => {
		const ids = await dmcOk<number[]>(sandbox, 'MessagesUnitairesWS/batchSingleCall', {
			messageUnitaires: [
				vocal('+33123456789', 'Alerte canicule', { ttsVoice: 'laura8k' }),
				sms('+33612345678', 'Alerte canicule', { ttsVoice: 'claire08s' }),
				vocal('0590123456', 'x'.repeat(2000)),
			],
		});
		expect(
			sandbox.messages().map(({ id, media, ttsVoice, callAdress, parts, status }) => ({ id, media, ttsVoice, callAdress, parts, status })),
		).toEqual([
			{ id: ids[0], media: 'Vocal', ttsVoice: 'laura8k', callAdress: '+33123456789', parts: null, status: 'DONE' },
			{ id: ids[1], media: 'SMS', ttsVoice: null, callAdress: '+33612345678', parts: 1, status: 'DONE' },
			{ id: ids[2], media: 'Vocal', ttsVoice: 'claire08s', callAdress: '+33590123456', parts: null, status: 'DONE' },
		]);
	});

	it('refuses an unknown voice, storing nothing of the batch', async () => {
		const answer = await dmcFail(sandbox, 'MessagesUnitairesWS/batchSingleCall', {
			messageUnitaires: [sms('+33612345678'), vocal('+33123456789', 'Alerte', { ttsVoice: 'julie' })],
		});
		expect(answer).toMatchObject({ errorCode: 'invalid_parameter' });
		expect(answer.errorDetail).toContain('julie');
		expect(sandbox.messages()).toEqual([]);
	});

	it('reports a voice message without a part count', async () => {
		const [id] = await dmcOk<number[]>(sandbox, 'MessagesUnitairesWS/batchSingleCall', {
			messageUnitaires: [vocal('+33123456789', 'Alerte')],
		});
		const [report] = await dmcOk<Array<Record<string, unknown>>>(sandbox, 'SupervisionWS/findCraByIds', {
			contactIds: [id],
			contactExtRefs: [],
		});
		expect(report).toMatchObject({ contactId: id, callAdress: '+33123456789', status: 'DONE', callDetail: null, callDetailCode: null });
	});

	it('counts <#shortcode#> as 5 digits: 160 characters on the phone fit one SMS', async () => {
		const text = `${'a'.repeat(147)}STOP au <#shortcode#>`;
		expect(text).toHaveLength(168);
		await dmcOk(sandbox, 'MessagesUnitairesWS/batchSingleCall', { messageUnitaires: [sms('+33612345678', text)] });
		expect(sandbox.messages()[0]).toMatchObject({ media: 'SMS', parts: 1, status: 'DONE' });
	});
});
