/**
 * DMC's once-a-minute rule for SupervisionWS (§2.4) held by the node against the strict
 * sandbox, on the suites' scaled minute: merged look-ups for a burst with Skip If Already
 * Sent, Get Status over many ids, a poll beside Get Status, and a refusal waited out.
 */
import type { IDataObject } from 'n8n-workflow';

import { SfrDmcApi } from '../../credentials/SfrDmcApi.credentials';
import { PollHarness, runNode, runNodesConcurrently } from '../../harness';
import { SfrDmcSmsTrigger } from '../../nodes/SfrDmc/SfrDmcSmsTrigger.node';
import { startSandbox, type Sandbox } from '../../sandbox';
import { STRICT_TEST_MINUTE } from '../supervisionMinute';
import { sandboxCredentials, smsNodeOn } from './sandboxNode';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({
		...STRICT_TEST_MINUTE,
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

it('a once-a-minute refusal caused by another client of the service is waited out: no item failed, nothing in doubt', async () => {
	const sent = await runNode({
		...smsNodeOn(sandbox),
		items: [{ to: '0612345678' }],
		parameters: { operation: 'send', to: '={{ $json.to }}', message: 'Votre dossier avance', options: {} },
	});
	const [id] = sent.items[0].json.messageIds as string[];
	// The extranet (or a script) reads reports of the same service just before the node.
	const other = await fetch(`${sandbox.baseUrl}/SupervisionWS/findCraByIds`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			authenticate: JSON.stringify({ serviceId: 'sandbox-service', servicePassword: 'sandbox-password', spaceId: 'sandbox-space' }),
			contactIds: JSON.stringify([Number(id)]),
		}),
	});
	expect(((await other.json()) as { success: boolean }).success).toBe(true);

	const result = await runNode({
		...smsNodeOn(sandbox),
		items: [{ id }],
		parameters: { operation: 'getStatus', messageIds: '={{ $json.id }}' },
	});
	expect(result.error).toBeUndefined();
	expect(result.items).toEqual([expect.objectContaining({ json: expect.objectContaining({ messageId: id }), pairedItem: { item: 0 } })]);
	expect(result.items[0].json.error).toBeUndefined();
	// The node's first call was refused (the one violation, the other client's doing), its second served.
	expect(lookups()).toBe(3);
	expect(sandbox.stats()).toMatchObject({ supervisionViolations: 1, refused: 1 });
});
