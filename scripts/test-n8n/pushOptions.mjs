// The Push Trigger's settings in a running `n8n start`, on the wire and in the executions:
// the event filters (Reply, STOP, Delivery Status with its statuses), Allowed Source IPs
// behind a proxy (test:n8n starts n8n with N8N_PROXY_HOPS=1), a Max Body Size of 64 KB, and
// a push to the test URL while the editor listens for one.
import { randomUUID } from 'node:crypto';
import { sleep } from '../lib/processes.mjs';
import { log } from './context.mjs';
import { answerChecker, jsonPushOf, post, pushEntry, pushWorkflow, refusedWithout, settle, untilListening } from './pushFlow.mjs';

const NUMBER = '+33612345678';
const DATE = '2026-12-04 10:00:00';
/** DATE is French winter time (UTC+1). */
const INSTANT = '2026-12-04T09:00:00.000Z';
const TRIGGER = 'DMC push';

/** One push entry of each kind, and the item fields the trigger must make of it. */
const KINDS = {
	reply: {
		entry: (callId) => pushEntry(callId, DATE, { info: 'Oui' }),
		item: { event: 'replyReceived', from: NUMBER, text: 'Oui', isStop: false, receivedAt: INSTANT },
	},
	stop: {
		entry: (callId) => pushEntry(callId, DATE, { info: 'STOP' }),
		item: { event: 'stopReceived', from: NUMBER, text: 'STOP', isStop: true, receivedAt: INSTANT },
	},
	delivered: {
		entry: (callId) => pushEntry(callId, DATE, { status: 'RECEIVED', info: null }),
		item: { event: 'deliveryStatusChanged', to: NUMBER, status: 'DONE', pushStatus: 'RECEIVED', updatedAt: INSTANT },
	},
	failed: {
		entry: (callId) => pushEntry(callId, DATE, { status: 'ERROR', info: 'Unknown number' }),
		item: {
			event: 'deliveryStatusChanged',
			to: NUMBER,
			status: 'FAILED',
			pushStatus: 'ERROR',
			result: 'Unknown number',
			updatedAt: INSTANT,
		},
	},
};

/** Triggers that each select one kind of the four. */
const FILTERS = {
	replies: { parameters: { event: 'replyReceived', options: {} }, selects: 'reply' },
	stops: { parameters: { event: 'stopReceived', options: {} }, selects: 'stop' },
	failures: { parameters: { event: 'deliveryStatusChanged', statuses: ['FAILED'], options: {} }, selects: 'failed' },
};

const ALLOWED_RANGE = '198.51.100.0/24';
const MAX_BODY_KB = 64;

const kb = (text) => (Buffer.byteLength(text) / 1024).toFixed(2);

/** A JSON push of one entry of `kind`, with this call id. */
function pushOf(kind, callId) {
	return jsonPushOf([KINDS[kind].entry(callId)]);
}

/** The fields of `expected` that `item` lacks or holds otherwise, as text ('' when none). */
function mismatches(item, expected) {
	return Object.entries(expected)
		.filter(([field, value]) => item?.[field] !== value)
		.map(([field, value]) => `${field} is ${JSON.stringify(item?.[field])}, not ${JSON.stringify(value)}`)
		.join(', ');
}

/**
 * The output items of the trigger in an execution, once it has ended; `parse` reads n8n's
 * stored execution data (the "flatted" format).
 */
async function triggerItems(rest, parse, executionId) {
	for (const deadline = Date.now() + 20_000; Date.now() < deadline; await sleep(250)) {
		const execution = await rest.call('GET', `/executions/${executionId}`);
		if (['new', 'running', 'waiting'].includes(execution.status)) continue;
		const data = typeof execution.data === 'string' ? parse(execution.data) : execution.data;
		const runs = data?.resultData?.runData?.[TRIGGER] ?? [];
		return { mode: execution.mode, items: runs.flatMap((run) => run.data?.main?.[0] ?? []).map((item) => item.json) };
	}
	return { mode: undefined, items: [] };
}

