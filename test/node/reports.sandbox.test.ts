/**
 * Get Status, Get Replies and List Senders inside n8n's engine, against the sandbox:
 * send first, let the sandbox deliver, then read reports and replies back.
 */
import { sleep, type IDataObject, type INodeParameters } from 'n8n-workflow';

import { getSenders } from '../../nodes/SfrDmc/methods/loadOptions';
import { runNode } from '../../harness';
import { startSandbox, type Sandbox } from '../../sandbox';
import { sandboxCredentials, runSmsNode, smsNodeOn } from './sandboxNode';
import { STRICT_TEST_MINUTE } from '../supervisionMinute';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({
		...STRICT_TEST_MINUTE,
		deliveryDelayMs: 40,
		failureDelayMs: 40,
		replyDelayMs: 40,
		logger: () => undefined,
	});
});
afterAll(async () => sandbox.close());
beforeEach(() => sandbox.reset());

const run = (parameters: INodeParameters, items?: IDataObject[], continueOnFail?: boolean) =>
	runSmsNode(sandbox, parameters, items, continueOnFail);

/** Sends one item per entry and returns the send's output items' json. */
async function sendEach(entries: Array<{ to: string; text: string; reference?: string }>) {
	const result = await run(
		{ operation: 'send', to: '={{ $json.to }}', message: '={{ $json.text }}', options: { reference: '={{ $json.reference ?? "" }}' } },
		entries,
	);
	expect(result.error).toBeUndefined();
	return result.items.map((item) => item.json);
}

describe('getStatus', () => {
	it('reports each message as it ended, chained from a send output', async () => {
		const sent = await sendEach([
			{ to: '06 12 34 56 78, 0690 00 11 22', text: 'Votre demande est prête', reference: 'REQ-1' },
			{ to: '06 99 99 99 01', text: 'Blacklisted' },
		]);
		await sleep(150);
		const result = await run({ operation: 'getStatus', messageIds: '={{ $json.messageIds }}' }, sent);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.pairedItem, item.json.to, item.json.status, item.json.resultCode])).toEqual([
			[{ item: 0 }, '+33612345678', 'DONE', 'CRA_SMS_RECEIVED'],
			[{ item: 0 }, '+590690001122', 'DONE', 'CRA_SMS_RECEIVED'],
			[{ item: 1 }, '+33699999901', 'FAILED', 'CRA_SMS_BLACKLIST'],
		]);
		expect(result.items[0].json).toEqual({
			messageId: (sent[0].messageIds as string[])[0],
			reference: 'REQ-1',
			to: '+33612345678',
			status: 'DONE',
			resultCode: 'CRA_SMS_RECEIVED',
			result: expect.any(String),
			parts: 1,
			updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
		});
	});

	it('finds messages by reference, and reports RUNNING before delivery', async () => {
		const slow = await startSandbox({ ...STRICT_TEST_MINUTE, deliveryDelayMs: 60_000, logger: () => undefined });
		try {
			const options = {
				...smsNodeOn(sandbox),
				credentials: sandboxCredentials(sandbox, slow.baseUrl),
			};
			await runNode({
				...options,
				items: [{}],
				parameters: { operation: 'send', to: '0612345678, 0781234567', message: 'x', options: { reference: 'BATCH-7' } },
			});
			const result = await runNode({ ...options, items: [{}], parameters: { operation: 'getStatus', references: 'BATCH-7' } });
			expect(result.items.map((item) => [item.json.reference, item.json.to, item.json.status, item.json.resultCode])).toEqual([
				['BATCH-7', '+33612345678', 'RUNNING', 'CRA_SMS_SUBMITTED'],
				['BATCH-7', '+33781234567', 'RUNNING', 'CRA_SMS_SUBMITTED'],
			]);
		} finally {
			await slow.close();
		}
	});

	it('returns an UNKNOWN item for an id or reference DMC does not know, not a gap', async () => {
		const [sent] = await sendEach([{ to: '0612345678', text: 'x' }]);
		const known = (sent.messageIds as string[])[0];
		const result = await run({ operation: 'getStatus', messageIds: `999999, ${known}`, references: 'NOPE' });
		expect(result.items.map((item) => [item.json.messageId, item.json.reference, item.json.status])).toEqual([
			['999999', null, 'UNKNOWN'],
			[known, expect.any(String), expect.stringMatching(/^(RUNNING|DONE)$/)],
			[null, 'NOPE', 'UNKNOWN'],
		]);
	});

	it('splits 250 ids over three findCraByIds calls of at most 100, across items', async () => {
		const ids = Array.from({ length: 250 }, (_, n) => String(900000 + n));
		const items = [{ ids: ids.slice(0, 120) }, { ids: ids.slice(120) }];
		const result = await run({ operation: 'getStatus', messageIds: '={{ $json.ids }}' }, items);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(250);
		expect(sandbox.stats().callsByMethod['SupervisionWS/findCraByIds']).toBe(3);
		expect(result.items.filter((item) => item.pairedItem && (item.pairedItem as { item: number }).item === 1)).toHaveLength(130);
	});

	it('refuses an item without ids or references, naming it', async () => {
		const result = await run({ operation: 'getStatus', messageIds: '={{ $json.ids }}' }, [{ ids: ['1'] }, { ids: [] }], true);
		expect(result.items[result.items.length - 1]).toEqual({
			json: { error: 'Give at least one message ID or reference [item 1]' },
			pairedItem: { item: 1 },
		});
	});
});

