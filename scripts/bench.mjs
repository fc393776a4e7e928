// `npm run bench`: the SFR DMC SMS node at SFR's contractual limit (issue 6).
//
// One run measures, against the local DMC sandbox (5 calls per rolling second, enforced in
// `refuse` mode, with a realistic latency):
//   1. throughput of N single-recipient items through the node in n8n's WorkflowExecute,
//      beside a baseline client that sends one `addSingleCall` per recipient at the same cap;
//   2. two concurrent executions sharing one credential (and so one limiter); then seeded items
//      of 1 to 20 recipients (scripts/bench/mixed.mjs): calls against the ideal, SMS/s against
//      the safe bound the limiter allows;
//   3. CPU per recipient (normalise, encode, batch, serialise), in process;
//   4. a load of 10,000 items of 1 to 3 recipients: exactly-once accounting and peak RSS;
//   5. the cold load of the built node in fresh processes;
//   6. one Campaign Create of 50,000 contacts (scripts/bench/campaign.mjs).
// It measures what ships: the node and credential come from dist/ (built first), the engine
// harness and the domain code are bundled with esbuild (scripts/lib/bundle.mjs).
//
// Options (flag or environment variable):
//   --items=N           BENCH_ITEMS           single-recipient items for throughput (1000)
//   --latency=MS        BENCH_LATENCY_MS      sandbox answer latency (80)
//   --baseline=N        BENCH_BASELINE        baseline sample, one call per message (100)
//   --load-items=N      BENCH_LOAD_ITEMS      items of the load test (10000)
//   --load-rate=N       BENCH_LOAD_RATE       calls/s of the load credential and sandbox (100)
//   --cpu-recipients=N  BENCH_CPU_RECIPIENTS  recipients of the CPU measurement (100000)
//   --cold-runs=N       BENCH_COLD_RUNS       fresh processes for the cold load (7)
//   --seed=N            BENCH_SEED            seed of the generated numbers and texts (6)
//   --mixed-items=N     BENCH_MIXED_ITEMS     items of 1 to 20 recipients, mixed workload (1000)
//
// Exit status: 0 when every message was received exactly once and the sandbox counted no
// cap violation; 1 otherwise. Performance targets missed are reported, not fatal.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { burstSandboxes, runBurst } from './bench/burst.mjs';
import { campaignSandboxes, runCampaign } from './bench/campaign.mjs';
import { generateItems } from './bench/items.mjs';
import { account, measureColdLoad, measureCpu, sustainedRate } from './bench/measures.mjs';
import { measureMixedWorkload, mixedReport } from './bench/mixed.mjs';
import { control, startSandboxHost } from './bench/sandboxHost.mjs';
import { readSettings } from './bench/settings.mjs';
import { loadHarness, loadTypeScript } from './lib/bundle.mjs';
import { dmcClient } from './lib/dmc.mjs';
import { createOutput, table } from './lib/output.mjs';
import { ROOT } from './lib/paths.mjs';
import { cleanup, exitOnSignals } from './lib/processes.mjs';

const require = createRequire(import.meta.url);
const benchStart = performance.now();
const loadAtStart = loadavg()[0];
const SANDBOX_LOGIN = { serviceId: 'bench-service', servicePassword: 'bench-P@ss+word', spaceId: 'bench-space' };

const { say, warn: log } = createOutput({ secrets: [SANDBOX_LOGIN.servicePassword] });

const { ITEMS, LATENCY_MS, BASELINE_SAMPLE, LOAD_ITEMS, LOAD_RATE, CPU_RECIPIENTS, COLD_RUNS, SEED, MIXED_ITEMS } = readSettings(log);

/** SFR's contractual cap and what one batchSingleCall carries. */
const CAP_CALLS_PER_S = 5;
const MESSAGES_PER_CALL = 20;
const THEORETICAL_SMS_PER_S = CAP_CALLS_PER_S * MESSAGES_PER_CALL;

const TARGETS = { smsPerS: 95, ratio: 18, cpuUs: 15, coldMs: 100 };

const elapsed = () => `${((performance.now() - benchStart) / 1000).toFixed(1)} s`;
exitOnSignals({ report: log });

