#!/usr/bin/env node
// `npm start`: the project's main job.
//
//  1. build the package (scripts/build.mjs -> dist/);
//  2. start the local DMC sandbox (DMC_SANDBOX_PORT, default 8787, a free port if that one is
//     busy; other DMC_SANDBOX_* variables as in sandbox/README.md; short delivery delays for the
//     demo) — or, when SFR_DMC_BASE_URL is set, use that DMC instead (no sandbox);
//  3. run every workflow of examples/*.json through n8n-core's real WorkflowExecute
//     (the harness's runWorkflow, bundled with esbuild), with the BUILT node and
//     credential required from dist/ and the SFR DMC credential pointing at the sandbox;
//     n8n's own nodes an example uses (the campaign example reads a CSV file and waits) come
//     from an installed n8n (scripts/start/n8nNodes.mjs), and without one that example is
//     skipped;
//  4. print, per workflow and node, each recipient (input -> E.164), message id, media, parts
//     and the delivery status read back from the sandbox (or DMC);
//  5. keep the sandbox and its web inbox up until Ctrl-C (exit 0), or with `--once` exit:
//     0 when DMC accepted every message, 1 when not (the last line says why), 2 when the run
//     could not be set up.
//
// Real DMC: SFR_DMC_BASE_URL, SFR_DMC_SERVICE_ID, SFR_DMC_SERVICE_PASSWORD, SFR_DMC_SPACE_ID,
// and the --real flag, since the examples' placeholder numbers may belong to real people.
// This SENDS REAL SMS to the numbers written in the example workflows. The password is never
// printed (every printed line is scrubbed of it).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, relative } from 'node:path';
import { loadHarness } from './lib/bundle.mjs';
import { dmcClient } from './lib/dmc.mjs';
import { createOutput, seconds } from './lib/output.mjs';
import { PKG, ROOT } from './lib/paths.mjs';
import { cleanup, exitOnSignals, onCleanup, SetupError, sleep } from './lib/processes.mjs';
import { n8nNodeTypes } from './start/n8nNodes.mjs';
import { campaignContacts, messageIdsOf, printRun, problems, sentItems } from './start/runs.mjs';

const require = createRequire(import.meta.url);
const EXAMPLES_DIR = join(ROOT, 'examples');
const ONCE = process.argv.slice(2).includes('--once');
const REAL = process.argv.slice(2).includes('--real');
const DEMO_DELAYS = { deliveryDelayMs: 1500, failureDelayMs: 1500, replyDelayMs: 1500 };
const MAX_REPORT_WAIT_MS = 20_000;
const REAL_DMC_REPORT_WAIT_MS = 10_000;
/** findCraByIds takes at most 100 ids per call. */
const CRA_IDS_PER_CALL = 100;
const started = Date.now();

/** Exit codes. */
const OK = 0;
const NOT_ACCEPTED = 1;
const SETUP_FAILED = 2;

// Every printed line is scrubbed of the DMC password.
const { say, warn, addSecret } = createOutput();

// ---------------------------------------------------------------------------------------
// Build, then load the built node/credential and the engine harness

async function buildPackage() {
	const t = Date.now();
	await import('./build.mjs');
	say(`  package built into dist/ (${seconds(Date.now() - t)})`);
}

/** The node and credential classes as n8n loads them: from the files package.json lists. */
function loadBuiltPackage() {
	const instantiate = (file) => {
		const className = basename(file).split('.')[0];
		const loaded = require(join(ROOT, file));
		if (typeof loaded[className] !== 'function') {
			throw new SetupError(`${file} does not export class ${className}`);
		}
		return new loaded[className]();
	};
	const nodeTypes = {};
	for (const file of PKG.n8n.nodes) {
		const nodeType = instantiate(file);
		nodeTypes[`${PKG.name}.${nodeType.description.name}`] = nodeType;
	}
	const credentialTypes = PKG.n8n.credentials.map(instantiate);
	return { nodeTypes, credentialTypes };
}

