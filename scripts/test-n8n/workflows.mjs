// The workflow runs of `test:n8n`: the example workflow, then the editor example (send, Wait,
// Get Status, If), each imported and executed by n8n's command line, each checked against
// what the sandbox received.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { seconds, tail } from '../lib/output.mjs';
import { ROOT } from '../lib/paths.mjs';
import { describeExit, SetupError, sleep } from '../lib/processes.mjs';
import { checkRun, checkStatusRun, statusWorkflow } from './checks.mjs';
import { ACCOUNT, CREDENTIAL_TYPE, log } from './context.mjs';
import { n8nMustRun, parseRunData, withoutRunData } from './n8n.mjs';

const WORKFLOW_FILE = resolve(process.env.TEST_N8N_WORKFLOW || join(ROOT, 'examples', 'citizen-request-sms.json'));

/** The example workflow, and the one credential it uses. */
export function exampleWorkflow() {
	const workflow = JSON.parse(readFileSync(WORKFLOW_FILE, 'utf8'));
	const refs = workflow.nodes.map((node) => node.credentials?.[CREDENTIAL_TYPE]).filter(Boolean);
	const ids = [...new Set(refs.map((ref) => ref.id))];
	const name = relative(ROOT, WORKFLOW_FILE);
	if (ids.length !== 1) throw new SetupError(`${name} should use one ${CREDENTIAL_TYPE} credential, found ${ids.length}`);
	if (!workflow.id) throw new SetupError(`${name} has no id`);
	return { workflow, credential: { id: ids[0], name: refs[0].name ?? 'SFR DMC (local sandbox)' } };
}

/** Imports the credential, pointing at the sandbox, from a file only we can read. */
export async function importCredential(n8n, workDir, credential, sandbox) {
	const file = join(workDir, 'credentials.json');
	const data = { ...ACCOUNT, baseUrl: sandbox.baseUrl };
	await writeFile(file, JSON.stringify([{ ...credential, type: CREDENTIAL_TYPE, data }], null, 2), { mode: 0o600 });
	await n8nMustRun(n8n, ['import:credentials', `--input=${file}`]);
}

/** Imports and runs a workflow; with `sandbox`, first waits out DMC's minute since the last report read (see sandbox.mjs). */
export async function importAndExecute(n8n, file, id, sandbox) {
	await n8nMustRun(n8n, ['import:workflow', `--input=${file}`]);
	if (sandbox) await sandbox.waitForSupervisionMinute();
	const execute = await n8n.run(['execute', `--id=${id}`, '--rawOutput']);
	log(`n8n execute --id=${id} --rawOutput: ${describeExit(execute)} (${seconds(execute.ms)})`);
	let runData;
	try {
		runData = parseRunData(execute.stdout);
	} catch (error) {
		log(`cannot parse the run data of workflow ${id}: ${error.message}`);
	}
	return { execute, runData };
}

function logSent(sent, sandboxMessages, stats) {
	for (const node of [...new Set(sent.map((entry) => entry.node))]) {
		const entries = sent.filter((entry) => entry.node === node);
		log(`"${node}": ${entries.length} SMS`);
		for (const entry of entries) {
			const status = entry.message ? ` ${entry.message.status}` : '';
			log(`  #${entry.id} → ${entry.to} (from ${JSON.stringify(entry.input)})${status}`);
		}
		const texts = [...new Set(entries.map((entry) => entry.message?.text).filter(Boolean))];
		for (const text of texts) log(`  text: ${JSON.stringify(text)}`);
	}
	log(
		`sandbox: ${sandboxMessages.length} message(s) in ${stats.calls} call(s) ${JSON.stringify(stats.callsByMethod)}, ` +
			`${stats.violations} rate violation(s), peak ${stats.peakCallsInWindow} call(s)/window`,
	);
}

