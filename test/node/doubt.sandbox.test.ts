/**
 * Exactly once, even in doubt: the send operation inside n8n's engine (harness) against the
 * sandbox, with each fault that leaves a call's outcome unknown, at each position of a
 * three-call send, with and without continue-on-fail. The invariants (test/node/invariants.ts)
 * are checked against the sandbox's records; then Skip If Already Sent and Cancel.
 */
import { NodeApiError, sleep, type IDataObject, type INodeParameters } from 'n8n-workflow';

import { runNode } from '../../harness';
import { startSandbox, type FaultSpec, type Sandbox } from '../../sandbox';
import { expectInvariants } from './invariants';
import { smsNodeOn } from './sandboxNode';
import { STRICT_TEST_MINUTE } from '../supervisionMinute';

jest.setTimeout(30_000);

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ ...STRICT_TEST_MINUTE, rateMode: 'refuse', logger: () => undefined });
});
afterAll(async () => sandbox.close());
beforeEach(() => sandbox.reset());

/** 40 items of one recipient and one of three: calls of 20, 20 and 4 messages. */
const items: IDataObject[] = [
	...Array.from({ length: 40 }, (_, n) => ({
		to: `06 12 34 56 ${String(n).padStart(2, '0')}`,
		text: `Rappel n°${n}`,
		requestId: `REQ-${n}`,
	})),
	{ to: '0690 00 11 22, 0692 12 34 56, +33 6 12 34 56 99', text: 'Rappel groupé', requestId: 'REQ-40' },
];
const recipients = [
	...Array.from({ length: 40 }, (_, n) => `+336123456${String(n).padStart(2, '0')}`),
	'+590690001122',
	'+262692123456',
	'+33612345699',
];
/** A recipient of the first, the middle and the last call. */
const positions: Array<[string, string]> = [
	['first', '+33612345600'],
	['middle', '+33612345625'],
	['last', '+262692123456'],
];

function send(options: { continueOnFail?: boolean; sendOptions?: IDataObject; input?: IDataObject[]; parameters?: INodeParameters } = {}) {
	return runNode({
		...smsNodeOn(sandbox),
		items: options.input ?? items,
		continueOnFail: options.continueOnFail,
		parameters: {
			operation: 'send',
			to: '={{ $json.to }}',
			message: '={{ $json.text }}',
			options: { reference: '={{ $json.requestId }}', requestTimeout: 1, doubtLookupTime: 1, ...options.sendOptions },
			...options.parameters,
		},
	});
}

const faultsThatStore: Array<[string, FaultSpec]> = [
	['no answer after DMC stored the messages', { kind: 'noAnswer', afterStore: true }],
	['a reset after DMC stored the messages', { kind: 'reset', afterStore: true }],
	['a gateway 502 after DMC stored the messages', { kind: 'html502', afterStore: true }],
	['an unreadable answer after DMC stored the messages', { kind: 'garbage', afterStore: true }],
	['an answer with an id missing', { kind: 'missingIds' }],
];
const faultsThatLose: Array<[string, FaultSpec]> = [
	['no answer, nothing stored', { kind: 'noAnswer' }],
	['a reset, nothing stored', { kind: 'reset' }],
	['a gateway 502, nothing stored', { kind: 'html502' }],
];

const matrix = <F>(faults: Array<[string, F]>) =>
	faults.flatMap(([label, fault]) =>
		positions.flatMap(([position, to]) =>
			[false, true].map((continueOnFail) => [label, position, continueOnFail, { ...fault, to }] as const),
		),
	);