/* ------------------------------------------------------------------------------------ */
/* Build what ships, bundle the harness and the domain                                   */
/* ------------------------------------------------------------------------------------ */

log(`bench: building dist/ (scripts/build.mjs) and bundling the harness …`);
const built = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, encoding: 'utf8' });
if (built.status !== 0) {
	log(`bench: the build failed\n${built.stdout}${built.stderr}`);
	process.exit(2);
}
const engine = await loadHarness();
// The domain as it ships: libphonenumber-js and its metadata bundled, n8n-workflow n8n's.
const domain = await loadTypeScript({
	name: 'bench-domain',
	source: [
		`export { normalizeRecipients, normalizePhoneNumber, numberRules } from './nodes/SfrDmc/domain/recipients';`,
		`export { prepareSmsText } from './nodes/SfrDmc/domain/smsText';`,
		`export { packIntoBatches } from './nodes/SfrDmc/domain/batches';`,
		`export { DmcClient } from './nodes/SfrDmc/transport/DmcClient';`,
		`export { sendItems } from './nodes/SfrDmc/transport/batchSender';`,
		`export { contactFile } from './nodes/SfrDmc/domain/campaignContacts';`,
		`export { prepareExcludeList } from './nodes/SfrDmc/domain/excludeList';`,
	].join('\n'),
	bundlePackages: true,
	external: ['n8n-workflow'],
});
const { SfrDmcSms } = require(join(ROOT, 'dist/nodes/SfrDmc/SfrDmcSms.node.js'));
const { SfrDmcApi } = require(join(ROOT, 'dist/credentials/SfrDmcApi.credentials.js'));

/* ------------------------------------------------------------------------------------ */
/* Measuring                                                                             */
/* ------------------------------------------------------------------------------------ */

function credentialsFor(sandbox, maxCallsPerSecond = CAP_CALLS_PER_S) {
	return { ...SANDBOX_LOGIN, baseUrl: sandbox.baseUrl, maxCallsPerSecond };
}

/** `sendOptions`: the Send operation's options, e.g. a reference and Skip If Already Sent (items may carry `reference`). */
function nodeRunOptions(sandbox, items, maxCallsPerSecond, sendOptions = {}) {
	return {
		nodeType: new SfrDmcSms(),
		credentialType: new SfrDmcApi(),
		credentials: credentialsFor(sandbox, maxCallsPerSecond),
		items: items.map(({ to, text, reference }) => ({ to, text, reference })),
		parameters: { operation: 'send', to: '={{ $json.to }}', message: '={{ $json.text }}', options: sendOptions },
	};
}

async function runThroughNode(sandbox, items, maxCallsPerSecond) {
	return await engine.runNode(nodeRunOptions(sandbox, items, maxCallsPerSecond));
}

/**
 * The straightforward client: one `addSingleCall` per SMS, through DmcClient at the same cap.
 * Resolves each message's id, or undefined when its call failed.
 */
async function baselineSend(sandbox, items) {
	const client = dmcClient(credentialsFor(sandbox));
	return await Promise.all(
		items.map(async (item) => {
			const messageUnitaire = { media: 'SMS', textMsg: item.text, to: item.expected[0] };
			const id = await client.call('MessagesUnitairesWS/addSingleCall', { messageUnitaire }).catch(() => undefined);
			return id === undefined ? undefined : String(id);
		}),
	);
}

/* ------------------------------------------------------------------------------------ */
/* The run                                                                                */
/* ------------------------------------------------------------------------------------ */

const capped = { ...SANDBOX_LOGIN, rateLimit: CAP_CALLS_PER_S, rateWindowMs: 1000, rateMode: 'refuse', latencyMs: LATENCY_MS };
const sandboxes = await startSandboxHost({
	throughput: capped,
	baseline: capped,
	concurrent: capped,
	mixed: capped,
	load: { ...capped, rateLimit: LOAD_RATE },
	...burstSandboxes(capped),
	...campaignSandboxes(capped),
});

