// The burst check of `npm run test:n8n` (issue 14), against an `n8n start` already running
// with the package installed and an SFR DMC credential pointing at the DMC sandbox.
//
// It signs in (setting up the owner on a fresh n8n), creates and activates a webhook
// workflow (Webhook → SFR DMC Send, answering with the node's output), calls it many times
// at once, and checks against the sandbox:
//   - every message stored exactly once, and each webhook answer carries its own ids;
//   - no rate-limit violation;
//   - calls ≤ ⌈messages ÷ 20⌉ + 5 (the 5 calls the limiter lets start at once may leave
//     before the rest of the burst arrives).
// It returns the failures (empty when all is well) and a one-line summary; it deletes the
// workflow it made.
import { randomUUID } from 'node:crypto';

const NODE_TYPE = 'n8n-nodes-sfr-dmc.sfrDmcSms';
const SLOTS = 5;
const MESSAGES_PER_CALL = 20;
const BROWSER_ID = 'sfr-dmc-burst-check';

/** A REST client for n8n's editor API: one session cookie, the browser id n8n ties it to. */
async function signIn(n8nUrl, owner) {
	const post = async (path, body, cookie) =>
		await fetch(`${n8nUrl}${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID, ...(cookie ? { cookie } : {}) },
			body: JSON.stringify(body),
		});
	// A fresh n8n has no owner yet; on one that has, this is refused and the login below decides.
	await post('/rest/owner/setup', { email: owner.email, firstName: 'Burst', lastName: 'Check', password: owner.password });
	const login = await post('/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
	if (!login.ok) throw new Error(`n8n refused the owner's login: HTTP ${login.status} ${await login.text()}`);
	const cookie = login.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
	return async (method, path, body) => {
		const response = await fetch(`${n8nUrl}${path}`, {
			method,
			headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID, cookie },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`n8n ${method} ${path}: HTTP ${response.status} ${text.slice(0, 500)}`);
		return text ? JSON.parse(text) : undefined;
	};
}

function burstWorkflow(path, credentialId) {
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
			{
				id: randomUUID(),
				name: 'Send SMS',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [250, 0],
				parameters: { operation: 'send', to: '={{ $json.body.to }}', message: '={{ $json.body.text }}', options: {} },
				credentials: { sfrDmcApi: { id: credentialId, name: 'SFR DMC (sandbox)' } },
			},
		],
		connections: { Webhook: { main: [[{ node: 'Send SMS', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** Execution n: one SMS, or (every fifth) three recipients in one item. */
function requestsOf(count, tag) {
	return Array.from({ length: count }, (_, n) => {
		const numbers = Array.from({ length: n % 5 === 4 ? 3 : 1 }, (_, k) => `+336${String(20_000_000 + n * 10 + k).padStart(8, '0')}`);
		return { to: numbers.join(', '), numbers, text: `burst ${tag} ${n}` };
	});
}

/**
 * `n8nUrl`: the running n8n (http://127.0.0.1:<port>); `sandboxUrl`: the sandbox's root (its
 * control API under /_sandbox); `credentialId`: an sfrDmcApi credential on that sandbox;
 * `owner`: { email, password } of the instance owner (set up if the instance has none).
 */
export async function runBurstCheck({ n8nUrl, sandboxUrl, credentialId, owner, executions = 100, log = () => undefined }) {
	const failures = [];
	const control = async (path) => await (await fetch(`${sandboxUrl}/_sandbox/${path}`)).json();
	const rest = await signIn(n8nUrl, owner);
	const tag = randomUUID().slice(0, 8);
	const path = `sfr-dmc-burst-${tag}`;
	const created = (await rest('POST', '/rest/workflows', burstWorkflow(path, credentialId))).data;
	try {
		await rest('POST', `/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
		const before = await control('stats');
		const requests = requestsOf(executions, tag);
		log(`burst: ${executions} concurrent webhook calls …`);
		const started = Date.now();
		const answers = await Promise.all(
			requests.map(async ({ to, text }) => {
				const response = await fetch(`${n8nUrl}/webhook/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to, text }) });
				return { status: response.status, body: await response.text() };
			}),
		);
		const wallMs = Date.now() - started;
		const after = await control('stats');
		const stored = (await control('messages')).filter((message) => message.text.startsWith(`burst ${tag} `));

		const messages = requests.reduce((sum, request) => sum + request.numbers.length, 0);
		const byText = new Map();
		for (const message of stored) byText.set(message.text, [...(byText.get(message.text) ?? []), message]);
		requests.forEach((request, n) => {
			const copies = byText.get(request.text) ?? [];
			if (copies.length !== request.numbers.length) failures.push(`call ${n}: ${copies.length} message(s) stored for ${request.numbers.length} recipient(s)`);
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
				if (own.get(item.messageIds[k]) !== number) failures.push(`call ${n}: id ${item.messageIds[k]} is not the id of its message to ${number}`);
			});
		});
		const calls = after.calls - before.calls;
		const violations = after.violations - before.violations;
		const bound = Math.ceil(messages / MESSAGES_PER_CALL) + SLOTS;
		if (violations !== 0) failures.push(`${violations} rate-limit violation(s)`);
		if (calls > bound) failures.push(`${calls} DMC calls for ${messages} messages (at most ${bound} expected)`);
		const summary = `${executions} executions, ${messages} messages in ${calls} calls (≤ ${bound}), ${(wallMs / 1000).toFixed(2)} s, ${((messages * 1000) / wallMs).toFixed(1)} SMS/s, ${violations} violation(s)`;
		return { failures, summary };
	} finally {
		await rest('POST', `/rest/workflows/${created.id}/deactivate`, {}).catch(() => undefined);
		await rest('POST', `/rest/workflows/${created.id}/archive`, {}).catch(() => undefined);
		await rest('DELETE', `/rest/workflows/${created.id}`).catch(() => undefined);
	}
}
