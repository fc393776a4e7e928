// The burst check of `npm run test:n8n`, in the `n8n start` the run already serves (with
// the package installed), through its REST session as the owner. It creates an SFR DMC
// credential pointing at the DMC sandbox, then:
//  1. calibrates: the same number of concurrent calls to a webhook workflow without the
//     node (Webhook → No Op) measures how long n8n itself takes to start them all. n8n
//     2.41.1's default expression engine ("vm", pool of 1) builds an isolate for each
//     concurrent execution, so on a busy 2-core machine a burst of 100 reaches the nodes over
//     several seconds, and while executions still arrive, each free slot of the limiter
//     rightly sends what waits rather than wait for company;
//  2. creates and activates the burst workflow (Webhook → SFR DMC Send, answering with the
//     node's output), waits until n8n serves it, calls it many times at once, and checks
//     against the sandbox:
//     - every message stored exactly once, and each webhook answer carries its own ids;
//     - no rate-limit violation;
//     - calls ≤ ⌈messages ÷ 20⌉ + 5 × ⌈n8n's start-up span ÷ slot cycle⌉: the 5 slots of
//       the limiter may each leave before all of the burst has arrived once per slot cycle
//       (1005 ms + round trip) that n8n takes to start the executions. When n8n starts
//       them all within one cycle, this is the issue's ⌈messages ÷ 20⌉ + 5.
// It resolves the failures (empty when all is well), logs a one-line summary, and deletes
// the workflows it made.
import { randomUUID } from 'node:crypto';
import { sleep } from '../lib/processes.mjs';
import { ACCOUNT, CREDENTIAL_TYPE, log, NODE_TYPE } from './context.mjs';

const SLOTS = 5;
const MESSAGES_PER_CALL = 20;
/** How long a limiter slot serves one call: a window of 1005 ms plus the round trip (sandbox latency). */
const slotCycleMs = (latencyMs) => 1005 + latencyMs;

const sendNode = (credential) => ({
	id: randomUUID(),
	name: 'Send SMS',
	type: NODE_TYPE,
	typeVersion: 1,
	position: [250, 0],
	parameters: { operation: 'send', to: '={{ $json.body.to }}', message: '={{ $json.body.text }}', options: {} },
	credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
});

const noOpNode = () => ({
	id: randomUUID(),
	name: 'Send SMS',
	type: 'n8n-nodes-base.noOp',
	typeVersion: 1,
	position: [250, 0],
	parameters: {},
});

