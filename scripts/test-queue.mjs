#!/usr/bin/env node
// `npm run test:queue`: the packed package on a real n8n queue-mode cluster, started here.
//
//  1. Debian's redis-server and PostgreSQL (installed with apt-get when missing), each on a free
//     127.0.0.1 port in a temporary folder; the DMC sandbox, refusing calls over 5 a second;
//  2. the n8n cached by `npm run test:n8n` (installed by its code when missing): one main
//     (`n8n start`) and two `n8n worker`s in queue mode, sharing one user folder where the
//     packed package is installed;
//  3. an active webhook workflow that sends through the SFR DMC SMS node, and an active SFR DMC
//     Trigger on replies (it polls on main);
//  4. round 1: concurrent webhook calls, so both workers send at once; replies added in the
//     sandbox while it runs;
//  5. round 2: one worker is SIGKILLed while it sends, then restarted; once n8n has marked the
//     interrupted executions failed, each is retried through n8n's REST API, as a person would
//     from the executions list, then the webhook calls they ran are sent again, as their caller
//     would (the workflow sets a stable reference and Skip If Already Sent);
//  6. checks on what n8n stored in Postgres, the workers' logs and what the sandbox received.
//
// Exit code 0 when every check passes, 1 when one fails, 2 when the environment could not be
// set up. TEST_QUEUE_KEEP_LOGS=1 keeps the logs folder also after a successful run.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PKG } from './lib/paths.mjs';
import { cleanup, exitOnSignals, killProcess, onCleanup, SetupError, sleep, waitFor, wasInterrupted } from './lib/processes.mjs';
import {
	checkReplies,
	checkSecondAttempts,
	checkSends,
	checkSupervision,
	isFinal,
	readExecutions,
	workersByExecution,
} from './queue/checks.mjs';
import { installPackedPackage, sharedSettings, startMain, startWorker } from './queue/cluster.mjs';
import { newOwner, n8nRest } from './lib/n8nRest.mjs';
import { elapsed, log } from './queue/context.mjs';
import { ensureServices, startPostgres, startRedis, waitForQuery } from './queue/services.mjs';
import { callOfExecution, callOfReference, fireRound, postCalls, replyWorkflow, sendWorkflow, startSandbox } from './queue/workload.mjs';
import { ACCOUNT } from './test-n8n/context.mjs';
import { baseEnv, ensureN8n } from './test-n8n/install.mjs';
import { executionDataParser } from './test-n8n/n8n.mjs';

const PROCESSES = 3; // one main, two workers
/** Every round-1 execution at once: each waits for its worker's report look-up turn, see below. */
const WORKER_CONCURRENCY = 20;
/**
 * Every execution looks its references up first (Skip If Already Sent), and a SupervisionWS
 * call of the service comes once a minute (and 2 s) for the cluster: with 3 processes, each
 * gets its turn once per cycle of 3 such slots. Waits are counted in cycles.
 */
const CYCLE_MS = PROCESSES * 62_000;
const ROUND_1 = { calls: 40, recipients: 25 };
const KILL_ROUND = { calls: 6, recipients: 25 };
const REPLIES = 5;
/**
 * The credential's rate settings, as the README tells a queue-mode user to fill them: SFR's
 * cap, and every process that may send (main and both workers), so each keeps to ⌊5 ÷ 3⌋ = 1.
 */
const CREDENTIAL_RATE_SETTINGS = { maxCallsPerSecond: 5, processes: PROCESSES };

