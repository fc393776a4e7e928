/**
 * The send operation inside n8n's engine, over real HTTP, against the local DMC sandbox:
 * what DMC stores, and the accounting invariant under every fault the sandbox can play.
 */
import { NodeApiError, type IDataObject, type INodeExecutionData } from 'n8n-workflow';

import { engineLogs, runNode, type RunNodeResult } from '../../harness';
import { startSandbox, type FaultSpec, type Sandbox } from '../../sandbox';
import { expectNoSecret, smsNodeOn } from './sandboxNode';
import { STRICT_TEST_MINUTE } from '../supervisionMinute';

const PASSWORD = 'sandbox+P@ss&word=1';
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ ...STRICT_TEST_MINUTE, servicePassword: PASSWORD, rateMode: 'refuse', logger: () => undefined });
});
afterAll(async () => sandbox.close());
beforeEach(() => sandbox.reset());

function credentials(baseUrl = sandbox.baseUrl) {
	return { serviceId: 'sandbox-service', servicePassword: PASSWORD, spaceId: 'sandbox-space', baseUrl };
}

/** 45 single-recipient items and 1 item of 3: calls of 20, 20 and 8 messages. */
const items: IDataObject[] = [
	...Array.from({ length: 45 }, (_, n) => ({ to: `06 12 34 56 ${String(n).padStart(2, '0')}`, text: `Rappel n°${n}` })),
	{ to: '0690 00 11 22, 0692 12 34 56, +33 6 12 34 56 00', text: 'Rappel groupé' },
];

async function send(options: { continueOnFail?: boolean; baseUrl?: string; requestTimeout?: number; input?: IDataObject[] } = {}) {
	return await runNode({
		...smsNodeOn(sandbox),
		credentials: credentials(options.baseUrl),
		items: options.input ?? items,
		continueOnFail: options.continueOnFail,
		parameters: {
			operation: 'send',
			to: '={{ $json.to }}',
			message: '={{ $json.text }}',
			options: options.requestTimeout ? { requestTimeout: options.requestTimeout } : {},
		},
	});
}

const idsOf = (item: INodeExecutionData) => (item.json.messageIds as string[] | undefined) ?? [];

/**
 * Every input item ends as exactly one output item, sent (one id per recipient, each id
 * stored by DMC) or an error; DMC received each message at most once; no secret anywhere.
 */
function expectAccountingInvariant(result: RunNodeResult, input: IDataObject[] = items) {
	const stored = sandbox.messages();
	const storedKeys = stored.map((message) => `${message.to}|${message.text}`);
	expect(new Set(storedKeys).size).toBe(storedKeys.length);
	const storedIds = new Set(stored.map((message) => String(message.id)));
	if (!result.error || result.items.length > 0) {
		expect(result.items).toHaveLength(input.length);
		result.items.forEach((item, n) => {
			expect(item.pairedItem).toEqual({ item: n });
			if (item.json.error === undefined) {
				const recipients = item.json.recipients as Array<{ to: string; messageId: string }>;
				expect(idsOf(item)).toHaveLength(recipients.length);
				for (const id of idsOf(item)) expect(storedIds.has(id)).toBe(true);
			} else {
				expect(idsOf(item)).toEqual([]);
			}
		});
	}
	expect(engineLogs.length).toBeGreaterThan(0);
	expectNoSecret(result, PASSWORD);
}

