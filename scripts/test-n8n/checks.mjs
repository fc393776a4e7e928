// What a run of the examples in the real n8n must show: ids that match what the sandbox
// received, E.164 recipients, no rate-limit violation, no password in n8n's output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../lib/paths.mjs';
import { describeExit } from '../lib/processes.mjs';
import { ACCOUNT, NODE_TYPE, redact } from './context.mjs';

const E164 = /^\+[1-9]\d{6,14}$/;

export function checkRun({ runData: printed, execute, workflow, sandboxMessages, stats }) {
	const failures = [];
	const fail = (message) => failures.push(message);

	if (execute.signal === 'SIGSEGV') {
		// Seen with n8n 2.41.1: after a failed execution, its default "vm" expression engine
		// (isolated-vm) often crashes the process while it exits, instead of exit code 1.
		fail('n8n execute crashed with SIGSEGV (n8n 2.41.1 often does, at exit, after a failed execution: look for other problems)');
	} else if (execute.code !== 0) {
		fail(`n8n execute: ${describeExit(execute)}`);
	}
	if (!printed) {
		fail('no run data in the output of n8n execute (no block from a line "{" to a line "}")');
		return { failures, sent: [] };
	}
	const resultData = printed.data?.resultData ?? {};
	if (printed.status !== 'success') fail(`execution status is ${JSON.stringify(printed.status)}, not "success"`);
	if (resultData.error) fail(`the execution failed: ${redact(resultData.error.message ?? JSON.stringify(resultData.error))}`);
	const runData = resultData.runData ?? {};

	const sfrNodes = workflow.nodes.filter((node) => node.type === NODE_TYPE);
	if (sfrNodes.length === 0) fail(`the workflow has no ${NODE_TYPE} node`);
	const sent = [];
	for (const node of sfrNodes) {
		const runs = runData[node.name];
		if (!Array.isArray(runs) || runs.length === 0) {
			fail(`"${node.name}" (${NODE_TYPE}) did not run`);
			continue;
		}
		for (const [runIndex, nodeRun] of runs.entries()) {
			const label = runs.length > 1 ? `"${node.name}" run ${runIndex}` : `"${node.name}"`;
			if (nodeRun.error) fail(`${label} failed: ${redact(nodeRun.error.message)}`);
			if (nodeRun.executionStatus && nodeRun.executionStatus !== 'success') fail(`${label} status is ${nodeRun.executionStatus}`);
			const items = nodeRun.data?.main?.[0] ?? [];
			if (items.length === 0 && !nodeRun.error) fail(`${label} output no item`);
			for (const [itemIndex, item] of items.entries()) {
				const json = item.json ?? {};
				const where = `${label} item ${itemIndex}`;
				if (json.error) fail(`${where} carries an error: ${redact(json.error)}`);
				if (!Array.isArray(json.messageIds) || json.messageIds.length === 0) {
					fail(`${where} has no messageIds`);
					continue;
				}
				// Excluded recipients (Exclude Numbers) have no message: ids pair with the others.
				const recipients = Array.isArray(json.recipients) ? json.recipients.filter((recipient) => !recipient?.excluded) : [];
				for (const excluded of (json.recipients ?? []).filter((recipient) => recipient?.excluded)) {
					if (sandboxMessages.some((message) => message.to === excluded.to)) fail(`${where}: excluded ${excluded.to} was sent to`);
				}
				if (recipients.length !== json.messageIds.length) {
					fail(`${where}: ${json.messageIds.length} messageIds but ${recipients.length} recipients`);
				}
				json.messageIds.forEach((id, n) => {
					const recipient = recipients[n] ?? {};
					if (!E164.test(recipient.to ?? '')) fail(`${where}: recipient ${JSON.stringify(recipient.to)} is not E.164`);
					if (recipient.messageId !== undefined && String(recipient.messageId) !== String(id)) {
						fail(`${where}: recipients[${n}].messageId ${recipient.messageId} ≠ messageIds[${n}] ${id}`);
					}
					sent.push({
						node: node.name,
						item: itemIndex,
						id: String(id),
						to: recipient.to,
						input: recipient.input,
						voice: node.parameters?.operation === 'sendVoice',
					});
				});
			}
		}
	}

	// n8n's ids and the sandbox's messages must be the same set.
	const received = new Map(sandboxMessages.map((message) => [String(message.id), message]));
	const reported = new Map();
	for (const entry of sent) {
		if (reported.has(entry.id)) fail(`message id ${entry.id} is reported twice`);
		reported.set(entry.id, entry);
		const message = received.get(entry.id);
		if (!message) {
			fail(`message id ${entry.id} (${entry.to}) is reported by n8n but the sandbox never received it`);
			continue;
		}
		entry.message = message;
		if (message.to !== entry.to) fail(`message ${entry.id}: n8n says ${entry.to}, the sandbox received "${message.to}"`);
		if (entry.voice && (message.media !== 'Vocal' || !message.ttsVoice))
			fail(`message ${entry.id}: a voice message arrived as ${message.media}`);
		if (message.status === 'FAILED')
			fail(`message ${entry.id} to ${message.to} failed in the sandbox: ${message.resultCode} (${message.rule})`);
		if (/\{\{|\[object /.test(message.text)) fail(`message ${entry.id} has an unresolved text: ${JSON.stringify(message.text)}`);
	}
	for (const [id, message] of received) {
		if (!reported.has(id)) fail(`the sandbox received message ${id} to ${message.to} that n8n does not report`);
	}
	if (stats.violations !== 0)
		fail(`the sandbox counted ${stats.violations} rate-limit violation(s) (peak ${stats.peakCallsInWindow} calls in a window)`);
	if (stats.authFailures) fail(`the sandbox refused ${stats.authFailures} call(s) for authentication`);

	return { failures, sent };
}

/**
 * The editor example (send → Wait → Get Status → If → alert or done), run with a short Wait:
 * Get Status must report what the sandbox decided, and the If must route the blacklisted
 * number, and only it, to the agent's alert.
 */
export const STATUS_WORKFLOW_FILE = join(ROOT, 'examples', 'n8n-editor', 'send-wait-check-branch.json');
const STATUS_WAIT_SECONDS = 3;

export function statusWorkflow() {
	const workflow = JSON.parse(readFileSync(STATUS_WORKFLOW_FILE, 'utf8'));
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-base.wait') node.parameters = { amount: STATUS_WAIT_SECONDS, unit: 'seconds' };
	}
	return workflow;
}

export function checkStatusRun({ runData: printed, execute, sandboxMessages, stats }) {
	const failures = [];
	const fail = (message) => failures.push(message);
	if (execute.code !== 0) fail(`n8n execute (status workflow): ${describeExit(execute)}`);
	if (!printed) return { failures: ['no run data in the output of n8n execute for the status workflow'], reports: [] };
	if (printed.status !== 'success') fail(`status workflow: execution status is ${JSON.stringify(printed.status)}`);
	const runData = printed.data?.resultData?.runData ?? {};
	const itemsOf = (name) => runData[name]?.[0]?.data?.main?.[0]?.map((item) => item.json) ?? [];
	const reports = itemsOf('Check the delivery status');
	const byTo = Object.fromEntries(reports.map((report) => [report.to, report]));
	const expected = { '+33612345679': ['DONE', 'CRA_SMS_RECEIVED'], '+33699999901': ['FAILED', 'CRA_SMS_BLACKLIST'] };
	for (const [to, [status, resultCode]] of Object.entries(expected)) {
		const report = byTo[to];
		if (!report) fail(`Get Status reported nothing for ${to} (got ${JSON.stringify(reports)})`);
		else if (report.status !== status || report.resultCode !== resultCode) {
			fail(`Get Status: ${to} is ${report.status} ${report.resultCode}, expected ${status} ${resultCode}`);
		}
	}
	const alerts = itemsOf('Alert the agent');
	const delivered = itemsOf('Delivered');
	if (alerts.length !== 1) fail(`the If should send 1 alert, sent ${alerts.length}`);
	if (delivered.length !== 1) fail(`the If should pass 1 delivered message on, passed ${delivered.length}`);
	const alert = sandboxMessages.find((message) => message.to === '+33781234567');
	if (!alert) fail('the sandbox never received the alert to the agent (+33781234567)');
	else if (!alert.text.includes('+33699999901') || !alert.text.includes('CRA_SMS_BLACKLIST')) {
		fail(`the alert does not name the failed number and its code: ${JSON.stringify(alert.text)}`);
	}
	if (stats.violations !== 0) fail(`status workflow: the sandbox counted ${stats.violations} rate-limit violation(s)`);
	return { failures, reports, alert };
}

/** Every n8n command whose output shows the service password. */
export function passwordLeaks(outputs) {
	return outputs
		.filter((out) => `${out.stdout}${out.stderr}`.includes(ACCOUNT.servicePassword))
		.map((out) => `the service password appears in the output of n8n ${out.args[0]}`);
}