async function setUp(env, logDir) {
	const workDir = await mkdtemp(join(tmpdir(), 'n8n-sfr-dmc-queue-'));
	onCleanup(() => rm(workDir, { recursive: true, force: true }).catch(() => undefined));
	await Promise.all(['user', 'tmp'].map((name) => mkdir(join(workDir, name))));
	await ensureServices(env);
	const layout = await ensureN8n();
	const userFolder = join(workDir, 'user');
	const [, redis, postgres, sandbox] = await Promise.all([
		installPackedPackage(layout, workDir, userFolder),
		startRedis(workDir, logDir, env),
		startPostgres(workDir, env),
		startSandbox(),
	]);
	const settings = sharedSettings({ userFolder, tempDir: join(workDir, 'tmp'), postgres, redis });
	const main = await startMain(layout, settings, logDir);
	const startWorkerNamed = (name) => startWorker(layout, settings, logDir, name, WORKER_CONCURRENCY);
	const workers = await Promise.all([startWorkerNamed('worker-a'), startWorkerNamed('worker-b')]);
	return { workDir, logDir, layout, postgres, sandbox, main, workers, startWorkerNamed };
}

/** Waits until `count` executions of the workflow have ended; returns them all. */
async function executionsEnded(cluster, workflowId, count, timeoutMs) {
	const parse = executionDataParser(cluster.layout);
	return waitFor(
		`${count} executions of workflow ${workflowId} to end`,
		async () => {
			const executions = await readExecutions(cluster.postgres, parse, workflowId);
			return executions.filter(isFinal).length >= count ? executions : undefined;
		},
		{ timeoutMs, everyMs: 2000 },
	);
}

/** Adds replies in the sandbox once the trigger has taken note of the present (its first poll). */
async function addReplies(sandbox) {
	await waitFor(
		"the trigger's first poll",
		async () => ((await sandbox.stats()).callsByMethod['SupervisionWS/getResponsesSMS'] ? true : undefined),
		{ timeoutMs: 2 * CYCLE_MS },
	);
	const messages = await waitFor(
		'messages to reply to',
		async () => {
			const stored = await sandbox.messages();
			return stored.length >= REPLIES ? stored : undefined;
		},
		{ timeoutMs: 2 * CYCLE_MS },
	);
	const replies = [];
	for (const message of messages.slice(0, REPLIES))
		replies.push(await sandbox.reply(message.id, `Reply ${replies.length + 1} to ${message.to}`));
	log(`added ${replies.length} replies in the sandbox after the trigger's first poll`);
	return replies.map((reply) => ({ messageId: String(reply.messageId), text: reply.text }));
}

/**
 * SIGKILLs worker A once it is sending round 2 (the sandbox holds a message of the webhook
 * call of an execution it started). Returns the round-2 executions it had started, and the
 * webhook body of each (n8n may not keep it: see secondAttempts).
 */
async function killWorkerWhileSending(cluster, sendFlowId, firstRoundIds) {
	const worker = cluster.workers[0];
	const parse = executionDataParser(cluster.layout);
	const inputs = new Map();
	const inFlight = await waitFor(
		'worker-a to send round 2',
		async () => {
			const started = [...worker.child.output.matchAll(/Worker started execution (\d+)/g)]
				.map((m) => m[1])
				.filter((id) => !firstRoundIds.has(id));
			const sentCalls = new Set((await cluster.sandbox.messages()).map((message) => callOfReference(message.refExt)));
			const unknown = started.filter((id) => !inputs.has(id));
			if (unknown.length > 0 && sentCalls.size > 0) {
				for (const execution of await readExecutions(cluster.postgres, parse, sendFlowId, unknown))
					if (execution.input) inputs.set(execution.id, execution.input);
			}
			return started.some((id) => inputs.has(id) && sentCalls.has(callOfExecution({ input: inputs.get(id) }))) ? started : undefined;
		},
		{ timeoutMs: 2 * CYCLE_MS, everyMs: 200 },
	);
	await killProcess(worker.child);
	log(`SIGKILLed worker-a (pid ${worker.child.pid}) while it ran execution(s) ${inFlight.join(', ')}; restarting it`);
	return { killedIds: inFlight, inputs };
}

/**
 * Once n8n has marked the interrupted executions error, tries each again twice, as a person
 * would: n8n's Retry through its REST API, then the webhook call it ran sent again. Returns
 * the messages DMC had before each, and the calls sent again.
 */