describe('send against the sandbox', () => {
	it('delivers every message once, in E.164, and reports the ids DMC gave', async () => {
		const result = await send();
		expect(result.error).toBeUndefined();
		expectAccountingInvariant(result);
		const stored = sandbox.messages();
		expect(stored).toHaveLength(48);
		expect(sandbox.stats().callsByMethod).toMatchObject({ 'MessagesUnitairesWS/batchSingleCall': 3 });
		const last = result.items[45].json;
		expect(last.recipients).toEqual([
			{ input: '0690 00 11 22', to: '+590690001122', messageId: expect.any(String) },
			{ input: '0692 12 34 56', to: '+262692123456', messageId: expect.any(String) },
			{ input: '+33 6 12 34 56 00', to: '+33612345600', messageId: expect.any(String) },
		]);
		for (const recipient of last.recipients as Array<{ to: string; messageId: string }>) {
			const message = stored.find((candidate) => String(candidate.id) === recipient.messageId);
			expect(message).toMatchObject({ to: recipient.to, text: 'Rappel groupé', media: 'SMS', status: 'RUNNING' });
		}
		expect(sandbox.stats().violations).toBe(0);
	});

	it('two executions at once share the 5 calls/s limit: the sandbox counts no violation', async () => {
		const input = Array.from({ length: 120 }, (_, n) => ({
			to: `07 81 23 ${String(Math.floor(n / 100)).padStart(2, '0')} ${String(n % 100).padStart(2, '0')}`,
			text: `Lot ${n}`,
		}));
		const [a, b] = await Promise.all([send({ input }), send({ input: input.map((item) => ({ ...item, text: `${item.text} bis` })) })]);
		expect(a.error).toBeUndefined();
		expect(b.error).toBeUndefined();
		const stats = sandbox.stats();
		expect(stats.callsByMethod['MessagesUnitairesWS/batchSingleCall']).toBe(12);
		expect(stats.violations).toBe(0);
		expect(stats.refused).toBe(0);
		expect(sandbox.messages()).toHaveLength(240);
	}, 20_000);
});

// Faults that leave a call's outcome unknown (no answer, reset, gateway error, garbage,
// ids missing) are resolved by reference: test/node/doubt.sandbox.test.ts checks them.
describe('refusals: the accounting invariant holds with and without continue-on-fail', () => {
	const faults: Array<[string, FaultSpec]> = [
		['success:false on one call', { kind: 'successFalse', count: 1, errorCode: 'corruption_base' }],
		['success:false on every call', { kind: 'successFalse', count: 3 }],
	];

	it.each(faults)(
		"%s, continue-on-fail: the failed call's items are error items, the others sent",
		async (_, fault) => {
			sandbox.injectFaults(fault);
			const result = await send({ continueOnFail: true, requestTimeout: 1 });
			expect(result.error).toBeUndefined();
			expectAccountingInvariant(result);
			const failed = result.items.filter((item) => item.json.error !== undefined);
			expect(failed.length).toBeGreaterThan(0);
			for (const item of failed) {
				expect(item.json).toMatchObject({ errorCode: expect.any(String), outcome: 'refused' });
			}
			// Items of calls that did not fail are all sent.
			expect(result.items.filter((item) => idsOf(item).length > 0).length + failed.length).toBe(items.length);
		},
		20_000,
	);

	it.each(faults)(
		'%s, no continue-on-fail: the thrown error lists every id DMC accepted',
		async (_, fault) => {
			sandbox.injectFaults(fault);
			const result = await send({ requestTimeout: 1 });
			expect(result.error).toBeInstanceOf(NodeApiError);
			expectAccountingInvariant(result);
			const description = (result.error as NodeApiError).description ?? '';
			const reported = [...description.matchAll(/→ (\d+)/g)].map((match) => match[1]);
			expect(result.error?.message).toContain(`(${reported.length} message(s) already accepted)`);
			// What DMC stored is exactly what the error reports.
			const stored = sandbox.messages().map((message) => String(message.id));
			expect(reported.sort()).toEqual(stored.sort());
		},
		20_000,
	);

	it('a refused connection: nothing reached DMC, and the error says so', async () => {
		const closed = await startSandbox({ ...STRICT_TEST_MINUTE, logger: () => undefined });
		const baseUrl = closed.baseUrl;
		await closed.close();
		const result = await send({ baseUrl, input: [{ to: '0612345678', text: 'x' }], continueOnFail: true });
		expect(result.items[0].json).toMatchObject({
			error: expect.stringMatching(/Could not reach DMC .*: the connection was refused/),
			errorCode: 'ECONNREFUSED',
			outcome: 'not-sent',
		});
	});
});
