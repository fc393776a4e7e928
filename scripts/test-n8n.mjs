#!/usr/bin/env node
// `npm run test:n8n`: the packed package inside a real n8n, end to end.
//
//  1. build and `npm pack` the package into a temporary folder;
//  2. make sure a real n8n (2.41.1) on Node 24 is installed in a cache outside the repo
//     (N8N_CACHE_DIR, default ~/.cache/n8n-nodes-sfr-dmc/n8n-<version>); the first install
//     takes 5–10 minutes and ~3 GB, later runs reuse it (a marker file is written only after a
//     complete install, so an interrupted one is redone);
//  3. install the tarball as a community package in a fresh N8N_USER_FOLDER;
//  4. start the DMC sandbox (sandbox/cli.js) on a free port;
//  5. import a credential pointing at the sandbox and examples/citizen-request-sms.json, run
//     it with `n8n execute`, and check the run data against what the sandbox received; the
//     same for the editor example (send, Wait, Get Status, If);
//     then exactly-once checks against sandbox faults (scripts/test-n8n/doubt.mjs);
//  6. start the editor (`n8n start`) and drive it in Chromium (scripts/test-n8n/editor.mjs):
//     node search, credential test, Sender list, Send; screenshots in .tmp/editor/; then the
//     README's pictures of the three worked workflows, into docs/images/ (usage.mjs);
//  7. activate the Push Trigger there and have the sandbox push to it (scripts/test-n8n/push.mjs);
//     then its answers and charsets (pushWire.mjs), and its event filters, Allowed Source IPs
//     behind N8N_PROXY_HOPS=1, Max Body Size and test URL (pushOptions.mjs);
//  8. hit a webhook workflow that sends one SMS with 100 concurrent calls there: they share
//     DMC calls, each answer carries its own ids (scripts/test-n8n/burst.mjs);
//  9. run a campaign of 10,000 contacts read from a CSV file there: Create, Get until it has
//     finished, Get Reports, checked against the sandbox (scripts/test-n8n/campaign.mjs).
//
// How to run n8n offline: docs/real-n8n.md. Exit code 0 on success, 1 when a check fails,
// 2 when the environment could not be set up. TEST_N8N_KEEP_TMP=1 keeps the temporary folder
// (it holds the credential file) for debugging; TEST_N8N_WORKFLOW=<file> runs another
// workflow (same rules: Manual Trigger first, one sfrDmcApi credential); TEST_N8N_EDITOR=0
// skips the browser test; CHROMIUM_PATH names another Chromium than /usr/bin/chromium.
import { chmod, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { duration } from './lib/output.mjs';
import { cleanup, exitOnSignals, onCleanup, processAlive, SetupError, wasInterrupted } from './lib/processes.mjs';
import { passwordLeaks } from './test-n8n/checks.mjs';
import { runBurstTest } from './test-n8n/burst.mjs';
import { CONTACTS, runCampaignTest } from './test-n8n/campaign.mjs';
import { runDoubtChecks } from './test-n8n/doubt.mjs';
import { log, N8N_VERSION, NODE_TYPE, redact } from './test-n8n/context.mjs';
import { runEditorTest, SCREENSHOT_DIR, startEditorServer } from './test-n8n/editor.mjs';
import { buildAndPack, ensureN8n, installPackage } from './test-n8n/install.mjs';
import { executionDataParser, n8nRunner } from './test-n8n/n8n.mjs';
import { runPushTest } from './test-n8n/push.mjs';
import { startSandbox } from './test-n8n/sandbox.mjs';
import { runUsagePictures } from './test-n8n/usage.mjs';
import { exampleWorkflow, importCredential, runWorkflowChecks } from './test-n8n/workflows.mjs';

const started = Date.now();
const WORK_DIR_PREFIX = 'n8n-sfr-dmc-test-';
const EDITOR_TEST = process.env.TEST_N8N_EDITOR !== '0';

exitOnSignals({ report: log });

/** Removes the temporary folders of runs that were killed without cleaning up (SIGKILL). */
async function removeStaleWorkDirs() {
	for (const entry of await readdir(tmpdir())) {
		const pid = Number(new RegExp(`^${WORK_DIR_PREFIX}(\\d+)-`).exec(entry)?.[1]);
		if (!pid || processAlive(pid)) continue;
		await rm(join(tmpdir(), entry), { recursive: true, force: true }).catch(() => undefined);
	}
}

async function main() {
	const { workflow, credential } = exampleWorkflow();
	await removeStaleWorkDirs();
	const workDir = await mkdtemp(join(tmpdir(), `${WORK_DIR_PREFIX}${process.pid}-`));
	onCleanup(async () => {
		if (process.env.TEST_N8N_KEEP_TMP === '1') log(`kept ${workDir} (TEST_N8N_KEEP_TMP=1)`);
		else await rm(workDir, { recursive: true, force: true });
	});
	await chmod(workDir, 0o700);

	const tarball = await buildAndPack(workDir);
	const layout = await ensureN8n();
	const userFolder = join(workDir, 'user');
	await mkdir(userFolder);
	await installPackage(layout, userFolder, tarball);
	const sandbox = await startSandbox();
	const n8nTemp = join(workDir, 'tmp');
	await mkdir(n8nTemp);
	const n8n = n8nRunner(layout, userFolder, n8nTemp);

	await importCredential(n8n, workDir, credential, sandbox);
	const { failures, sent } = await runWorkflowChecks({ n8n, sandbox, workDir, workflow });
	failures.push(...(await runDoubtChecks({ n8n, sandbox, workDir, credential })));
	const filesDir = join(workDir, 'files');
	const server = await startEditorServer(n8n, { filesDir });
	if (EDITOR_TEST) {
		await sandbox.post('/_sandbox/reset');
		failures.push(...(await runEditorTest({ server, sandbox })));
		failures.push(...(await runUsagePictures({ server })));
		log(`editor: screenshots in ${SCREENSHOT_DIR}`);
	}
	await sandbox.post('/_sandbox/reset');
	failures.push(...(await runPushTest({ server, sandbox, parse: executionDataParser(layout) })));
	await sandbox.post('/_sandbox/reset');
	failures.push(...(await runBurstTest({ server, sandbox })));
	await sandbox.post('/_sandbox/reset');
	failures.push(...(await runCampaignTest({ server, sandbox, parse: executionDataParser(layout), filesDir })));
	failures.push(...passwordLeaks(n8n.outputs));
	const supervisionViolations = await sandbox.supervisionViolations();
	if (supervisionViolations !== 0)
		failures.push(
			`the sandbox counted ${supervisionViolations} SupervisionWS call(s) within a minute of the previous one (DMC's once-a-minute rule)`,
		);

	if (failures.length > 0) {
		log(`FAILED (${failures.length} problem(s)):`);
		for (const failure of failures) log(`  ✗ ${failure}`);
		return 1;
	}
	log(
		`OK: n8n ${N8N_VERSION} ran ${NODE_TYPE} from the packed tarball; ${sent.length} message id(s) match the sandbox exactly, ` +
			`recipients are E.164, Get Status and the If branch saw the blacklisted number fail, 0 rate violations, 0 SupervisionWS calls within a minute, ` +
			'lost answers recovered or left in doubt and never resent, Retry on Fail and re-runs sent nothing twice, Cancel stopped a pending message, ' +
			(EDITOR_TEST
				? 'the editor found the node, tested the credential, listed the senders, sent an SMS and showed the worked workflows, '
				: '') +
			'the Push Trigger started one execution per pushed event (JSON and XML), none for a repeated or foreign push, ' +
			'and honoured its event filters, Allowed Source IPs behind a proxy, Max Body Size and test URL, ' +
			'a burst of 100 webhook executions shared DMC calls and each got its own ids, ' +
			`a campaign of ${CONTACTS} contacts read from a CSV file was created once, imported, activated, finished and its reports read, ` +
			`password absent from n8n's output (${duration(Date.now() - started)} in all)`,
	);
	return 0;
}

let exitCode;
try {
	exitCode = await main();
} catch (error) {
	if (wasInterrupted()) await new Promise(() => {}); // the signal handler cleans up and exits
	log(`${error instanceof SetupError ? 'SETUP FAILED' : 'ERROR'}: ${redact(error instanceof SetupError ? error.message : error.stack)}`);
	exitCode = error instanceof SetupError ? 2 : 1;
}
await cleanup(log);
process.exit(exitCode);
