import nock from 'nock';
import { NodeApiError, NodeOperationError, type IDataObject, type INodeParameters } from 'n8n-workflow';

import { SfrDmcApi } from '../../credentials/SfrDmcApi.credentials';
import { SfrDmcSms } from '../../nodes/SfrDmc/SfrDmcSms.node';
import { engineLogs, runNode, type RunNodeOptions } from '../../harness';
import { cleanNock, DMC_ORIGIN, DMC_PATH, dmcCredentials, mockBatchSingleCall, PASSWORD } from '../node/dmcMock';

const SECRET_FORMS = [PASSWORD, encodeURIComponent(PASSWORD), JSON.stringify(PASSWORD).slice(1, -1)];

/** The password appears in none of the values, nor in anything n8n logged. */
function expectNoSecret(...values: unknown[]) {
	for (const value of [...values, engineLogs]) {
		const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
		for (const secret of SECRET_FORMS) expect(text).not.toContain(secret);
	}
}

function send(options: Partial<RunNodeOptions> & { items: RunNodeOptions['items'] }) {
	const { parameters, ...rest } = options;
	return runNode({
		nodeType: new SfrDmcSms(),
		credentialType: new SfrDmcApi(),
		credentials: dmcCredentials(),
		...rest,
		parameters: { operation: 'send', to: '={{ $json.to }}', message: '={{ $json.text }}', ...parameters },
	});
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => cleanNock());
afterAll(() => nock.enableNetConnect());

describe('send: what goes over the wire', () => {
	it('POSTs one form with the login in the body, E.164 numbers and every option', async () => {
		const dmc = mockBatchSingleCall();
		const result = await send({
			items: [{ to: '06 12 34 56 78; 0690 00 11 22', text: 'Votre demande est enregistrée.' }],
			parameters: {
				sender: 'MAIRIE',
				options: { reference: 'REQ-42', validity: 60 },
			},
		});
		expect(result.error).toBeUndefined();
		expect(dmc.calls).toHaveLength(1);
		const [call] = dmc.calls;
		expect(call.method).toBe('POST');
		expect(call.path).toBe(`${DMC_PATH}/MessagesUnitairesWS/batchSingleCall`);
		expect(call.contentType).toBe('application/x-www-form-urlencoded');
		expect(Object.keys(call.fields).sort()).toEqual(['authenticate', 'messageUnitaires']);
		expect(call.authenticate).toEqual({
			serviceId: expect.stringMatching(/^svc-/),
			servicePassword: PASSWORD,
			spaceId: 'space-7',
			lang: 'en_GB',
		});
		// A literal + would arrive as a space at DMC: it must be form-encoded.
		expect(call.raw).toContain('%2B33612345678');
		expect(call.raw).not.toMatch(/[?&]servicePassword=/);
		expect(call.messages).toEqual([
			{ media: 'SMS', textMsg: 'Votre demande est enregistrée.', to: '+33612345678', from: 'MAIRIE', timeout: 60, refExt: 'REQ-42' },
			{ media: 'SMS', textMsg: 'Votre demande est enregistrée.', to: '+590690001122', from: 'MAIRIE', timeout: 60, refExt: 'REQ-42' },
		]);
		expectNoSecret(call.path);
	});

	it('leaves out the sender and validity when they are not set, and references each item by execution', async () => {
		const dmc = mockBatchSingleCall();
		const result = await send({
			items: [
				{ to: '0612345678', text: 'Bonjour' },
				{ to: '0612345679', text: 'Bonjour' },
			],
		});
		expect(dmc.calls[0].messages).toEqual([
			// The harness names its executions engine-test-<n>.
			{ media: 'SMS', textMsg: 'Bonjour', to: '+33612345678', refExt: expect.stringMatching(/^n8n-engine-test-\d+-0$/) },
			{ media: 'SMS', textMsg: 'Bonjour', to: '+33612345679', refExt: expect.stringMatching(/^n8n-engine-test-\d+-1$/) },
		]);
		expect(result.items.map((item) => item.json.reference)).toEqual(dmc.calls[0].messages.map((message) => message.refExt));
	});

	it('takes each element of an array expression as one recipient, and sends a repeated number once', async () => {
		const dmc = mockBatchSingleCall();
		const result = await send({
			items: [{ phones: ['06 12 34 56 78', '+33612345678', '0033 7 81 23 45 67'], text: 'Rappel' }],
			parameters: { to: '={{ $json.phones }}' },
		});
		expect(dmc.calls[0].messages.map((message) => message.to)).toEqual(['+33612345678', '+33781234567']);
		expect(result.items[0].json.recipients).toEqual([
			{ input: '06 12 34 56 78', to: '+33612345678', messageId: '1000' },
			{ input: '0033 7 81 23 45 67', to: '+33781234567', messageId: '1001' },
		]);
	});

	it('chooses the media from the text and reports parts and characters', async () => {
		const dmc = mockBatchSingleCall();
		const result = await send({
			items: [
				{ to: '0612345678', text: 'a'.repeat(161) },
				{ to: '0612345678', text: 'Merci 👍' },
				{ to: '0612345678', text: 'Tarif : 5 €' },
			],
		});
		expect(dmc.calls[0].messages.map((message) => message.media)).toEqual(['SMSLong', 'SMSUnicode', 'SMSUnicode']);
		expect(result.items.map((item) => [item.json.media, item.json.parts, item.json.characters])).toEqual([
			['SMSLong', 2, 161],
			['SMSUnicode', 1, 7],
			['SMSUnicode', 1, 11],
		]);
	});

	it('forces the encoding when asked', async () => {
		const dmc = mockBatchSingleCall();
		await send({ items: [{ to: '0612345678', text: 'Bonjour' }], parameters: { options: { encoding: 'unicode' } } });
		expect(dmc.calls[0].messages[0].media).toBe('SMSUnicode');
	});
});