// ---------------------------------------------------------------------------------------
// Where the SMS go: the sandbox, or a real DMC

function realDmcTarget() {
	const baseUrl = process.env.SFR_DMC_BASE_URL?.trim();
	if (!baseUrl) return undefined;
	const names = ['SFR_DMC_SERVICE_ID', 'SFR_DMC_SERVICE_PASSWORD', 'SFR_DMC_SPACE_ID'];
	const missing = names.filter((name) => !process.env[name]);
	if (missing.length > 0) {
		throw new SetupError(`SFR_DMC_BASE_URL is set but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not`);
	}
	// The examples' numbers are placeholders that may well belong to someone: never text them
	// by accident.
	if (!REAL) {
		throw new SetupError(
			'SFR_DMC_BASE_URL is set: this would send real SMS to the numbers written in examples/*.json. ' +
				'Put your own numbers there, then run `npm start -- --real` (add --once to exit after the run).',
		);
	}
	addSecret(process.env.SFR_DMC_SERVICE_PASSWORD);
	return {
		kind: 'dmc',
		credentials: {
			serviceId: process.env.SFR_DMC_SERVICE_ID,
			servicePassword: process.env.SFR_DMC_SERVICE_PASSWORD,
			spaceId: process.env.SFR_DMC_SPACE_ID,
			baseUrl,
		},
	};
}

async function sandboxTarget() {
	const { startSandbox, configFromEnv, DEFAULTS } = require(join(ROOT, 'sandbox'));
	let fromEnv;
	try {
		fromEnv = configFromEnv(process.env);
	} catch (error) {
		throw new SetupError(`sandbox configuration: ${error.message}`);
	}
	// Sandbox log lines: kept during the run (warnings printed after the table), then
	// printed live while the inbox is up.
	const logs = { live: false, kept: [] };
	const logger = (level, message) => {
		if (logs.live) say(`  sandbox ${level === 'warn' ? 'WARN' : 'info'}  ${message}`);
		else logs.kept.push({ level, message });
	};
	const options = { ...DEMO_DELAYS, ...fromEnv, port: fromEnv.port ?? 8787, logger };
	let sandbox;
	try {
		sandbox = await startSandbox(options);
	} catch (error) {
		if (error?.code !== 'EADDRINUSE') throw error;
		say(`  port ${options.port} is busy: using a free port instead`);
		sandbox = await startSandbox({ ...options, port: 0 });
	}
	const c = sandbox.config;
	say(
		`  DMC sandbox on ${sandbox.url} (service ${c.serviceId}, space ${c.spaceId}; ` +
			`delivery after ${c.deliveryDelayMs} ms, failure after ${c.failureDelayMs} ms, reply after ${c.replyDelayMs} ms)`,
	);
	return {
		kind: 'sandbox',
		sandbox,
		logs,
		credentials: {
			serviceId: c.serviceId,
			servicePassword: fromEnv.servicePassword ?? DEFAULTS.servicePassword,
			spaceId: c.spaceId,
			baseUrl: sandbox.baseUrl,
		},
	};
}

// ---------------------------------------------------------------------------------------
// Running the examples

function exampleFiles() {
	let files;
	try {
		files = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.json'));
	} catch (error) {
		throw new SetupError(`cannot read examples/: ${error.message}`);
	}
	if (files.length === 0) throw new SetupError('no workflow in examples/*.json');
	return files.sort().map((file) => join(EXAMPLES_DIR, file));
}

function readExample(file) {
	const name = relative(ROOT, file);
	try {
		return { file: name, workflow: JSON.parse(readFileSync(file, 'utf8')) };
	} catch (error) {
		return { file: name, workflow: { name }, failure: `not valid JSON: ${error.message}`, ms: 0 };
	}
}