/** Webhook → `node` (named Send SMS), answering with that node's output. */
function webhookWorkflow(path, node) {
	return {
		name: `SFR DMC burst check ${path}`,
		nodes: [
			{
				id: randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
			},
			node,
		],
		connections: { Webhook: { main: [[{ node: 'Send SMS', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/**
 * n8n registers an activated workflow's webhook a little after the activation call answers.
 * Probe it with an empty recipient list, which the node refuses before sending anything,
 * until n8n runs the workflow (any answer but 404).
 */
async function waitForWebhook(url) {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ to: '', text: 'probe' }),
		});
		await response.text();
		if (response.status !== 404) return;
		if (Date.now() > deadline) throw new Error(`the webhook ${url} was still not registered 30 s after activation`);
		await sleep(250);
	}
}

/** Execution n: one SMS, or (every fifth) three recipients in one item. */
function requestsOf(count, tag) {
	return Array.from({ length: count }, (_, n) => {
		const numbers = Array.from({ length: n % 5 === 4 ? 3 : 1 }, (_, k) => `+336${String(20_000_000 + n * 10 + k).padStart(8, '0')}`);
		return { to: numbers.join(', '), numbers, text: `burst ${tag} ${n}` };
	});
}

/**
 * `server`: the running `n8n start` ({ url, rest }); `sandbox`: the DMC sandbox (its control
 * API). Resolves the list of failed checks.
 */
export async function runBurstTest({ server, sandbox, executions = 100 }) {
	const { rest } = server;
	const credential = await rest.createCredential({
		name: 'SFR DMC burst check',
		type: CREDENTIAL_TYPE,
		data: { ...ACCOUNT, baseUrl: sandbox.baseUrl },
	});
	const control = async (path) => await sandbox.get(`/_sandbox/${path}`);
	const tag = randomUUID().slice(0, 8);
	const requests = requestsOf(executions, tag);
	const { latencyMs = 0 } = (await control('config')) ?? {};

	log(`burst: calibration, ${executions} concurrent calls to a webhook workflow without the node …`);
	const calibration = await withWebhook(server, `sfr-dmc-calibrate-${tag}`, noOpNode(), async (url) => await callAll(url, requests));
	const cycles = Math.max(1, Math.ceil(calibration.wallMs / slotCycleMs(latencyMs)));

	log(`burst: ${executions} concurrent calls to Webhook → SFR DMC Send …`);
	const before = await control('stats');
	const burst = await withWebhook(server, `sfr-dmc-burst-${tag}`, sendNode(credential), async (url) => await callAll(url, requests));
	const after = await control('stats');
	const stored = (await control('messages')).filter((message) => message.text.startsWith(`burst ${tag} `));

	const failures = checkAnswers(requests, burst.answers, stored).map((failure) => `burst: ${failure}`);
	const messages = requests.reduce((sum, request) => sum + request.numbers.length, 0);
	const calls = after.calls - before.calls;
	const violations = after.violations - before.violations;
	const bound = Math.ceil(messages / MESSAGES_PER_CALL) + SLOTS * cycles;
	if (violations !== 0) failures.push(`burst: ${violations} rate-limit violation(s)`);
	if (calls > bound) failures.push(`burst: ${calls} DMC calls for ${messages} messages (at most ${bound} expected)`);
	log(
		`burst: ${executions} executions, ${messages} messages in ${calls} calls (≤ ${bound}), ${(burst.wallMs / 1000).toFixed(2)} s, ` +
			`${((messages * 1000) / burst.wallMs).toFixed(1)} SMS/s, ${violations} violation(s); n8n alone started them in ${(calibration.wallMs / 1000).toFixed(2)} s`,
	);
	return failures;
}

/** Creates and activates a webhook workflow, runs `use(url)` once n8n serves it, then deletes it. */
async function withWebhook(server, path, node, use) {
	const created = await server.rest.createActiveWorkflow(webhookWorkflow(path, node));
	try {
		const url = `${server.url}/webhook/${path}`;
		await waitForWebhook(url);
		return await use(url);
	} finally {
		await server.rest.deleteWorkflow(created.id).catch((error) => log(`burst: could not delete workflow ${created.id}: ${error.message}`));
	}
}

async function callAll(url, requests) {
	const started = Date.now();
	const answers = await Promise.all(
		requests.map(async ({ to, text }) => {
			const response = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ to, text }),
			});
			return { status: response.status, body: await response.text() };
		}),
	);
	return { answers, wallMs: Date.now() - started };
}

/** Each request's messages stored once, and its answer carrying the ids of its own messages. */
function checkAnswers(requests, answers, stored) {
	const failures = [];
	const byText = new Map();
	for (const message of stored) byText.set(message.text, [...(byText.get(message.text) ?? []), message]);
	requests.forEach((request, n) => {
		const copies = byText.get(request.text) ?? [];
		if (copies.length !== request.numbers.length)
			failures.push(`call ${n}: ${copies.length} message(s) stored for ${request.numbers.length} recipient(s)`);
		let output;
		try {
			output = JSON.parse(answers[n].body);
		} catch {
			output = undefined;
		}
		const item = Array.isArray(output) ? output[0] : output;
		if (answers[n].status !== 200 || !Array.isArray(item?.messageIds)) {
			failures.push(`call ${n}: HTTP ${answers[n].status}, ${answers[n].body.slice(0, 200)}`);
			return;
		}
		const own = new Map(copies.map((message) => [String(message.id), message.to]));
		request.numbers.forEach((number, k) => {
			if (own.get(item.messageIds[k]) !== number)
				failures.push(`call ${n}: id ${item.messageIds[k]} is not the id of its message to ${number}`);
		});
	});
	return failures;
}
