// The burst phase of `npm run bench` (issue 14): many small executions at once through one
// engine and one credential, as when a CRM or a form calls an n8n webhook once per message.
//
//   a. idle latency of one SMS with the slot free: the sending queue (`sendItems`) against
//      a bypass that calls `batchSingleCall` directly, alternated in the same run, so the
//      queue's added latency is measured, not guessed; plus one SMS through the engine;
//   b. 100 concurrent executions of 1 recipient: SMS/s against the safe bound
//      100 × 1000 / (1005 + round trip) SMS/s (5 calls of 20 per limiter slot cycle), all
//      started at once (the final line's burst_sms_per_s), then arriving one every 10 ms as
//      webhook calls trickle in (the first calls then leave nearly alone);
//   c. 20 concurrent executions of 30 single-recipient items: calls against ⌈600 ÷ 20⌉;
//   d. 100 concurrent executions of 1 SMS with a reference and Skip If Already Sent: their
//      look-ups share SupervisionWS calls (skip_lookup_calls, target 1–2) under DMC's real
//      once-a-minute rule, so most executions wait for the second call: skip_burst_sms_per_s
//      beside the plain burst's says what the rule costs.
//
// bench.mjs starts the sandboxes this phase names (`burstSandboxes`), calls `runBurst` with
// its bundle of the source (which exports DmcClient and sendItems for this phase), and
// adds the rows, accounts and final-line fields it returns to its own.
import { performance } from 'node:perf_hooks';

const SINGLES = 100;
const SPREAD_MS = 10;
const THIRTIES = { executions: 20, items: 30 };
const IDLE_SAMPLES = 40;
const ENGINE_IDLE_SAMPLES = 10;
/** The limiter holds a slot one window (1005 ms) after its call ends. */
const SLOT_CYCLE_MS = 1005;
const CAP_CALLS_PER_S = 5;
const MESSAGES_PER_CALL = 20;
export const BURST_TARGETS = { ofSafeBound: 0.8, idleAddedMs: 5, skipLookupCalls: 2 };

/** The sandboxes of this phase: two capped like SFR, one with room to measure an idle send. */
export function burstSandboxes(capped) {
	return { burstSingles: capped, burstSpread: capped, burstThirties: capped, burstSkip: capped, idle: { ...capped, rateLimit: 100_000 } };
}

/** A DmcClient outside n8n: fetch, POST form, the login added as n8n's credential does. */
function directClient(transport, sandbox, login) {
	const authenticate = JSON.stringify({
		serviceId: login.serviceId,
		servicePassword: login.servicePassword,
		spaceId: login.spaceId,
		lang: 'en_GB',
	});
	return new transport.DmcClient({
		node: { id: 'bench', name: 'bench', type: 'bench', typeVersion: 1, position: [0, 0], parameters: {} },
		baseUrl: sandbox.baseUrl,
		serviceId: login.serviceId,
		maxCallsPerSecond: 100_000,
		loginKey: 'bench-idle',
		request: async (options) => {
			const response = await fetch(options.url, {
				method: 'POST',
				headers: options.headers,
				body: new URLSearchParams({ ...options.body, authenticate }),
			});
			return { body: await response.text(), statusCode: response.status, headers: Object.fromEntries(response.headers) };
		},
	});
}

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function timed(work) {
	const started = performance.now();
	const value = await work();
	return { ms: performance.now() - started, value };
}

/** a. One SMS with the slot free, through the queue and around it, alternated. */
async function measureIdle({ transport, sandboxes, login, numbers, runOne }) {
	const client = directClient(transport, sandboxes.idle, login);
	const message = (n) => ({ media: 'SMS', textMsg: `idle ${n}`, to: numbers[n % numbers.length] });
	const queue = [];
	const bypass = [];
	for (let n = 0; n < IDLE_SAMPLES + 5; n++) {
		const viaQueue = await timed(
			async () =>
				await transport.sendItems(client, [{ itemIndex: 0, messages: [message(2 * n)] }], { stopAfterFailure: true, doubtBudgetMs: 0 }),
		);
		const direct = await timed(async () => await client.batchSingleCall([message(2 * n + 1)]));
		if (!('ids' in viaQueue.value[0]) || direct.value.length !== 1) throw new Error('bench: an idle send failed');
		if (n < 5) continue; // warm-up
		queue.push(viaQueue.ms);
		bypass.push(direct.ms);
	}
	const engine = [];
	for (let n = 0; n < ENGINE_IDLE_SAMPLES; n++) {
		const run = await timed(async () => await runOne(sandboxes.idle, [{ to: numbers[n], text: `idle engine ${n}` }]));
		if (run.value.error) throw new Error(`bench: an idle engine send failed: ${run.value.error.message}`);
		engine.push(run.ms);
	}
	return { queueMs: median(queue), bypassMs: median(bypass), engineMs: median(engine) };
}