describe('send: batching and output', () => {
	it('packs 45 single-recipient items into calls of 20, 20 and 5, and maps every id back in order', async () => {
		const dmc = mockBatchSingleCall();
		const items = Array.from({ length: 45 }, (_, n) => ({ to: `06 12 34 56 ${String(n).padStart(2, '0')}`, text: `Message ${n}` }));
		const result = await send({ items });
		expect(dmc.calls.map((call) => call.messages.length).sort((a, b) => b - a)).toEqual([20, 20, 5]);
		expect(result.items).toHaveLength(45);
		const sentTo = new Map(dmc.calls.flatMap((call) => call.messages.map((message) => [message.textMsg, message.to])));
		result.items.forEach((item, n) => {
			expect(item.pairedItem).toEqual({ item: n });
			expect(item.json.recipients).toEqual([
				{ input: items[n].to, to: sentTo.get(`Message ${n}`), messageId: expect.stringMatching(/^\d+$/) },
			]);
		});
		// Ids are those DMC answered for each item's own message.
		const idOf = new Map<string, string>();
		let id = 1000;
		for (const call of [...dmc.calls]) for (const message of call.messages) idOf.set(String(message.textMsg), String(id++));
		result.items.forEach((item, n) => expect(item.json.messageIds).toEqual([idOf.get(`Message ${n}`)]));
	});

	it('keeps each item whole in one call', async () => {
		const dmc = mockBatchSingleCall();
		const numbers = (count: number, from: number) =>
			Array.from(
				{ length: count },
				(_, n) =>
					`06 12 35 ${String(from + n)
						.padStart(4, '0')
						.replace(/(\d\d)(\d\d)/, '$1 $2')}`,
			).join(',');
		const result = await send({
			items: [
				{ to: numbers(15, 0), text: 'A' },
				{ to: numbers(10, 100), text: 'B' },
				{ to: numbers(5, 200), text: 'C' },
			],
		});
		const shapes = dmc.calls.map((call) => [...new Set(call.messages.map((message) => message.textMsg))].sort().join(''));
		expect(shapes.sort()).toEqual(['A', 'BC']);
		expect(result.items.map((item) => (item.json.messageIds as string[]).length)).toEqual([15, 10, 5]);
	});

	it('outputs the documented shape', async () => {
		mockBatchSingleCall();
		const result = await send({
			items: [{ to: '0612345678', text: 'Bonjour' }],
			parameters: { options: { reference: 'R1' } },
		});
		expect(result.items).toEqual([
			{
				json: {
					recipients: [{ input: '0612345678', to: '+33612345678', messageId: '1000' }],
					messageIds: ['1000'],
					media: 'SMS',
					parts: 1,
					characters: 7,
					reference: 'R1',
				},
				pairedItem: { item: 0 },
			},
		]);
	});
});