/** Runs the example workflow, then the status workflow; resolves { failures, sent }. */
export async function runWorkflowChecks({ n8n, sandbox, workDir, workflow }) {
	const example = await importAndExecute(n8n, WORKFLOW_FILE, workflow.id, sandbox);
	// Let the sandbox's short delivery delay pass, so statuses are final.
	await sleep(500);
	const sandboxMessages = await sandbox.get('/_sandbox/messages');
	const stats = await sandbox.get('/_sandbox/stats');
	const { failures, sent } = checkRun({ ...example, workflow, sandboxMessages, stats });
	logSent(sent, sandboxMessages, stats);

	const statusFile = join(workDir, 'send-wait-check-branch.json');
	const status = statusWorkflow();
	await writeFile(statusFile, JSON.stringify(status));
	await sandbox.post('/_sandbox/reset');
	const statusRun = await importAndExecute(n8n, statusFile, status.id, sandbox);
	const statusCheck = checkStatusRun({
		...statusRun,
		sandboxMessages: await sandbox.get('/_sandbox/messages'),
		stats: await sandbox.get('/_sandbox/stats'),
	});
	failures.push(...statusCheck.failures);
	for (const report of statusCheck.reports) log(`  Get Status: ${report.to} ${report.status} ${report.resultCode}`);
	if (statusCheck.alert) log(`  If → alert: ${JSON.stringify(statusCheck.alert.text)}`);

	failures.push(...(await runVoiceAlertChecks({ n8n, sandbox })));

	if (failures.length > 0) {
		log('n8n execute output, without the run data (end):');
		log(tail(withoutRunData(`${example.execute.stdout}\n${example.execute.stderr}`), 30).replace(/^/gm, '  | '));
	}
	return { failures, sent };
}

const VOICE_FILE = join(ROOT, 'examples', 'heat-wave-voice-alert.json');
const EXCLUDED = '+33612345622';

/**
 * The heat-wave example: a voice call to landlines (Vocal, a voice, E.164), the same opt-out
 * number excluded though written another way in each list, and the STOP mention on the SMS.
 */
async function runVoiceAlertChecks({ n8n, sandbox }) {
	const workflow = JSON.parse(readFileSync(VOICE_FILE, 'utf8'));
	await sandbox.post('/_sandbox/reset');
	const run = await importAndExecute(n8n, VOICE_FILE, workflow.id, sandbox);
	const sandboxMessages = await sandbox.get('/_sandbox/messages');
	const { failures, sent } = checkRun({ ...run, workflow, sandboxMessages, stats: await sandbox.get('/_sandbox/stats') });
	const calls = sandboxMessages.filter((message) => message.media === 'Vocal');
	if (!calls.some((message) => message.to === '+33123456789' && message.ttsVoice === 'claire08s')) {
		failures.push('heat-wave example: no voice call with the claire08s voice reached the landline +33123456789');
	}
	if (sandboxMessages.some((message) => message.to === EXCLUDED))
		failures.push(`heat-wave example: the excluded ${EXCLUDED} was contacted`);
	const items = Object.values(run.runData?.data?.resultData?.runData ?? {}).flatMap((runs) => runs[0]?.data?.main?.[0] ?? []);
	const excluded = items.flatMap((item) => item.json?.recipients ?? []).filter((recipient) => recipient.excluded === true);
	if (excluded.length !== 2 || excluded.some((recipient) => recipient.to !== EXCLUDED)) {
		failures.push(`heat-wave example: expected ${EXCLUDED} reported excluded once per list, got ${JSON.stringify(excluded)}`);
	}
	const sms = sandboxMessages.filter((message) => message.media !== 'Vocal');
	if (sms.length === 0 || sms.some((message) => !message.text.endsWith('\nSTOP au <#shortcode#>'))) {
		failures.push('heat-wave example: the SMS does not end with the STOP mention on its own line');
	}
	log(
		`heat-wave example: ${calls.length} voice call(s), ${sms.length} SMS with the STOP mention, ${excluded.length} recipient(s) excluded; ${sent.length} id(s) match the sandbox`,
	);
	return failures;
}