const pause = async (ms) => await new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Concurrent executions, one per list of items, one credential, started at once or one
 * every `spreadMs`; each accounted apart.
 */
async function burst({ engine, sandbox, executions, runOptions, control, account, spreadMs = 0, sendOptions }) {
	const { ms, value: results } = await timed(async () =>
		spreadMs === 0
			? await engine.runNodesConcurrently(executions.map((items) => runOptions(sandbox, items, undefined, sendOptions)))
			: await Promise.all(
					executions.map(async (items, n) => {
						await pause(n * spreadMs);
						return await engine.runNode(runOptions(sandbox, items));
					}),
				),
	);
	const stored = await control(sandbox, 'messages');
	const stats = await control(sandbox, 'stats');
	const accounts = executions.map((items, n) => {
		const texts = new Set(items.map((item) => item.text));
		return account(
			items,
			results[n],
			stored.filter((message) => texts.has(message.text)),
		);
	});
	const messages = executions.reduce((sum, items) => sum + items.reduce((count, item) => count + item.expected.length, 0), 0);
	return { ms, stats, accounts, messages, rate: (messages * 1000) / ms };
}

/**
 * Runs the phase. `transport` is the bundled source's { DmcClient, sendItems }; `runOptions(sandbox, items, maxCallsPerSecond?)` gives bench.mjs's runNode
 * options for one execution; `account(items, result, stored)` its exactly-once accounting; `generateItems`
 * its seeded recipients.
 */