async function secondAttempts(cluster, session, sendFlowId, { killedIds, inputs }) {
	const parse = executionDataParser(cluster.layout);
	const ended = () => readExecutions(cluster.postgres, parse, sendFlowId);
	const failedIds = (await ended())
		.filter((execution) => killedIds.includes(execution.id) && execution.status !== 'success')
		.map((execution) => execution.id);
	const failed = await waitFor(
		'the interrupted executions to be marked error',
		async () => {
			const now = await readExecutions(cluster.postgres, parse, sendFlowId, failedIds);
			return now.every((execution) => execution.status === 'error') ? now : undefined;
		},
		{ timeoutMs: 120_000, everyMs: 2000 },
	).catch(() => readExecutions(cluster.postgres, parse, sendFlowId, failedIds));
	for (const execution of failed)
		log(
			`execution ${execution.id} is ${execution.status}; its stored data ${execution.input ? 'still holds' : 'no longer holds'} the webhook body`,
		);

	const retriedBefore = await cluster.sandbox.messages();
	const answers = await Promise.all(
		failed.map((execution) =>
			session.retryExecution(execution.id).then(
				(retry) => `execution ${execution.id} retried as execution ${retry.id}: ${retry.status}`,
				(error) => `execution ${execution.id} could not be retried: ${error.message}`,
			),
		),
	);
	for (const answer of answers) log(`n8n's Retry: ${answer}`);
	let count = (await ended()).length;
	await executionsEnded(cluster, sendFlowId, count, 2 * CYCLE_MS).catch(() => log('not every retry ended within 2 cycles'));

	const resentBefore = await cluster.sandbox.messages();
	const bodies = failed.map((execution) => inputs.get(execution.id)).filter(Boolean);
	await postCalls(cluster.main.url, bodies);
	log(`sent the webhook calls of ${bodies.length} interrupted execution(s) again`);
	count += bodies.length;
	await executionsEnded(cluster, sendFlowId, count, 3 * CYCLE_MS).catch(() =>
		log('not every execution of the calls sent again ended within 3 cycles'),
	);
	return { retriedBefore, resentBefore, resentCalls: new Set(bodies.map((body) => callOfExecution({ input: body }))) };
}