/** `own`: n8n's own node types the examples use, and those that could not be loaded. */
async function runExample(engine, pkg, own, target, { file, workflow }) {
	const t = Date.now();
	const absent = [...new Set(workflow.nodes.map((node) => node.type))].filter((type) => type in own.missing);
	if (absent.length > 0) return { file, workflow, skipped: `it needs ${absent.join(', ')}: ${own.missing[absent[0]]}` };
	const credentials = {};
	for (const credentialType of pkg.credentialTypes) credentials[credentialType.name] = target.credentials;
	try {
		const result = await engine.runWorkflow(workflow, {
			nodeTypes: { ...own.nodeTypes, ...pkg.nodeTypes },
			credentialTypes: pkg.credentialTypes,
			credentials,
		});
		return { file, workflow, result, ms: Date.now() - t };
	} catch (error) {
		return { file, workflow, failure: error.message, ms: Date.now() - t };
	}
}

// ---------------------------------------------------------------------------------------
// Delivery reports

/** Sandbox: wait (bounded) until no message is RUNNING and expected replies arrived. */
async function waitForSandboxReports(target, ids) {
	const { sandbox } = target;
	const { MAGIC_NUMBERS } = require(join(ROOT, 'sandbox'));
	const c = sandbox.config;
	const wanted = new Set(ids.map(String));
	const settled = () => {
		const mine = sandbox.messages().filter((message) => wanted.has(String(message.id)));
		return mine.every((message) => message.status !== 'RUNNING' && (message.reply !== null || !MAGIC_NUMBERS[message.callAdress]?.reply));
	};
	if (ids.length === 0 || settled()) return;
	const limit = Math.min(Math.max(c.deliveryDelayMs, c.failureDelayMs) + c.replyDelayMs + 2000, MAX_REPORT_WAIT_MS);
	say(`  waiting for delivery reports (at most ${seconds(limit)})…`);
	const deadline = Date.now() + limit;
	while (!settled() && Date.now() < deadline) await sleep(100);
}

function sandboxReports(target) {
	const reports = new Map();
	for (const message of target.sandbox.messages()) {
		reports.set(String(message.id), {
			status: message.status,
			code: message.resultCode,
			text: message.text,
			from: message.from,
			reply: message.reply?.text ?? null,
		});
	}
	return reports;
}

/** Real DMC: one SupervisionWS/findCraByIds call per 100 ids (DMC wants CRA polls ≥ 1 min apart). */
async function dmcReports(target, ids) {
	const reports = new Map();
	if (ids.length === 0) return reports;
	say(`  waiting ${seconds(REAL_DMC_REPORT_WAIT_MS)}, then asking DMC once for the delivery reports…`);
	await sleep(REAL_DMC_REPORT_WAIT_MS);
	const client = dmcClient(target.credentials);
	for (let start = 0; start < ids.length; start += CRA_IDS_PER_CALL) {
		try {
			for (const report of await client.findCraByIds(ids.slice(start, start + CRA_IDS_PER_CALL), [])) {
				reports.set(String(report.contactId), { status: report.status, code: report.callResultCode, reply: report.callResponse ?? null });
			}
		} catch (error) {
			warn(`  findCraByIds failed: ${error.message}${error.description ? ` (${error.description})` : ''}`);
		}
	}
	return reports;
}

// ---------------------------------------------------------------------------------------
// Report

// ---------------------------------------------------------------------------------------
// Main

let target;
let serving = false;
// Ctrl-C closes the sandbox; once the inbox is being served, that is the normal way out.
exitOnSignals({ report: say, exitCode: () => (serving ? OK : 130) });