describe('a call whose answer is lost after DMC stored its messages', () => {
	it.each(matrix(faultsThatStore))(
		'%s (%s call, continue-on-fail %s): every message is found again and reported sent',
		async (_l, _p, continueOnFail, fault) => {
			sandbox.injectFaults(fault);
			const result = await send({ continueOnFail });
			expect(sandbox.pendingFaults()).toEqual([]);
			expect(result.error).toBeUndefined();
			const reported = expectInvariants(result, recipients, sandbox.messages());
			expect(reported.sent.size).toBe(recipients.length);
			expect(sandbox.messages()).toHaveLength(recipients.length);
			// The items of the call in doubt say they were recovered; the others do not.
			const recovered = result.items.filter((item) => item.json.recovered === true);
			const callOf = (to: string) => (to === '+33612345600' ? 0 : to === '+33612345625' ? 1 : 2);
			const itemsOfCall = [20, 20, 1][callOf(fault.to!)];
			expect(recovered).toHaveLength(itemsOfCall);
			for (const item of recovered) {
				expect((item.json.recipients as IDataObject[]).every((recipient) => recipient.recovered === true)).toBe(true);
			}
			expect(result.items.every((item) => item.json.error === undefined)).toBe(true);
		},
	);

	it('finds messages DMC lists late, looking again after a pause', async () => {
		sandbox.configure({ reportDelayMs: 1200 });
		sandbox.injectFaults({ kind: 'noAnswer', afterStore: true, to: '+33612345625' });
		const result = await send({ sendOptions: { doubtLookupTime: 10 } });
		expect(result.error).toBeUndefined();
		expectInvariants(result, recipients, sandbox.messages());
		expect(result.items.filter((item) => item.json.recovered === true)).toHaveLength(20);
		// Three calls, then look-ups until the messages show: more than one, far fewer than the maximum.
		// The look-ups are getSingleCallCra listings: no SupervisionWS call, so no once-a-minute wait.
		const lookups = sandbox.stats().callsByMethod['MessagesUnitairesWS/getSingleCallCra'];
		expect(lookups).toBeGreaterThan(1);
		expect(lookups).toBeLessThan(6);
		expect(sandbox.stats()).toMatchObject({ refused: 0, supervisionCalls: 0, supervisionViolations: 0 });
	});
});

describe('a call whose messages DMC never stored', () => {
	it.each(matrix(faultsThatLose))(
		'%s (%s call, continue-on-fail %s): its recipients are in doubt, named, never resent',
		async (_l, _p, continueOnFail, fault) => {
			sandbox.injectFaults(fault);
			const result = await send({ continueOnFail });
			const stored = sandbox.messages();
			const reported = expectInvariants(result, recipients, stored);
			expect(stored.length).toBeLessThan(recipients.length);
			// Exactly the recipients DMC lacks are in doubt: the node looked and did not find them.
			expect([...reported.inDoubt].sort()).toEqual(recipients.filter((to) => !stored.some((message) => message.callAdress === to)).sort());
			expect(reported.inDoubt.has(fault.to!)).toBe(true);
			if (continueOnFail) {
				expect(sandbox.stats().callsByMethod['MessagesUnitairesWS/batchSingleCall']).toBe(3);
				expect(result.error).toBeUndefined();
				const failed = result.items.filter((item) => item.json.error !== undefined);
				for (const item of failed) {
					expect(item.json).toMatchObject({ outcome: 'unknown', error: expect.stringContaining('In doubt, not sent again: +') });
					expect(item.json.description).toContain(`Get Status operation (reference ${item.json.reference as string})`);
				}
			} else {
				expect(result.error).toBeInstanceOf(NodeApiError);
				expect(result.error?.message).toContain(`(${stored.length} message(s) already accepted, ${reported.inDoubt.size} in doubt)`);
				expect(result.error?.message).not.toMatch(/\b0 message\(s\) already accepted/);
			}
		},
	);

	it('never says "0 accepted" when the only call is in doubt', async () => {
		sandbox.injectFaults({ kind: 'reset' });
		const result = await send({ input: [items[0]] });
		expect(result.error?.message).toBe(
			'The call to DMC for MessagesUnitairesWS/batchSingleCall failed: the connection was reset. In doubt, not sent again: +33612345600 (1 message(s) in doubt, none known to be accepted)',
		);
		expect((result.error as NodeApiError).description).toContain('item 0: +33612345600 (reference REQ-0)');
		expectInvariants(result, ['+33612345600'], sandbox.messages());
	});
});