async function main(logDir) {
	const env = baseEnv();
	const cluster = await setUp(env, logDir);
	const { sandbox, main: n8nMain } = cluster;
	const session = n8nRest(n8nMain.url);
	await session.setUpOwner(newOwner('Queue'));
	const credential = await session.createCredential({
		name: 'SFR DMC (sandbox)',
		type: 'sfrDmcApi',
		data: { ...ACCOUNT, baseUrl: sandbox.baseUrl, ...CREDENTIAL_RATE_SETTINGS },
	});
	const replyFlow = await session.createActiveWorkflow(replyWorkflow(PKG.name, credential));
	const sendFlow = await session.createActiveWorkflow(sendWorkflow(PKG.name, credential));
	await waitForQuery(
		cluster.postgres,
		'the webhook to be registered',
		`select to_json(count(*)) from webhook_entity where "workflowId" = '${sendFlow.id}'`,
		(n) => n > 0,
	);
	log(
		`credential ${credential.id} (${JSON.stringify(CREDENTIAL_RATE_SETTINGS)}); active workflows: send ${sendFlow.id}, replies ${replyFlow.id}`,
	);

	const repliesAdded = addReplies(sandbox);
	repliesAdded.catch(() => undefined); // awaited below

	let t0 = Date.now();
	const fired = await fireRound(n8nMain.url, 1, ROUND_1.calls, ROUND_1.recipients);
	const round1 = await executionsEnded(cluster, sendFlow.id, ROUND_1.calls, 4 * CYCLE_MS);
	log(`round 1: ${ROUND_1.calls} executions of ${ROUND_1.recipients} recipients ended in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

	t0 = Date.now();
	fired.push(...(await fireRound(n8nMain.url, 2, KILL_ROUND.calls, KILL_ROUND.recipients)));
	const killed = await killWorkerWhileSending(cluster, sendFlow.id, new Set(round1.map((execution) => execution.id)));
	const { killedIds } = killed;
	const killedAt = Date.now();
	const restarted = cluster.startWorkerNamed('worker-a');
	let afterKill;
	try {
		afterKill = await executionsEnded(cluster, sendFlow.id, ROUND_1.calls + KILL_ROUND.calls, 3 * CYCLE_MS);
	} catch {
		afterKill = await readExecutions(cluster.postgres, executionDataParser(cluster.layout), sendFlow.id);
		log('round 2: not every execution ended within 3 cycles of the kill');
	}
	for (const id of killedIds) {
		const execution = afterKill.find((e) => e.id === id);
		log(
			`round 2: execution ${id}, interrupted on worker-a, is ${execution?.status ?? 'missing'} ${((Date.now() - killedAt) / 1000).toFixed(0)} s after the kill: ${execution?.error ?? 'no error stored'}`,
		);
	}
	cluster.workers[0] = await restarted;
	const again = await secondAttempts(cluster, session, sendFlow.id, killed);

	const replies = await repliesAdded;
	const replyExecutions = await waitFor(
		'the trigger to emit the replies',
		async () => {
			const executions = await readExecutions(cluster.postgres, executionDataParser(cluster.layout), replyFlow.id);
			const emitted = executions.filter(isFinal).flatMap((execution) => execution.outputOf('Reply Received'));
			return emitted.length >= replies.length ? executions : undefined;
		},
		{ timeoutMs: 3 * CYCLE_MS, everyMs: 2000 },
	).catch(async () => readExecutions(cluster.postgres, executionDataParser(cluster.layout), replyFlow.id));
	await sleep(1000); // a late, wrongly repeated emission would show here

	return report(cluster, { fired, sendFlow, replies, replyExecutions, killed, again });
}

async function report(cluster, { fired, sendFlow, replies, replyExecutions, killed, again }) {
	const { killedIds, inputs } = killed;
	// An interrupted execution's data may have lost its webhook body: it was read before the kill.
	const callOf = (execution) =>
		callOfExecution(execution) ?? callOfExecution({ input: inputs.get(execution.id) ?? inputs.get(execution.retryOf) });
	const executions = await readExecutions(cluster.postgres, executionDataParser(cluster.layout), sendFlow.id);
	const messages = await cluster.sandbox.messages();
	const stats = await cluster.sandbox.stats();
	const sends = checkSends({ fired, executions, messages, killedIds, resentCalls: again.resentCalls, callOf });
	const replyCheck = checkReplies({ replies, executions: replyExecutions });
	const workers = await Promise.all(
		cluster.workers.map(async (worker) => ({
			name: worker.name,
			log: await readFile(join(cluster.logDir, `n8n-${worker.name}.log`), 'utf8'),
		})),
	);
	const ranBy = workersByExecution(workers);
	const retries = checkSecondAttempts({ interrupted: sends.interrupted.executions, executions, callOf, ranBy, ...again });
	const failures = [...sends.failures, ...retries.failures, ...replyCheck.failures];
	const split = Object.fromEntries(workers.map((worker) => [worker.name, 0]));
	for (const execution of executions.filter((e) => e.status === 'success')) {
		const by = ranBy.get(execution.id) ?? [];
		if (by.length === 0) failures.push(`no worker log names execution ${execution.id}`);
		else split[by.at(-1)] += 1;
	}
	if (Object.values(split).some((count) => count === 0)) failures.push(`a worker ran no execution: ${JSON.stringify(split)}`);
	const reRun = [...ranBy].filter(([, by]) => by.length > 1);
	for (const [id, by] of reRun) log(`execution ${id} was started ${by.length} times: by ${by.join(' then ')}`);
	const { interrupted } = sends;
	for (const execution of interrupted.executions) {
		const sent = again.retriedBefore.filter((message) => callOfReference(message.refExt) === callOf(execution)).length;
		log(
			`execution ${execution.id}, ran by ${(ranBy.get(execution.id) ?? ['?']).join(' then ')}, is ${execution.status}; ${sent} of its messages were sent before it failed`,
		);
	}
	for (const retry of retries.retries)
		log(
			`n8n's Retry of execution ${retry.of}: execution ${retry.id}, ran by ${retry.ranBy.join(' then ') || 'no worker'}, is ${retry.status} (${retry.error ?? 'no error stored'}), ${retry.reported} item(s) sent`,
		);
	for (const resend of retries.resends)
		log(
			`the call of execution ${resend.of} sent again: execution ${resend.id}, ran by ${resend.ranBy.join(' then ') || 'no worker'}, is ${resend.status}`,
		);
	log(
		`killed worker: ${killedIds.length} execution(s) in flight, ${interrupted.executions.length} not successful, ${retries.resent} completed by sending their call again; ` +
			`their recipients: ${retries.alreadySent} skipped as already sent, ${retries.sentAgain} sent on the second attempt; ` +
			`${interrupted.sentUnreported} sent but unreported, ${interrupted.neverSent} never sent; ${reRun.length} execution(s) started more than once`,
	);
	if (stats.violations !== 0)
		failures.push(`the sandbox counted ${stats.violations} rate-limit violation(s) (peak ${stats.peakCallsInWindow} calls in a window)`);
	const overRate = stats.refused - stats.refusedTooFrequent;
	if (overRate) failures.push(`the sandbox refused ${overRate} call(s) over the rate`);
	const mainLog = { name: 'main', log: await readFile(join(cluster.logDir, 'n8n-main.log'), 'utf8') };
	const supervision = checkSupervision(stats, [mainLog, ...workers]);
	failures.push(...supervision.failures);
	log(
		`sandbox: ${stats.calls} calls ${JSON.stringify(stats.callsByMethod)}, peak ${stats.peakCallsInWindow} in a window, ${stats.violations} violation(s); ` +
			`${stats.supervisionCalls} SupervisionWS call(s), each process's a minute apart or more; ${stats.refusedTooFrequent} landed within a minute of another process's, refused and waited out`,
	);
	for (const file of ['n8n-main.log', 'n8n-worker-a.log', 'n8n-worker-b.log']) {
		const text = await readFile(join(cluster.logDir, file), 'utf8').catch(() => '');
		if (text.includes(ACCOUNT.servicePassword)) failures.push(`the service password appears in ${file}`);
	}

	for (const failure of failures.slice(0, 40)) log(`  ✗ ${failure}`);
	if (failures.length > 40) log(`  … and ${failures.length - 40} more`);
	if (failures.length > 0) log(`FAILED: ${failures.length} problem(s)`);
	log(`done in ${elapsed()}`);
	const [a, b] = Object.values(split);
	console.log(
		`queue: processes=${PROCESSES} executions=${executions.length} messages=${messages.length} violations=${stats.violations} ` +
			`lost=${sends.lost} duplicated=${sends.duplicated} replies_emitted=${replyCheck.once}/${replies.length} worker_split=${a}/${b} resent=${retries.resent}/${interrupted.executions.length}`,
	);
	return failures.length > 0 ? 1 : 0;
}

exitOnSignals({ report: log });
process.on('uncaughtException', (error) => {
	log(`ERROR: ${error.stack}`);
	cleanup(log).finally(() => process.exit(1));
});
// The logs live outside the work folder: they stay when the run fails.
const logDir = await mkdtemp(join(tmpdir(), 'n8n-sfr-dmc-queue-logs-'));
log(`logs in ${logDir}`);
let exitCode;
try {
	exitCode = await main(logDir);
} catch (error) {
	if (wasInterrupted()) await new Promise(() => {}); // the signal handler cleans up and exits
	log(`${error instanceof SetupError ? 'SETUP FAILED' : 'ERROR'}: ${error instanceof SetupError ? error.message : error.stack}`);
	exitCode = error instanceof SetupError ? 2 : 1;
}
await cleanup(log);
if (exitCode === 0 && process.env.TEST_QUEUE_KEEP_LOGS !== '1') await rm(logDir, { recursive: true, force: true });
else log(`logs kept in ${logDir}`);
process.exit(exitCode);