async function main() {
	say(`${PKG.name} ${PKG.version}: npm start${ONCE ? ' --once' : ''}`);
	const real = realDmcTarget();
	// n8n reads files only under N8N_RESTRICT_FILE_ACCESS_TO; the examples name theirs relative
	// to the repository (examples/campaign-contacts.csv).
	process.env.N8N_RESTRICT_FILE_ACCESS_TO ??= EXAMPLES_DIR;
	process.chdir(ROOT);
	await buildPackage();
	const engine = await loadHarness();
	engine.setEngineLogSink((entry) => {
		if (entry.level === 'warn' || entry.level === 'error') warn(`  [n8n ${entry.level}] ${entry.message}`);
	});
	const pkg = loadBuiltPackage();
	say(`  n8n engine ready; node types: ${Object.keys(pkg.nodeTypes).join(', ')} (from dist/)`);
	if (real) {
		say(
			`  REAL DMC at ${real.credentials.baseUrl} (service ${real.credentials.serviceId}, space ${real.credentials.spaceId}): real SMS will be sent`,
		);
		target = real;
	} else {
		target = await sandboxTarget();
		const { sandbox } = target;
		onCleanup(async () => {
			say(`  closing the sandbox (${sandbox.stats().messages} message(s) in its inbox)`);
			await sandbox.close();
		});
	}

	const examples = exampleFiles().map(readExample);
	const own = n8nNodeTypes(
		examples.filter((example) => !example.failure).map((example) => example.workflow),
		[engine.MANUAL_TRIGGER_TYPE],
	);
	const runs = [];
	for (const example of examples) runs.push(example.failure ? example : await runExample(engine, pkg, own, target, example));
	const entries = sentItems(runs, pkg);
	const ids = messageIdsOf(entries).map(String);

	let reports;
	if (target.kind === 'sandbox') {
		await waitForSandboxReports(target, ids);
		reports = sandboxReports(target);
	} else {
		reports = await dmcReports(target, ids);
	}
	for (const run of runs) printRun(say, run, pkg, reports);

	say();
	if (target.kind === 'sandbox') {
		for (const { message } of target.logs.kept.filter((entry) => entry.level === 'warn')) say(`  sandbox WARN  ${message}`);
		const stats = target.sandbox.stats();
		say(
			`  sandbox: ${stats.calls} DMC call(s), ${stats.messages} message(s) stored, ` +
				`${stats.violations} rate-limit violation(s) (peak ${stats.peakCallsInWindow} calls/${stats.rateWindowMs} ms)`,
		);
	}
	const found = problems(runs, entries, pkg);
	const contacts = campaignContacts(runs, pkg);
	const skipped = runs.filter((run) => run.skipped).length;
	const verdict =
		found.length === 0
			? `OK: DMC accepted all ${ids.length} message(s)${contacts > 0 ? ` and ${contacts} campaign contact(s)` : ''} of ${runs.length - skipped} workflow(s)` +
				`${skipped > 0 ? ` (${skipped} skipped, see above)` : ''} (${seconds(Date.now() - started)})`
			: `FAILED: ${found.length} problem(s): ${found.join('; ')}`;

	if (ONCE || target.kind !== 'sandbox') {
		say(verdict);
		await cleanup(warn);
		process.exit(found.length === 0 ? OK : NOT_ACCEPTED);
	}

	say(verdict);
	say();
	say(`Inbox: ${target.sandbox.url}/`);
	say(
		`  point an n8n SFR DMC credential at ${target.sandbox.baseUrl} ` +
			`(service ${target.credentials.serviceId}, space ${target.credentials.spaceId}, password: see sandbox/README.md)`,
	);
	const push = target.sandbox.pushSetting();
	say(
		push.url === null
			? "  push CRA off: with DMC_SANDBOX_PUSH_URL=<an SFR DMC Push Trigger's URL> the sandbox pushes each report and reply to it, logged here live"
			: `  push CRA to ${push.url} (${push.format}): each report and reply is pushed and logged here live`,
	);
	say('  Ctrl-C to stop.');
	target.logs.live = true;
	serving = true;
}

main().catch(async (error) => {
	if (!(error instanceof SetupError)) warn(`npm start: unexpected error: ${error?.stack ?? error}`);
	say(`FAILED: the run could not be set up (${error?.message ?? error})`);
	await cleanup(warn);
	process.exit(SETUP_FAILED);
});