describe('send: input errors name the item and the value, and nothing is sent', () => {
	// Parameters that are not per item would fail item 0 too: those read the bad item's json.
	const cases: Array<[string, IDataObject, INodeParameters, RegExp]> = [
		['an invalid number', { to: '0612345678, 06 12 34', text: 'x' }, {}, /^"06 12 34" is not a valid phone number.* \[item 1\]$/],
		['a premium-rate number', { to: '0899123456', text: 'x' }, {}, /^"0899123456" is a premium-rate number.* \[item 1\]$/],
		[
			'21 recipients',
			{ to: Array.from({ length: 21 }, (_, n) => `0612345${String(n).padStart(3, '0')}`).join(';'), text: 'x' },
			{},
			/^21 distinct recipients in one item; at most 20.* \[item 1\]$/,
		],
		['an empty text', { to: '0612345678', text: '  ' }, {}, /^The message is empty.* \[item 1\]$/],
		[
			'a text over the maximum parts',
			{ to: '0612345678', text: 'a'.repeat(400) },
			{ options: { maxParts: 2 } },
			/^The message takes 3 SMS parts.* \[item 1\]$/,
		],
		[
			'a sender with punctuation',
			{ to: '0612345678', text: 'x', sender: 'Mairie-Lyon' },
			{ sender: '={{ $json.sender ?? "" }}' },
			/^The sender "Mairie-Lyon".* \[item 1\]$/,
		],
		[
			'a sender over 11 characters',
			{ to: '0612345678', text: 'x', sender: 'MairieDeLyon7' },
			{ sender: '={{ $json.sender ?? "" }}' },
			/^The sender "MairieDeLyon7" has 13 characters.* \[item 1\]$/,
		],
		[
			'a number outside the allowed countries',
			{ to: '+32470123456', text: 'x' },
			{ options: { allowedCountries: 'FR, GP' } },
			/^"\+32470123456" is a BE number.* \[item 1\]$/,
		],
		[
			'an unknown default country',
			{ to: '0612345678', text: 'x', country: 'XX' },
			{ options: { defaultCountry: '={{ $json.country ?? "FR" }}' } },
			/^"XX" is not a supported ISO country code.* \[item 1\]$/,
		],
		[
			'a validity that is not a whole number of minutes',
			{ to: '0612345678', text: 'x', validity: 2.5 },
			{ options: { validity: '={{ $json.validity ?? 60 }}' } },
			/^Validity must be a whole number of minutes of at least 1, not 2.5.* \[item 1\]$/,
		],
		[
			'an expression that yields nothing',
			{ to: '0612345678', text: 'x', bad: true },
			{ message: '={{ $json.bad ? $json.missing.deeper : $json.text }}' },
			/^The message is empty.* \[item 1\]$/,
		],
		[
			'recipients given as an object',
			{ to: { phone: '0612345678' }, text: 'x' },
			{},
			/^Recipients must be text .* not an object.* \[item 1\]$/,
		],
		['recipients given as null', { to: null, text: 'x' }, {}, /^.*(not null|No recipient).* \[item 1\]$/],
		['a nested list of recipients', { to: [['0612345678']], text: 'x' }, {}, /^Recipient 1 of the list is a list.* \[item 1\]$/],
		['10,000 separators and no number', { to: ',;\n'.repeat(3334), text: 'x' }, {}, /^No recipient.* \[item 1\]$/],
		['a 100,000-character text', { to: '0612345678', text: 'a'.repeat(100_000) }, {}, /^The message takes 654 SMS parts.* \[item 1\]$/],
		['a number given as a number', { to: 612345678, text: 'x' }, {}, /^Recipients must be text .* not the number 612345678.* \[item 1\]$/],
		['a message given as an object', { to: '0612345678', text: { body: 'x' } }, {}, /^The message must be text.* \[item 1\]$/],
	];

	it.each(cases)('%s stops the node before any SMS is sent', async (_, badItem, parameters, message) => {
		const dmc = mockBatchSingleCall();
		const result = await send({ items: [{ to: '0612345678', text: 'ok' }, badItem], parameters });
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(result.error?.message).toMatch(message);
		expect((result.error as NodeOperationError).context.itemIndex).toBe(1);
		expect(dmc.calls).toHaveLength(0);
	});

	it.each(cases)('%s becomes an error item under continue-on-fail, the others are sent', async (_, badItem, parameters, message) => {
		const dmc = mockBatchSingleCall();
		const result = await send({ items: [{ to: '0612345678', text: 'ok' }, badItem], parameters, continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(2);
		expect(result.items[0].json.messageIds).toEqual(['1000']);
		expect(result.items[1]).toEqual({ json: { error: expect.stringMatching(message) }, pairedItem: { item: 1 } });
		expect(dmc.calls).toHaveLength(1);
		expect(dmc.calls[0].messages).toHaveLength(1);
	});
});

describe('send: DMC errors', () => {
	// Items 0-19 go in the first call, 20-39 in the second, 40-44 in the third.
	const items = Array.from({ length: 45 }, (_, n) => ({ to: `07 81 23 45 ${String(n).padStart(2, '0')}`, text: `M${n}` }));
	/** DMC refuses the call that carries item `first`'s message. */
	const refuseCallOf = (first: number) => (messages: Array<Record<string, unknown>>) =>
		messages.some((message) => message.textMsg === `M${first}`)
			? ([200, { success: false, errorCode: 'invalid_parameter', errorDetail: 'Le paramètre to est invalide', fatal: true }] as [
					number,
					Record<string, unknown>,
				])
			: undefined;
	const failingCalls: Array<[string, number, number]> = [
		['first', 0, 20],
		['middle', 20, 40],
		['last', 40, 45],
	];

	it.each(failingCalls)(
		'with continue-on-fail, the %s call failing: exactly its items become error items, the rest is sent',
		async (_, first, end) => {
			const dmc = mockBatchSingleCall(refuseCallOf(first));
			const result = await send({ items, continueOnFail: true });
			expect(result.error).toBeUndefined();
			expect(dmc.calls).toHaveLength(3);
			expect(result.items).toHaveLength(45);
			result.items.forEach((item, n) => {
				expect(item.pairedItem).toEqual({ item: n });
				if (n >= first && n < end) {
					expect(item.json).toMatchObject({
						error: 'DMC refused MessagesUnitairesWS/batchSingleCall: invalid_parameter',
						errorCode: 'invalid_parameter',
						outcome: 'refused',
						description: 'Le paramètre to est invalide',
						recipients: [{ input: items[n].to, to: expect.stringMatching(/^\+33781234/), messageId: null }],
					});
				} else {
					expect(item.json.messageIds).toEqual([expect.stringMatching(/^\d+$/)]);
					expect(item.json.error).toBeUndefined();
				}
			});
			expectNoSecret(result.items, result.runData);
		},
	);

	it.each(failingCalls)('without it, the %s call failing: the error says what DMC had already accepted, with the ids', async (_, first) => {
		const dmc = mockBatchSingleCall(refuseCallOf(first));
		const result = await send({ items });
		expect(result.error).toBeInstanceOf(NodeApiError);
		const error = result.error as NodeApiError;
		const accepted = dmc.calls.filter((call) => !call.messages.some((m) => m.textMsg === `M${first}`));
		const acceptedCount = accepted.reduce((sum, call) => sum + call.messages.length, 0);
		expect(error.message).toBe(
			`DMC refused MessagesUnitairesWS/batchSingleCall: invalid_parameter (${acceptedCount} message(s) already accepted)`,
		);
		expect(error.description).toContain('Le paramètre to est invalide');
		expect(error.description).toContain(`${acceptedCount} message(s) of this execution were already accepted by DMC`);
		// Every accepted message is listed with its id; none of the refused call's.
		const listed = [...(error.description ?? '').matchAll(/item (\d+): \+\d+ → \d+/g)].map((match) => Number(match[1]));
		expect(listed.sort((a, b) => a - b)).toEqual(
			accepted.flatMap((call) => call.messages.map((m) => Number(String(m.textMsg).slice(1)))).sort((a, b) => a - b),
		);
		expect(error.context.itemIndex).toBe(first);
		expectNoSecret(error.message, error.description, result.runData);
	});

	it('names every item of the calls not started when it stopped, so that none is left unaccounted for', async () => {
		// 140 items make seven calls, five at a time; the first is refused.
		const many = Array.from({ length: 140 }, (_, n) => ({
			to: `07 81 23 ${String(Math.floor(n / 100)).padStart(2, '0')} ${String(n % 100).padStart(2, '0')}`,
			text: `M${n}`,
		}));
		const dmc = mockBatchSingleCall(refuseCallOf(0));
		const result = await send({ items: many });
		const description = (result.error as NodeApiError).description ?? '';
		const sent = new Set(dmc.calls.flatMap((call) => call.messages.map((m) => Number(String(m.textMsg).slice(1)))));
		const accepted = [...description.matchAll(/item (\d+): \+\d+ → \d+/g)].map((match) => Number(match[1]));
		const notSentList = /Not sent, as the node stopped first: item\(s\) ([\d, ]+)\./.exec(description)?.[1];
		const notSent = notSentList ? notSentList.split(', ').map(Number) : [];
		// Items 0-19 were refused; each other item was either accepted or named as not sent.
		expect([...accepted, ...notSent].sort((a, b) => a - b)).toEqual(Array.from({ length: 120 }, (_, n) => n + 20));
		expect(notSent.every((item) => !sent.has(item))).toBe(true);
	});

	it('says so when nothing had been accepted', async () => {
		mockBatchSingleCall(() => [200, { success: false, errorCode: 'authentication_failed', errorDetail: 'Bad login' }]);
		const result = await send({ items: [{ to: '0612345678', text: 'x' }] });
		expect(result.error?.message).toBe(
			'DMC refused MessagesUnitairesWS/batchSingleCall: authentication_failed (0 message(s) already accepted)',
		);
		expect((result.error as NodeApiError).description).toContain('No message of this execution was accepted by DMC.');
	});

	it.each<[string, () => void, RegExp, string]>([
		[
			'an HTML 502 from a gateway',
			() =>
				nock(DMC_ORIGIN)
					.post(/batchSingleCall/)
					.reply(502, '<html><body>Bad Gateway</body></html>', { 'content-type': 'text/html' }),
			/DMC's gateway answered HTTP 502/,
			'HTTP_502',
		],
		[
			'an HTML page with status 200',
			() =>
				nock(DMC_ORIGIN)
					.post(/batchSingleCall/)
					.reply(200, '<html>Maintenance</html>', { 'content-type': 'text/html' }),
			/not a DMC JSON answer/,
			'INVALID_RESPONSE',
		],
		[
			'a garbage body',
			() =>
				nock(DMC_ORIGIN)
					.post(/batchSingleCall/)
					.reply(200, '{"succ'),
			/not a DMC JSON answer/,
			'INVALID_RESPONSE',
		],
		[
			'ids missing from the answer',
			() =>
				nock(DMC_ORIGIN)
					.post(/batchSingleCall/)
					.reply(200, { success: true, response: [1] }),
			/without one id per message/,
			'UNEXPECTED_RESPONSE',
		],
	])('%s is a NodeApiError, or an error item under continue-on-fail', async (_, mock, message, errorCode) => {
		const twoRecipients = [{ to: '0612345678, 0781234567', text: 'x' }];
		// The outcome is unknown: the node lists the messages sent since the call started, here in vain.
		const lookups: string[] = [];
		nock(DMC_ORIGIN)
			.persist()
			.post(`${DMC_PATH}/MessagesUnitairesWS/getSingleCallCra`)
			.reply((_uri, body) => {
				lookups.push(new URLSearchParams(String(body)).get('beginDate') ?? '');
				return [200, { success: true, response: { list: [], total: 0 } }];
			});
		const parameters = { options: { reference: 'REQ-9', doubtLookupTime: 0 } };
		mock();
		const thrown = await send({ items: twoRecipients, parameters });
		expect(thrown.error).toBeInstanceOf(NodeApiError);
		expect(thrown.error?.message).toMatch(message);
		expect(thrown.error?.message).toContain(
			'In doubt, not sent again: +33612345678, +33781234567 (2 message(s) in doubt, none known to be accepted)',
		);
		expectNoSecret(thrown.error?.message, (thrown.error as NodeApiError).description, thrown.runData);

		mock();
		const continued = await send({ items: twoRecipients, continueOnFail: true, parameters });
		expect(lookups).toHaveLength(2);
		expect(lookups.every((begin) => /^\d+$/.test(begin))).toBe(true);
		expect(continued.items).toHaveLength(1);
		expect(continued.items[0].json).toMatchObject({ error: expect.stringMatching(message), errorCode, outcome: 'unknown' });
		expect(continued.items[0].json.recipients).toEqual([
			{ input: '0612345678', to: '+33612345678', messageId: null, inDoubt: true },
			{ input: '0781234567', to: '+33781234567', messageId: null, inDoubt: true },
		]);
		expect(continued.items[0].json.description).toContain('Get Status operation (reference REQ-9)');
		expect(continued.items[0].pairedItem).toEqual({ item: 0 });
		expectNoSecret(continued.items, continued.runData);
	});

	it('never repeats the password, even when a gateway echoes it back', async () => {
		mockBatchSingleCall(() => [
			200,
			{ success: false, errorCode: 'authentication_failed', errorDetail: `Wrong password ${PASSWORD} / ${encodeURIComponent(PASSWORD)}` },
		]);
		const result = await send({ items: [{ to: '0612345678', text: 'x' }], continueOnFail: true });
		expect(result.items[0].json.description).toBe('Wrong password *** / ***');
		expectNoSecret(result.items, result.runData);
	});
});