let exitCode = 0;
try {
	// 1. Throughput, node then baseline.
	log(
		`bench: [1/5] ${ITEMS} single-recipient items through the node (cap ${CAP_CALLS_PER_S} calls/s, latency ${LATENCY_MS} ms) … (${elapsed()})`,
	);
	const throughputItems = generateItems(domain, ITEMS, 1, 1, SEED);
	let started = performance.now();
	const throughputResult = await runThroughNode(sandboxes.throughput, throughputItems);
	const throughputWallMs = performance.now() - started;
	const throughputStored = await control(sandboxes.throughput, 'messages');
	const throughputAccount = account(throughputItems, throughputResult, throughputStored);
	const throughput = sustainedRate(throughputStored);

	log(`bench: [1/5] baseline: ${BASELINE_SAMPLE} messages, one addSingleCall each, same cap … (${elapsed()})`);
	const baselineItems = generateItems(domain, BASELINE_SAMPLE, 1, 1, SEED + 1);
	started = performance.now();
	const baselineIds = await baselineSend(sandboxes.baseline, baselineItems);
	const baselineWallMs = performance.now() - started;
	const baselineStored = await control(sandboxes.baseline, 'messages');
	const baseline = sustainedRate(baselineStored);
	const baselineFailed = baselineIds.filter((id) => id === undefined).length;

	// 2. Two concurrent executions, one credential.
	const half = Math.max(1, Math.floor(ITEMS / 2));
	log(`bench: [2/5] two concurrent executions of ${half} items, one credential … (${elapsed()})`);
	const concurrentItems = [generateItems(domain, half, 1, 1, SEED + 2), generateItems(domain, half, 1, 1, SEED + 12)];
	started = performance.now();
	const concurrentResults = await Promise.all(concurrentItems.map(async (items) => await runThroughNode(sandboxes.concurrent, items)));
	const concurrentWallMs = performance.now() - started;
	const concurrentStored = await control(sandboxes.concurrent, 'messages');
	const concurrentAccounts = concurrentItems.map((items, n) => {
		const texts = new Set(items.map((item) => item.text));
		return account(
			items,
			concurrentResults[n],
			concurrentStored.filter((message) => texts.has(message.text)),
		);
	});
	const concurrent = sustainedRate(concurrentStored);

	log(`bench: [2/5] mixed workload: ${MIXED_ITEMS} items of 1 to 20 recipients … (${elapsed()})`);
	const mixed = await measureMixedWorkload({
		domain,
		count: MIXED_ITEMS,
		seed: SEED + 5,
		credentials: credentialsFor(sandboxes.mixed),
		capCallsPerS: CAP_CALLS_PER_S,
		messagesPerCall: MESSAGES_PER_CALL,
		send: async (items) => await runThroughNode(sandboxes.mixed, items),
		stored: async () => await control(sandboxes.mixed, 'messages'),
		stats: async () => await control(sandboxes.mixed, 'stats'),
	});

	// 2b. Bursts of concurrent small executions (scripts/bench/burst.mjs).
	const burst = await runBurst({
		transport: domain,
		engine,
		sandboxes,
		login: SANDBOX_LOGIN,
		control,
		account,
		generateItems: (...args) => generateItems(domain, ...args),
		runOptions: nodeRunOptions,
		seed: SEED,
		log,
	});

	// 3. CPU.
	log(`bench: [3/5] CPU per recipient over ${CPU_RECIPIENTS} mixed recipients … (${elapsed()})`);
	const cpu = measureCpu(domain, { recipients: CPU_RECIPIENTS, seed: SEED + 3, login: SANDBOX_LOGIN });

	// 4. Load.
	log(`bench: [4/5] load: ${LOAD_ITEMS} items of 1–3 recipients, credential and sandbox at ${LOAD_RATE} calls/s … (${elapsed()})`);
	const loadItems = generateItems(domain, LOAD_ITEMS, 1, 3, SEED + 4);
	globalThis.gc?.();
	const rssBefore = process.memoryUsage().rss;
	let rssPeak = rssBefore;
	const sampler = setInterval(() => {
		rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
	}, 25);
	started = performance.now();
	const loadResult = await runThroughNode(sandboxes.load, loadItems, LOAD_RATE);
	const loadWallMs = performance.now() - started;
	clearInterval(sampler);
	rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
	const maxRssBytes = process.resourceUsage().maxRSS * 1024;
	const loadStored = await control(sandboxes.load, 'messages');
	const loadAccount = account(loadItems, loadResult, loadStored);

	// 5. Cold load.
	log(`bench: [5/5] cold load of dist/nodes/SfrDmc/SfrDmcSms.node.js in ${COLD_RUNS} fresh processes … (${elapsed()})`);
	const cold = measureColdLoad(COLD_RUNS);

	// 6. A campaign of the same size as a city-wide alert, against the unit-message rate of phase 1.
	const campaign = await runCampaign({
		engine,
		domain,
		node: { nodeType: new SfrDmcSms(), credentialType: new SfrDmcApi(), credentials: credentialsFor(sandboxes.campaign) },
		sandbox: sandboxes.campaign,
		control,
		unitSmsPerS: throughput.rate,
		log,
	});

	const stats = {};
	for (const name of Object.keys(sandboxes)) stats[name] = await control(sandboxes[name], 'stats');
	const violations = Object.values(stats).reduce((sum, s) => sum + s.violations, 0);
	const refused = Object.values(stats).reduce((sum, s) => sum + s.refused, 0);
	// DMC's once-a-minute rule for SupervisionWS, in every phase (docs/reading-reports.md).
	const supervisionViolations = Object.values(stats).reduce((sum, s) => sum + s.supervisionViolations, 0);
	const accounts = [throughputAccount, ...concurrentAccounts, mixed.account, loadAccount, ...burst.accounts];
	const mixedLines = mixedReport(mixed, throughput.rate);
	// The node's messages; the baseline client is a reference, its failures are listed apart.
	const lost = accounts.reduce((sum, a) => sum + a.lost, 0);
	const duplicated = accounts.reduce((sum, a) => sum + a.duplicated, 0);
	const problems = [
		...accounts.flatMap((a) => a.problems),
		...campaign.problems,
		...(baselineFailed > 0 ? [`baseline client: ${baselineFailed} of ${BASELINE_SAMPLE} call(s) refused or failed`] : []),
	];
	const ratio = throughput.rate / baseline.rate;

	/* ---------------------------------------------------------------------------------- */
	/* Report                                                                              */
	/* ---------------------------------------------------------------------------------- */

	const f = (value, digits = 1) => value.toFixed(digits);
	const mb = (bytes) => `${f(bytes / 1048576, 0)} MB`;
	const verdict = (ok) => (ok ? 'ok' : 'MISSED');
	const v = (name) => `${stats[name].violations} violation(s)`;
	const rows = [
		[
			'1. Throughput (node, n8n engine)',
			`${f(throughput.rate)} SMS/s`,
			`≥ ${TARGETS.smsPerS}`,
			verdict(throughput.rate >= TARGETS.smsPerS),
		],
		[
			'   items, calls, span, cap',
			`${ITEMS} items, ${stats.throughput.calls} calls, ${f(throughput.spanMs / 1000, 2)} s, ${v('throughput')}`,
			'',
			'',
		],
		[
			'   end-to-end (runNode, all items)',
			`${f(throughputWallMs / 1000, 2)} s, ${f((throughputAccount.stored * 1000) / throughputWallMs)} SMS/s`,
			'',
			'',
		],
		['   theoretical limit', `${THEORETICAL_SMS_PER_S} SMS/s (${CAP_CALLS_PER_S} calls/s × ${MESSAGES_PER_CALL})`, '', ''],
		['   baseline (1 addSingleCall per SMS)', `${f(baseline.rate, 2)} SMS/s (limit ${CAP_CALLS_PER_S})`, '', ''],
		[
			'   baseline sample, span, wall, cap',
			`${BASELINE_SAMPLE} msgs, ${f(baseline.spanMs / 1000, 2)} s, ${f(baselineWallMs / 1000, 2)} s, ${v('baseline')}`,
			'',
			'',
		],
		['   ratio node / baseline', `${f(ratio)}×`, `≥ ${TARGETS.ratio}×`, verdict(ratio >= TARGETS.ratio)],
		[
			'2. Two concurrent executions',
			`${f(concurrent.rate)} SMS/s combined`,
			'0 viol.',
			verdict(stats.concurrent.violations === 0 && concurrentAccounts.every((a) => a.problems.length === 0)),
		],
		[
			'   items, calls, wall, cap',
			`2 × ${half}, ${stats.concurrent.calls} calls, ${f(concurrentWallMs / 1000, 2)} s, ${v('concurrent')}`,
			'',
			'',
		],
		...mixedLines.rows,
		['3. CPU per recipient (all)', `${f(cpu.totalUs, 2)} µs`, `≤ ${TARGETS.cpuUs}`, verdict(cpu.totalUs <= TARGETS.cpuUs)],
		['   of which normalisation', `${f(cpu.normalizeUs, 2)} µs`, '', ''],
		['   encode + batch + serialise', `${f(cpu.totalUs - cpu.normalizeUs, 2)} µs`, '', ''],
		[
			'   recipients, items, passes',
			`${cpu.recipients}, ${cpu.items}, best of ${cpu.passes} (median ${f(cpu.medianUs, 2)} µs, wall ${f(cpu.wallUs, 2)} µs)`,
			'',
			'',
		],
		[
			'4. Load: items → output items',
			`${LOAD_ITEMS} → ${loadResult.items.length}`,
			'equal',
			verdict(loadResult.items.length === LOAD_ITEMS),
		],
		[
			'   messages expected / stored',
			`${loadAccount.expected} / ${loadAccount.stored}`,
			'equal',
			verdict(loadAccount.expected === loadAccount.stored),
		],
		[
			'   calls, wall, rate, cap',
			`${stats.load.calls} calls, ${f(loadWallMs / 1000, 1)} s, ${f((loadAccount.stored * 1000) / loadWallMs)} SMS/s at ${LOAD_RATE} calls/s, ${v('load')}`,
			'',
			'',
		],
		[
			'   RSS before / peak (+delta) / maxRSS',
			`${mb(rssBefore)} / ${mb(rssPeak)} (+${mb(rssPeak - rssBefore)}) / ${mb(maxRssBytes)}`,
			'',
			'',
		],
		[
			'5. Cold load, n8n-workflow loaded',
			`${f(cold.nodeMs)} ms (CPU ${f(cold.nodeCpuMs)} ms, min ${f(cold.minNodeMs)})`,
			`< ${TARGETS.coldMs}`,
			verdict(cold.nodeMs < TARGETS.coldMs),
		],
		['   n8n-workflow itself / total', `${f(cold.workflowMs)} ms / ${f(cold.totalMs)} ms (median of ${cold.runs})`, '', ''],
		...burst.rows,
		...campaign.rows,
		['Violations counted by the sandbox', `${violations} (refused ${refused})`, '0', verdict(violations === 0)],
		['SupervisionWS calls within a minute', `${supervisionViolations}`, '0', verdict(supervisionViolations === 0)],
		['Lost / duplicated messages (node)', `${lost} / ${duplicated}`, '0 / 0', verdict(lost === 0 && duplicated === 0)],
	];
	say('');
	say(
		`SFR DMC node benchmark — ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, latency ${LATENCY_MS} ms, cap ${CAP_CALLS_PER_S} calls/s (refuse)`,
	);
	say(
		`load average (1 min) at start ${f(loadAtStart, 2)}, at end ${f(loadavg()[0], 2)}: other processes on the machine inflate CPU and cold-load times`,
	);
	say(table(['measure', 'result', 'target', ''], rows));
	for (const problem of problems) say(`problem: ${problem}`);
	say(`total bench time ${elapsed()}`);
	say(
		`bench: sms_per_s=${f(throughput.rate)} baseline_sms_per_s=${f(baseline.rate, 2)} ratio=${f(ratio)} violations=${violations} supervision_violations=${supervisionViolations} cpu_us_per_recipient=${f(cpu.totalUs, 2)} lost=${lost} duplicated=${duplicated} ${mixedLines.fields} ${burst.line} ${campaign.line}`,
	);
	if (violations > 0 || supervisionViolations > 0 || lost > 0 || duplicated > 0 || problems.length > 0) exitCode = 1;
} catch (error) {
	log(error?.stack ?? String(error));
	exitCode = 1;
}
await cleanup(log);
process.exit(exitCode);
