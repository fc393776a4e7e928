/**
 * DMC's once-a-minute rule for SupervisionWS (§2.4) held by the node against the strict
 * sandbox, on a scaled minute: merged look-ups for a burst with Skip If Already
 * Sent, Get Status over many ids, a poll beside Get Status, and a refusal waited out.
 */
import type { IDataObject } from 'n8n-workflow';

import { SfrDmcApi } from '../../credentials/SfrDmcApi.credentials';
import { PollHarness, runNode, runNodesConcurrently } from '../../harness';
import { SfrDmcSmsTrigger } from '../../nodes/SfrDmc/SfrDmcSmsTrigger.node';
import { startSandbox, type Sandbox } from '../../sandbox';
import { scaleSupervisionMinuteForTests } from '../../nodes/SfrDmc/transport/supervisionGate';
import { sandboxCredentials, smsNodeOn } from './sandboxNode';

/**
 * A longer test minute than the other suites' (both the node's gate and the sandbox count in
 * it): a burst of 100 executions must reach the queue within one minute for the look-ups to
 * share two calls, and a loaded machine can take longer than 200 ms for that.
 */
const MINUTE_MS = 1000;
scaleSupervisionMinuteForTests(MINUTE_MS);

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({
		supervisionIntervalMs: MINUTE_MS,
		deliveryDelayMs: 20,
		failureDelayMs: 20,
		replyDelayMs: 20,
		logger: () => undefined,
	});
});
afterAll(async () => sandbox.close());
beforeEach(() => sandbox.reset());

const lookups = () => sandbox.stats().callsByMethod['SupervisionWS/findCraByIds'] ?? 0;
const number = (n: number) => `06 12 ${String(n).padStart(3, '0')} 000`.replace(/(\d{2})(\d)/, '$1 $2');

function sendWithSkip(n: number) {
	return {
		...smsNodeOn(sandbox),
		items: [{ to: number(n), reference: `request-${n}` }],
		parameters: {
			operation: 'send',
			to: '={{ $json.to }}',
			message: 'Votre demande est enregistrée',
			options: { reference: '={{ $json.reference }}', skipAlreadySent: true },
		},
	};
}

it('100 concurrent executions with Skip If Already Sent share one or two look-ups, break no rule, and send each message once', async () => {
	const runs = Array.from({ length: 100 }, (_, n) => sendWithSkip(n));
	const first = await runNodesConcurrently(runs);
	for (const result of first) {
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	}
	expect(sandbox.messages()).toHaveLength(100);
	expect(new Set(sandbox.messages().map((message) => message.refExt)).size).toBe(100);
	expect(lookups()).toBeGreaterThanOrEqual(1);
	expect(lookups()).toBeLessThanOrEqual(2);
	expect(sandbox.stats()).toMatchObject({ supervisionViolations: 0, violations: 0 });

	// The same burst again: every message found, none sent twice, still one or two look-ups.
	const again = await runNodesConcurrently(runs);
	again.forEach((result, n) => {
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.recipients).toEqual([expect.objectContaining({ alreadySent: true })]);
		expect(result.items[0].json.messageIds).toEqual(first[n].items[0].json.messageIds);
	});
	expect(sandbox.messages()).toHaveLength(100);
	expect(lookups()).toBeLessThanOrEqual(4);
	expect(sandbox.stats().supervisionViolations).toBe(0);
});

it('Get Status of 250 ids reports all 250 in three calls, a minute apart', async () => {
	const ids = Array.from({ length: 250 }, (_, n) => String(900000 + n));
	const result = await runNode({
		...smsNodeOn(sandbox),
		items: [{ ids }],
		parameters: { operation: 'getStatus', messageIds: '={{ $json.ids }}' },
	});
	expect(result.error).toBeUndefined();
	expect(result.items.map((item) => item.json.messageId)).toEqual(ids);
	expect(lookups()).toBe(3);
	expect(sandbox.stats().supervisionViolations).toBe(0);
});

it('a trigger polling while workflows ask Get Status and Get Replies breaks no rule', async () => {
	const sent = await runNode({
		...smsNodeOn(sandbox),
		items: [{ to: '0612345678' }, { to: '0698765432' }],
		parameters: { operation: 'send', to: '={{ $json.to }}', message: 'Rappel : rendez-vous demain', options: {} },
	});
	const ids = sent.items.flatMap((item) => item.json.messageIds as string[]);
	const triggers = await Promise.all(
		(['deliveryStatusChanged', 'replyReceived'] as const).map(
			async (event) =>
				await PollHarness.create({
					nodeType: new SfrDmcSmsTrigger(),
					credentialType: new SfrDmcApi(),
					credentials: sandboxCredentials(sandbox),
					parameters: { event },
				}),
		),
	);
	for (const trigger of triggers) await trigger.activate();
	const now = Date.now();
	const status = (items: IDataObject[]) =>
		runNode({ ...smsNodeOn(sandbox), items, parameters: { operation: 'getStatus', messageIds: '={{ $json.id }}' } });
	const results = await Promise.all([
		...triggers.map(async (trigger) => await trigger.poll()),
		status(ids.map((id) => ({ id }))),
		status([{ id: ids[0] }]),
		runNode({
			...smsNodeOn(sandbox),
			items: [{}],
			parameters: { operation: 'getReplies', since: new Date(now - 60_000).toISOString(), until: new Date(now).toISOString() },
		}),
	]);
	for (const trigger of triggers) await trigger.deactivate();
	for (const result of results.slice(triggers.length)) expect((result as { error?: unknown }).error).toBeUndefined();
	expect(sandbox.stats().supervisionCalls).toBeGreaterThanOrEqual(3);
	expect(sandbox.stats().supervisionViolations).toBe(0);
});

it('a once-a-minute refusal (another client of the service read reports just before) is waited out: no item failed, nothing in doubt', async () => {
	const sent = await runNode({
		...smsNodeOn(sandbox),
		items: [{ to: '0612345678' }],
		parameters: { operation: 'send', to: '={{ $json.to }}', message: 'Votre dossier avance', options: {} },
	});
	const [id] = sent.items[0].json.messageIds as string[];
	// DMC raises its exception: the sandbox answers the node's next look-up as DMC would.
	sandbox.injectFaults({ kind: 'successFalse', errorCode: 'supervision_too_frequent', method: 'findCraByIds' });

	const result = await runNode({
		...smsNodeOn(sandbox),
		items: [{ id }],
		parameters: { operation: 'getStatus', messageIds: '={{ $json.id }}' },
	});
	expect(result.error).toBeUndefined();
	expect(result.items).toEqual([
		expect.objectContaining({ json: expect.objectContaining({ messageId: id, status: 'DONE' }), pairedItem: { item: 0 } }),
	]);
	expect(result.items[0].json.error).toBeUndefined();
	// Refused once, asked again once the gate opened: two calls, and the second broke no rule.
	expect(lookups()).toBe(2);
	expect(sandbox.stats()).toMatchObject({ faultsApplied: 1, supervisionViolations: 0 });
});