/** Creates and activates one Push Trigger workflow; resolves its production and test URLs. */
async function listeningFlow(server, credential, name, parameters) {
	const webhookId = randomUUID();
	const workflow = await server.rest.createActiveWorkflow(pushWorkflow(credential, webhookId, parameters, `Push ${name}`));
	const flow = { name, workflow, url: `${server.url}/webhook/${webhookId}/push`, testUrl: `${server.url}/webhook-test/${webhookId}/push` };
	const probe = await untilListening(flow.url);
	return probe.status === 404 ? undefined : flow;
}

/** Resolves the list of failed checks. */
export async function runPushOptionChecks({ server, credential, parse }) {
	const startedAt = Date.now();
	const failures = [];
	const fail = (message) => failures.push(`push options: ${message}`);
	const { rest } = server;
	const expectAnswer = answerChecker(fail);

	const flows = {};
	const settings = {
		...Object.fromEntries(Object.entries(FILTERS).map(([name, filter]) => [name, filter.parameters])),
		sources: { event: 'allEvents', options: { allowedIps: ALLOWED_RANGE } },
		limits: { event: 'allEvents', options: { maxBodyKb: MAX_BODY_KB } },
	};
	for (const [name, parameters] of Object.entries(settings)) {
		flows[name] = await listeningFlow(server, credential, name, parameters);
		if (!flows[name]) return [`push options: the ${name} trigger never listened on its production URL`];
	}
	/** What each trigger must have started: one execution of `count` items (1 unless said), the first with these fields. */
	const expected = {};

	// Filters: every kind to every trigger; the selected one starts, the others are answered
	// 200 with started 0.
	let callId = 770000;
	for (const [name, filter] of Object.entries(FILTERS)) {
		for (const kind of Object.keys(KINDS)) {
			const wanted = kind === filter.selects;
			const answer = await post(flows[name].url, 'application/json', pushOf(kind, String((callId += 1))));
			expectAnswer(`${kind} to the ${name} trigger`, answer, 200, `{"received":1,"started":${wanted ? 1 : 0}}`);
			if (wanted) expected[name] = { ...KINDS[kind].item, callId: String(callId), messageId: String(callId) };
		}
	}

	// Allowed Source IPs behind one proxy hop: n8n takes the last X-Forwarded-For address (the
	// one its proxy added), so a sender cannot pass by naming an allowed address first.
	const sources = [
		['an allowed address', { 'x-forwarded-for': '198.51.100.7' }, true],
		['another address', { 'x-forwarded-for': '203.0.113.9' }, false],
		['an allowed address spoofed ahead of the real one', { 'x-forwarded-for': '198.51.100.7, 203.0.113.9' }, false],
		['the proxy itself (no X-Forwarded-For)', {}, false],
	];
	for (const [what, headers, allowed] of sources) {
		const id = String((callId += 1));
		const answer = await post(flows.sources.url, 'application/json', pushOf('reply', id), headers);
		if (allowed) {
			expectAnswer(`a push from ${what}`, answer, 200, '{"received":1,"started":1}');
			expected.sources = { ...KINDS.reply.item, callId: id };
		} else expectAnswer(`a push from ${what}`, answer, 403, refusedWithout);
	}

	// Max Body Size 64 KB: a push of many replies over it is refused, one under it is read
	// (an entry's text is at most 4000 characters, so a large push is one of many entries).
	const repliesOver = (bytes) => {
		const ids = [];
		let body;
		do {
			ids.push(String((callId += 1)));
			body = jsonPushOf(ids.map((id) => pushEntry(id, DATE, { info: 'x'.repeat(1000) })));
		} while (Buffer.byteLength(body) <= bytes);
		return { ids, body };
	};
	const under = repliesOver((MAX_BODY_KB - 4) * 1024);
	const over = repliesOver(MAX_BODY_KB * 1024);
	const read = await post(flows.limits.url, 'application/json', under.body);
	expectAnswer(`a ${kb(under.body)} KB push`, read, 200, `{"received":${under.ids.length},"started":${under.ids.length}}`);
	const refused = await post(flows.limits.url, 'application/json', over.body);
	expectAnswer(`a ${kb(over.body)} KB push`, refused, 413, refusedWithout);
	expected.limits = { ...KINDS.reply.item, text: 'x'.repeat(1000), callId: under.ids[0], count: under.ids.length };

	// The executions: exactly one per trigger (the rest of the pushes started none), holding
	// the expected item.
	for (const name of Object.keys(flows)) await settle(async () => (await rest.executionsOf(flows[name].workflow.id)).length, 1);
	await sleep(1500);
	for (const [name, flow] of Object.entries(flows)) {
		const executions = await rest.executionsOf(flow.workflow.id);
		if (executions.length !== 1) {
			fail(`the ${name} trigger started ${executions.length} executions, not 1`);
			continue;
		}
		const { items } = await triggerItems(rest, parse, executions[0].id);
		const { count = 1, ...fields } = expected[name] ?? {};
		const wrong = [items.length === count ? '' : `it has ${items.length} item(s), not ${count}`, mismatches(items[0], fields)];
		if (wrong.some(Boolean)) fail(`the ${name} trigger's execution: ${wrong.filter(Boolean).join('; ')}`);
	}
	if (failures.length === 0)
		log(
			'push options: Reply, STOP and Delivery Status (FAILED only) each started only their kind; ' +
				`Allowed Source IPs behind N8N_PROXY_HOPS=1 let in ${ALLOWED_RANGE} only; a ${MAX_BODY_KB} KB Max Body Size refused a larger push and read a smaller one`,
		);

	await testUrlChecks({ rest, parse, flow: flows.replies, seenId: expected.replies.callId, expectAnswer, fail });
	log(`push options: ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
	return failures;
}

/**
 * The test URL, as the editor's "Listen for test event" opens it: POST /rest/workflows/:id/run
 * with the trigger to start from registers it until a push starts an execution. A push the
 * trigger does not select leaves it open. A push the production URL has already seen starts
 * an execution there, since test pushes are not deduplicated.
 */
async function testUrlChecks({ rest, parse, flow, seenId, expectAnswer, fail }) {
	const executions = async () => (await rest.executionsOf(flow.workflow.id)).length;
	const before = await executions();
	const closed = await post(flow.testUrl, 'application/json', pushOf('reply', seenId));
	if (closed.status !== 404) fail(`the test URL answered HTTP ${closed.status} before anyone listened, not 404`);
	const run = await rest.call('POST', `/workflows/${flow.workflow.id}/run`, { triggerToStartFrom: { name: TRIGGER } });
	if (run?.waitingForWebhook !== true) return fail(`"run workflow" did not wait for a test push: ${JSON.stringify(run)}`);
	const stop = await post(flow.testUrl, 'application/json', pushOf('stop', `${seenId}9`));
	const unselected = expectAnswer('a STOP to the test URL of the replies trigger', stop, 200, '{"received":1,"started":0}');
	const reply = await post(flow.testUrl, 'application/json', pushOf('reply', seenId));
	const started = expectAnswer('a reply to the test URL that production has seen', reply, 200, '{"received":1,"started":1}');
	await settle(executions, before + 1);
	await sleep(1500);
	const count = await executions();
	if (count !== before + 1) return fail(`the test pushes started ${count - before} executions, not 1`);
	const [newest] = await rest.executionsOf(flow.workflow.id);
	const { mode, items } = await triggerItems(rest, parse, newest.id);
	const wrong = mismatches(items[0], { ...KINDS.reply.item, callId: seenId });
	if (mode !== 'manual' || items.length !== 1 || wrong)
		fail(`the test push's execution: mode ${mode}, ${items.length} item(s)${wrong ? `; ${wrong}` : ''}`);
	else if (unselected && started)
		log('push options: the test URL started one manual execution for a push production had seen, none for an unselected one');
}
