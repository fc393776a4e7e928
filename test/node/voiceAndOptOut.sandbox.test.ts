/**
 * Send Voice Message, Exclude Numbers and Add STOP Mention inside n8n's engine, over real
 * HTTP, against the local DMC sandbox: what DMC stored, and what n8n receives.
 */
import { sleep, type IDataObject, type INodeParameters } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../../sandbox';
import { runSmsNode } from './sandboxNode';
import { STRICT_TEST_MINUTE } from '../supervisionMinute';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ ...STRICT_TEST_MINUTE, deliveryDelayMs: 30, failureDelayMs: 30, logger: () => undefined });
});
afterAll(async () => sandbox.close());
beforeEach(() => sandbox.reset());

const run = (parameters: INodeParameters, items?: IDataObject[], continueOnFail?: boolean) =>
	runSmsNode(sandbox, parameters, items, continueOnFail);

const ALERT = 'Alerte canicule. La mairie vous rappelle de boire de l’eau et de fermer vos volets.';

describe('Send Voice Message', () => {
	it('calls a landline: Vocal, E.164 and the voice go to DMC; the output is shaped like Send', async () => {
		const result = await run(
			{ operation: 'sendVoice', to: '={{ $json.phone }}', message: ALERT, voice: 'claire08s', options: { reference: 'CANICULE-1' } },
			[{ phone: '01 23 45 67 89, 0590 12 34 56' }],
		);
		expect(result.error).toBeUndefined();
		const stored = sandbox.messages();
		expect(stored.map(({ to, media, ttsVoice, text, refExt, parts }) => ({ to, media, ttsVoice, text, refExt, parts }))).toEqual([
			{ to: '+33123456789', media: 'Vocal', ttsVoice: 'claire08s', text: ALERT, refExt: 'CANICULE-1', parts: null },
			{ to: '+590590123456', media: 'Vocal', ttsVoice: 'claire08s', text: ALERT, refExt: 'CANICULE-1', parts: null },
		]);
		const ids = stored.map((message) => String(message.id));
		expect(result.items).toEqual([
			{
				json: {
					recipients: [
						{ input: '01 23 45 67 89', to: '+33123456789', messageId: ids[0] },
						{ input: '0590 12 34 56', to: '+590590123456', messageId: ids[1] },
					],
					messageIds: ids,
					media: 'Vocal',
					voice: 'claire08s',
					characters: [...ALERT].length,
					reference: 'CANICULE-1',
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(sandbox.stats().callsByMethod).toEqual({ 'MessagesUnitairesWS/batchSingleCall': 1 });
	});

	it('sends the English voice, mobiles too, and packs items into one call', async () => {
		const result = await run({ operation: 'sendVoice', to: '={{ $json.phone }}', message: 'Flood warning', voice: 'laura8k' }, [
			{ phone: '+44 20 7946 0958' },
			{ phone: '06 12 34 56 78' },
		]);
		expect(result.error).toBeUndefined();
		expect(sandbox.messages().map(({ to, ttsVoice }) => [to, ttsVoice])).toEqual([
			['+442079460958', 'laura8k'],
			['+33612345678', 'laura8k'],
		]);
		expect(sandbox.stats().callsByMethod).toEqual({ 'MessagesUnitairesWS/batchSingleCall': 1 });
	});

	it('refuses premium-rate and shared-cost numbers and over-long texts, naming the item and the value; sends the rest', async () => {
		const result = await run(
			{ operation: 'sendVoice', to: '={{ $json.phone }}', message: '={{ $json.text }}' },
			[
				{ phone: '08 99 12 34 56', text: 'Alerte' },
				{ phone: '0820123456', text: 'Alerte' },
				{ phone: '01 23 45 67 89', text: 'x'.repeat(1001) },
				{ phone: '01 23 45 67 89', text: 'Alerte' },
			],
			true,
		);
		expect(result.items.map((item) => item.json.error ?? item.json.media)).toEqual([
			'"08 99 12 34 56" is a premium-rate number: it cannot take a voice message [item 0]',
			'"0820123456" is a shared-cost number: it cannot take a voice message [item 1]',
			'The message has 1001 characters; a voice message takes at most 1000 (over a minute of speech). Shorten it [item 2]',
			'Vocal',
		]);
		expect(sandbox.messages()).toHaveLength(1);
	});

	it('reads its report back with Get Status: the landline in E.164, no SMS parts', async () => {
		const sent = await run({ operation: 'sendVoice', to: '0123456789', message: 'Alerte crue' });
		const [id] = sent.items[0].json.messageIds as string[];
		while (sandbox.messages()[0].status !== 'DONE') await sleep(10);
		const status = await run({ operation: 'getStatus', messageIds: id });
		expect(status.error).toBeUndefined();
		expect(status.items[0].json).toMatchObject({ messageId: id, to: '+33123456789', status: 'DONE', parts: null });
	});
});

describe('Exclude Numbers', () => {
	it('leaves out a number written in another format, and says so in recipients[]', async () => {
		const result = await run({
			operation: 'send',
			to: '06.12.34.56.22, 07 81 23 45 67',
			message: 'Marché de Noël samedi',
			options: { excludeNumbers: '+33 6 12 34 56 22' },
		});
		expect(result.error).toBeUndefined();
		const stored = sandbox.messages();
		expect(stored.map((message) => message.to)).toEqual(['+33781234567']);
		expect(result.items[0].json).toMatchObject({
			recipients: [
				{ input: '06.12.34.56.22', to: '+33612345622', messageId: null, excluded: true },
				{ input: '07 81 23 45 67', to: '+33781234567', messageId: String(stored[0].id) },
			],
			messageIds: [String(stored[0].id)],
		});
		expect(result.items[0].json).not.toHaveProperty('excludeListIgnored');
	});

	it('takes a list from an expression, sends nothing for an item all excluded, and reports ignored entries once', async () => {
		const optedOut = ['+33612345622', 'STOP', '0781234567', '12'];
		const result = await run(
			{
				operation: 'sendVoice',
				to: '={{ $json.phone }}',
				message: 'Alerte',
				options: { excludeNumbers: '={{ $json.optedOut }}' },
			},
			[
				{ phone: '06 12 34 56 22', optedOut },
				{ phone: '01 23 45 67 89, 07.81.23.45.67', optedOut },
				{ phone: '0781234567', optedOut },
			],
		);
		expect(result.error).toBeUndefined();
		const stored = sandbox.messages();
		expect(stored.map((message) => message.to)).toEqual(['+33123456789']);
		expect(result.items.map((item) => item.json)).toEqual([
			{
				recipients: [{ input: '06 12 34 56 22', to: '+33612345622', messageId: null, excluded: true }],
				messageIds: [],
				media: 'Vocal',
				voice: 'claire08s',
				characters: 6,
				reference: expect.stringMatching(/-0$/),
				excludeListIgnored: ['STOP', '12'],
			},
			expect.objectContaining({
				recipients: [
					{ input: '01 23 45 67 89', to: '+33123456789', messageId: String(stored[0].id) },
					{ input: '07.81.23.45.67', to: '+33781234567', messageId: null, excluded: true },
				],
				messageIds: [String(stored[0].id)],
			}),
			expect.objectContaining({ messageIds: [], recipients: [expect.objectContaining({ excluded: true })] }),
		]);
		expect(result.items[1].json).not.toHaveProperty('excludeListIgnored');
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('makes no call at all when every recipient is excluded', async () => {
		const result = await run({ operation: 'send', to: '0612345622', message: 'Bonjour', options: { excludeNumbers: '06 12 34 56 22' } });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ messageIds: [], recipients: [{ to: '+33612345622', messageId: null, excluded: true }] });
		expect(sandbox.stats().calls).toBe(0);
	});
});

describe('Add STOP Mention', () => {
	it('appends the mention on a new line and counts the short code as 5 digits', async () => {
		// 150 characters + "\nSTOP au " + 5 digits = 164 on the phone: two parts, not the 172 written.
		const text = `Soldes d'été au marché couvert. ${'a'.repeat(118)}`;
		expect(text).toHaveLength(150);
		const result = await run({ operation: 'send', to: '0612345678', message: text, options: { stopNotice: true } });
		expect(result.error).toBeUndefined();
		expect(sandbox.messages()[0]).toMatchObject({ text: `${text}\nSTOP au <#shortcode#>`, media: 'SMSLong', parts: 2 });
		expect(result.items[0].json).toMatchObject({ media: 'SMSLong', parts: 2, characters: 164 });

		sandbox.reset();
		const short = await run({ operation: 'send', to: '0612345678', message: 'a'.repeat(145), options: { stopNotice: true } });
		expect(short.items[0].json).toMatchObject({ media: 'SMS', parts: 1, characters: 159 });
		expect(sandbox.messages()[0]).toMatchObject({ media: 'SMS', parts: 1 });
	});

	it('adds nothing when off, the default', async () => {
		await run({ operation: 'send', to: '0612345678', message: 'Bonjour' });
		expect(sandbox.messages()[0].text).toBe('Bonjour');
	});
});