export async function runBurst({ transport, engine, sandboxes, login, control, account, generateItems, runOptions, seed, log }) {
	log('bench: [burst] idle single SMS: the sending queue against a direct call, alternated …');
	const numbers = generateItems(2 * (IDLE_SAMPLES + 5), 1, 1, seed + 40).map((item) => item.expected[0]);
	const idle = await measureIdle({
		transport,
		sandboxes,
		login,
		numbers,
		runOne: async (sandbox, items) => await engine.runNode(runOptions(sandbox, items, 100_000)),
	});

	const phase = async (sandbox, executions, spreadMs = 0, sendOptions = undefined) =>
		await burst({ engine, sandbox, executions, runOptions, control, account, spreadMs, sendOptions });
	const singlesOf = (offset) => generateItems(SINGLES, 1, 1, seed + offset).map((item) => [item]);
	log(`bench: [burst] ${SINGLES} concurrent executions of 1 SMS, one credential …`);
	const singles = await phase(sandboxes.burstSingles, singlesOf(41));
	log(`bench: [burst] ${SINGLES} executions of 1 SMS arriving one every ${SPREAD_MS} ms, one credential …`);
	const spread = await phase(sandboxes.burstSpread, singlesOf(43), SPREAD_MS);
	log(`bench: [burst] ${THIRTIES.executions} concurrent executions of ${THIRTIES.items} SMS, one credential …`);
	const all = generateItems(THIRTIES.executions * THIRTIES.items, 1, 1, seed + 42);
	const thirties = await phase(
		sandboxes.burstThirties,
		Array.from({ length: THIRTIES.executions }, (_, n) => all.slice(n * THIRTIES.items, (n + 1) * THIRTIES.items)),
	);

	log(`bench: [burst] ${SINGLES} concurrent executions of 1 SMS with Skip If Already Sent (DMC's real minute: about a minute) …`);
	const withReferences = singlesOf(44).map((items, n) => items.map((item) => ({ ...item, reference: `bench-skip-${n}` })));
	const skip = await phase(sandboxes.burstSkip, withReferences, 0, { reference: '={{ $json.reference }}', skipAlreadySent: true });
	const skipLookupCalls = skip.stats.callsByMethod['SupervisionWS/findCraByIds'] ?? 0;

	// The round trip of one call as the node sees it, measured above without the queue.
	const roundTripMs = idle.bypassMs;
	const safeBound = (CAP_CALLS_PER_S * MESSAGES_PER_CALL * 1000) / (SLOT_CYCLE_MS + roundTripMs);
	const addedMs = idle.queueMs - idle.bypassMs;
	const verdict = (ok) => (ok ? 'ok' : 'MISSED');
	const f = (value, digits = 1) => value.toFixed(digits);
	const minCalls = (messages) => Math.ceil(messages / MESSAGES_PER_CALL);
	const rows = [
		[
			'6. Burst: 100 executions × 1 SMS',
			`${f(singles.rate)} SMS/s (${f((100 * singles.rate) / safeBound, 0)} % of safe bound)`,
			`≥ ${f(BURST_TARGETS.ofSafeBound * safeBound)}`,
			verdict(singles.rate >= BURST_TARGETS.ofSafeBound * safeBound),
		],
		[
			'   calls, wall, safe bound',
			`${singles.stats.calls} calls (min ${minCalls(singles.messages)}), ${f(singles.ms / 1000, 2)} s, ${f(safeBound)} SMS/s at ${f(roundTripMs)} ms round trip`,
			'',
			'',
		],
		[
			`   the same, one every ${SPREAD_MS} ms`,
			`${f(spread.rate)} SMS/s (${f((100 * spread.rate) / safeBound, 0)} % of safe bound), ${spread.stats.calls} calls, ${f(spread.ms / 1000, 2)} s`,
			`≥ ${f(BURST_TARGETS.ofSafeBound * safeBound)}`,
			verdict(spread.rate >= BURST_TARGETS.ofSafeBound * safeBound),
		],
		[
			`   burst: ${THIRTIES.executions} executions × ${THIRTIES.items} SMS`,
			`${thirties.stats.calls} calls (min ${minCalls(thirties.messages)}), ${f(thirties.ms / 1000, 2)} s, ${f(thirties.rate)} SMS/s`,
			`≤ ${minCalls(thirties.messages) + CAP_CALLS_PER_S}`,
			verdict(thirties.stats.calls <= minCalls(thirties.messages) + CAP_CALLS_PER_S),
		],
		[
			'   idle 1 SMS: queue / direct call',
			`${f(idle.queueMs, 2)} ms / ${f(idle.bypassMs, 2)} ms (added ${f(addedMs, 2)} ms, median of ${IDLE_SAMPLES})`,
			`≤ +${BURST_TARGETS.idleAddedMs} ms`,
			verdict(addedMs <= BURST_TARGETS.idleAddedMs),
		],
		['   idle 1 SMS through the engine', `${f(idle.engineMs, 1)} ms (runNode, median of ${ENGINE_IDLE_SAMPLES})`, '', ''],
		[
			'7. Burst with Skip If Already Sent',
			`${skipLookupCalls} look-up call(s), ${f(skip.rate, 2)} SMS/s (${f(skip.rate / singles.rate, 3)} × the plain burst), ${f(skip.ms / 1000, 1)} s`,
			`≤ ${BURST_TARGETS.skipLookupCalls} calls`,
			verdict(skipLookupCalls >= 1 && skipLookupCalls <= BURST_TARGETS.skipLookupCalls),
		],
	];
	const line = `burst_sms_per_s=${f(singles.rate)} burst_calls=${singles.stats.calls} burst_spread_sms_per_s=${f(spread.rate)} burst_spread_calls=${spread.stats.calls} burst30_calls=${thirties.stats.calls} idle_queue_ms=${f(idle.queueMs, 2)} idle_direct_ms=${f(idle.bypassMs, 2)} skip_lookup_calls=${skipLookupCalls} skip_burst_sms_per_s=${f(skip.rate, 2)}`;
	return { rows, line, accounts: [...singles.accounts, ...spread.accounts, ...thirties.accounts, ...skip.accounts] };
}
