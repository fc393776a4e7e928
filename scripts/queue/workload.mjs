// What `npm run test:queue` asks of the cluster: the sandbox it sends to, the workflows, the
// webhook calls and the replies.
import { randomUUID } from 'node:crypto';
import { SetupError } from '../lib/processes.mjs';
import { startSandbox as startTestSandbox } from '../test-n8n/sandbox.mjs';
import { log } from './context.mjs';

/** The node refuses more than this many recipients per item. */
const RECIPIENTS_PER_ITEM = 20;
export const WEBHOOK_PATH = 'sfr-dmc-queue-test';

/** test:n8n's DMC sandbox, refusing calls over 5 a second as SFR may. */
export async function startSandbox() {
	const sandbox = await startTestSandbox({ DMC_SANDBOX_RATE_MODE: 'refuse' });
	log(`DMC sandbox on ${sandbox.url} (rate mode refuse)`);
	return {
		baseUrl: sandbox.baseUrl,
		messages: () => sandbox.get('/_sandbox/messages'),
		stats: () => sandbox.get('/_sandbox/stats'),
		reply: (messageId, text) => sandbox.post('/_sandbox/replies', { messageId, text }),
	};
}

/** Webhook → Split Out (one item per recipient group) → SFR DMC SMS. */
export function sendWorkflow(packageName, credential) {
	const node = (name, type, typeVersion, position, parameters, extra = {}) => ({
		id: randomUUID(),
		name,
		type,
		typeVersion,
		position,
		parameters,
		...extra,
	});
	return {
		name: 'Queue test: send',
		nodes: [
			node(
				'Webhook',
				'n8n-nodes-base.webhook',
				2,
				[0, 0],
				{ httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'onReceived', options: {} },
				{ webhookId: randomUUID() },
			),
			node('One item per group', 'n8n-nodes-base.splitOut', 1, [220, 0], { fieldToSplitOut: 'body.groups', options: {} }),
			node(
				'Send SMS',
				`${packageName}.sfrDmcSms`,
				1,
				[440, 0],
				// A stable reference from the data, and Skip If Already Sent: the README's recipe for retrying an execution safely.
				{ to: '={{ $json.to }}', message: '={{ $json.text }}', options: { reference: '={{ $json.reference }}', skipAlreadySent: true } },
				{ credentials: { sfrDmcApi: { id: credential.id, name: credential.name } } },
			),
		],
		connections: {
			Webhook: { main: [[{ node: 'One item per group', type: 'main', index: 0 }]] },
			'One item per group': { main: [[{ node: 'Send SMS', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** The SFR DMC Trigger on replies, polling every minute (the most the node allows). */
export function replyWorkflow(packageName, credential) {
	return {
		name: 'Queue test: replies',
		nodes: [
			{
				id: randomUUID(),
				name: 'Reply Received',
				type: `${packageName}.sfrDmcSmsTrigger`,
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, event: 'replyReceived', options: {} },
				credentials: { sfrDmcApi: { id: credential.id, name: credential.name } },
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

/** The reference every message of one webhook call starts with; each group adds `-<group>`. */
export const callReference = (round, call) => `q${round}-${call}`;

/** The webhook call a message belongs to, from its reference. */
export const callOfReference = (reference) => reference?.replace(/-\d+$/, '');

/** The webhook call an execution runs, from the body it was started with (a retry keeps it). */
export const callOfExecution = (execution) => (execution.input ? callReference(execution.input.round, execution.input.call) : undefined);

/**
 * The recipients of one webhook call: distinct French mobile numbers that encode the round,
 * the call and the recipient, so that any message stored twice is seen as such. Each with
 * the reference of its group (one item of at most 20 recipients).
 */
function callRecipients(round, call, count) {
	return Array.from({ length: count }, (_, n) => ({
		to: `+3361${round}${String(call).padStart(3, '0')}${String(n).padStart(3, '0')}`,
		reference: `${callReference(round, call)}-${Math.floor(n / RECIPIENTS_PER_ITEM)}`,
	}));
}

function callBody(round, call, count) {
	const groups = [];
	for (const recipient of callRecipients(round, call, count)) {
		const group = groups.at(-1);
		if (group?.reference === recipient.reference) group.to += `, ${recipient.to}`;
		else groups.push({ to: recipient.to, reference: recipient.reference, text: `Queue test round ${round} call ${call}` });
	}
	return { round, call, groups };
}

/** Posts webhook call bodies at once; resolves once main has accepted them all. */
export async function postCalls(mainUrl, bodies) {
	const answers = await Promise.all(
		bodies.map(async (body) => {
			const response = await fetch(`${mainUrl}/webhook/${WEBHOOK_PATH}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			return response.ok
				? undefined
				: `${callReference(body.round, body.call)}: HTTP ${response.status} ${(await response.text()).slice(0, 200)}`;
		}),
	);
	const refused = answers.filter(Boolean);
	if (refused.length > 0) throw new SetupError(`main refused ${refused.length} webhook call(s): ${refused[0]}`);
}

/**
 * Fires `calls` webhook calls at once; resolves, once main has accepted them all, to one
 * { call, to, reference } per recipient (`call`: the call's reference).
 */
export async function fireRound(mainUrl, round, calls, recipientsPerCall) {
	await postCalls(
		mainUrl,
		Array.from({ length: calls }, (_, call) => callBody(round, call, recipientsPerCall)),
	);
	return Array.from({ length: calls }, (_, call) =>
		callRecipients(round, call, recipientsPerCall).map((recipient) => ({ call: callReference(round, call), ...recipient })),
	).flat();
}