describe('Skip If Already Sent', () => {
	const skip = { skipAlreadySent: true };

	it('running the same workflow twice stores each message once; the second run names the existing ids', async () => {
		const first = await send({ sendOptions: skip });
		expect(first.error).toBeUndefined();
		const second = await send({ sendOptions: skip });
		expect(second.error).toBeUndefined();
		expect(sandbox.messages()).toHaveLength(recipients.length);
		expect(sandbox.stats().callsByMethod['MessagesUnitairesWS/batchSingleCall']).toBe(3);
		second.items.forEach((item, n) => {
			const before = first.items[n].json.recipients as Array<{ messageId: string }>;
			expect(item.json.recipients).toEqual(before.map((recipient) => ({ ...recipient, alreadySent: true })));
			expect(item.json.messageIds).toEqual(first.items[n].json.messageIds);
		});
		// 41 references: one look-up of 100 references at most per call.
		expect(sandbox.stats().callsByMethod['SupervisionWS/findCraByIds']).toBe(2);
		expectInvariants(second, recipients, sandbox.messages());
	});

	it('after a run left messages in doubt, a re-run sends only what DMC lacks', async () => {
		sandbox.injectFaults({ kind: 'noAnswer', to: '+33612345625' });
		const first = await send({ sendOptions: skip });
		const inDoubt = expectInvariants(first, recipients, sandbox.messages()).inDoubt;
		expect(inDoubt.size).toBe(20);
		const second = await send({ sendOptions: skip });
		expect(second.error).toBeUndefined();
		const reported = expectInvariants(second, recipients, sandbox.messages());
		expect(reported.sent.size).toBe(recipients.length);
		const fresh = second.items.flatMap((item) =>
			(item.json.recipients as Array<{ to: string; alreadySent?: boolean }>).filter((r) => !r.alreadySent),
		);
		expect(fresh.map((recipient) => recipient.to).sort()).toEqual([...inDoubt].sort());
	});

	it('a message DMC stored but listed too late for the first run is not sent twice by the re-run', async () => {
		sandbox.configure({ reportDelayMs: 3000 });
		sandbox.injectFaults({ kind: 'reset', afterStore: true, to: '+33612345600' });
		const first = await send({ input: [items[0]], sendOptions: { ...skip, doubtLookupTime: 0 } });
		expect(expectInvariants(first, ['+33612345600'], sandbox.messages()).inDoubt).toEqual(new Set(['+33612345600']));
		await sleep(3100);
		const second = await send({ input: [items[0]], sendOptions: skip });
		expect(second.items[0].json.recipients).toEqual([
			{ input: '06 12 34 56 00', to: '+33612345600', messageId: String(sandbox.messages()[0].id), alreadySent: true },
		]);
		expect(sandbox.messages()).toHaveLength(1);
	});

	it('sends nothing when the look-up fails, and says why', async () => {
		sandbox.injectFaults({ kind: 'successFalse', method: 'findCraByIds', errorCode: 'corruption_base' });
		const result = await send({ input: [items[0]], sendOptions: skip });
		expect(result.error?.message).toMatch(/^Could not check which messages were already sent: DMC refused SupervisionWS\/findCraByIds/);
		expect(sandbox.messages()).toEqual([]);
	});
});

describe('Cancel', () => {
	it('stops a message still pending (a switched-off phone) and leaves a delivered one', async () => {
		const sent = await send({ input: [{ to: '06 99 99 99 06, 06 12 34 56 78', text: 'Alerte envoyée par erreur', requestId: 'ALERT-1' }] });
		const [pending, delivered] = sent.items[0].json.messageIds as string[];
		sandbox.settle(delivered, { status: 'DONE' });
		const byReference = await send({ parameters: { operation: 'cancel', messageIds: '', references: 'ALERT-1' }, input: [{}] });
		expect(byReference.items).toEqual([{ json: { messageIds: [pending, delivered], cancelled: 1 }, pairedItem: { item: 0 } }]);
		expect(sandbox.messages().find((message) => String(message.id) === pending)).toMatchObject({ status: 'FAILED', stopped: true });
		expect(sandbox.messages().find((message) => String(message.id) === delivered)).toMatchObject({ status: 'DONE', stopped: false });
		const again = await send({
			parameters: { operation: 'cancel', messageIds: `={{ ${JSON.stringify([pending])} }}`, references: 'NOPE' },
			input: [{}],
		});
		expect(again.items[0].json).toEqual({ messageIds: [pending], cancelled: 0, referencesNotFound: ['NOPE'] });
	});
});