describe('getReplies', () => {
	it('lists replies and STOPs in the window, numbers in E.164', async () => {
		const sent = await sendEach([
			{ to: '06 99 99 99 03', text: 'Confirmez-vous le rendez-vous ?' },
			{ to: '06 99 99 99 04', text: 'Newsletter. STOP au 36xxx' },
		]);
		await sleep(200);
		const all = await run({ operation: 'getReplies' });
		expect(all.error).toBeUndefined();
		const byFrom = Object.fromEntries(all.items.map((item) => [item.json.from, item.json]));
		expect(byFrom['+33699999903']).toEqual({
			from: '+33699999903',
			text: expect.any(String),
			receivedAt: expect.stringMatching(/Z$/),
			isStop: false,
			messageId: (sent[0].messageIds as string[])[0],
		});
		expect(byFrom['+33699999904']).toMatchObject({ text: 'STOP', isStop: true, messageId: (sent[1].messageIds as string[])[0] });

		const stops = await run({ operation: 'getReplies', stopOnly: true });
		expect(stops.items.map((item) => item.json.from)).toEqual(['+33699999904']);

		const before = await run({ operation: 'getReplies', until: '2020-01-01T00:00:00Z' });
		expect(before.items).toEqual([]);
	});

	it('refuses a window that ends before it starts', async () => {
		const result = await run({ operation: 'getReplies', since: '2026-02-01T00:00:00Z', until: '2026-01-01T00:00:00Z' });
		expect(result.error?.message).toMatch(/^Since \(2026-02-01T00:00:00.000Z\) is after Until.* \[item 0\]$/);
	});
});

describe('listSenders', () => {
	it("lists the account's sender ids, and feeds the Sender drop-down", async () => {
		const result = await run({ operation: 'listSenders' });
		expect(result.items).toEqual([
			{ json: { sender: 'SFR' }, pairedItem: { item: 0 } },
			{ json: { sender: 'MAIRIE' }, pairedItem: { item: 0 } },
		]);
		const context = {
			getNode: () => ({
				id: 'n',
				name: 'SFR DMC SMS',
				type: 'sfrDmcSms',
				typeVersion: 1,
				position: [0, 0] as [number, number],
				parameters: {},
			}),
			getCredentials: async () => sandboxCredentials(sandbox),
			helpers: {
				httpRequestWithAuthentication: async () => ({
					statusCode: 200,
					body: JSON.stringify({ success: true, response: ['SFR', 'MAIRIE'] }),
				}),
			},
		};
		await expect(getSenders.call(context as never)).resolves.toEqual([
			{ name: "Account's Default", value: '', description: 'Let DMC choose the sender' },
			{ name: 'SFR', value: 'SFR' },
			{ name: 'MAIRIE', value: 'MAIRIE' },
		]);
	});
});
