// The campaign check of `npm run test:n8n`, in the `n8n start` the run already serves: a
// workflow reads 10,000 contacts from a CSV file with n8n's own nodes (Read/Write Files from
// Disk, Extract from File), creates one campaign of them (Campaign → Create, activated),
// waits until Campaign → Get says it has finished, then reads its reports (Campaign → Get
// Reports). Checked against the sandbox: one campaign, its 10,000 contacts imported once and
// each sent once, finished; 10,000 reports in n8n, each the sandbox's; no rate-limit
// violation and no SupervisionWS call within a minute of another (Get and Get Reports are two
// report reads of one execution: the node's gate spaces them); no password in the execution.
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seconds } from '../lib/output.mjs';
import { sleep } from '../lib/processes.mjs';
import { ACCOUNT, CREDENTIAL_TYPE, log, MINUTE, NODE_TYPE } from './context.mjs';

export const CONTACTS = 10_000;
/** A contact's last name that would shift columns if written as it is into DMC's `;` file. */
const TRICKY_NAME = 'Dupont;0611111111';
const TRICKY_NUMBER = '+33611111111';
const EXECUTION_TIMEOUT_MS = 5 * MINUTE;

/** The n-th contact's mobile number: +33 6 40 00 00 00 onwards, far from the sandbox's magic numbers. */
const numberOf = (n) => `+33640${String(n).padStart(6, '0')}`;

/** The contacts file the workflow reads: a header, then one line per contact, as a spreadsheet exports it. */
export async function writeContactsFile(dir) {
	await mkdir(dir, { recursive: true });
	const file = join(dir, 'campaign-contacts.csv');
	const quoted = (value) => (/[",;\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
	const lines = ['to,firstName,lastName,reference'];
	for (let n = 0; n < CONTACTS; n++) {
		const lastName = n === 0 ? TRICKY_NAME : `Resident ${n}`;
		lines.push([`0${numberOf(n).slice(3)}`, `Name${n}`, lastName, `R-${n}`].map(quoted).join(','));
	}
	await writeFile(file, `${lines.join('\r\n')}\r\n`);
	return file;
}

const node = (name, type, typeVersion, position, parameters, extra = {}) => ({
	id: randomUUID(),
	name,
	type,
	typeVersion,
	position: [position * 220, 0],
	parameters,
	...extra,
});

/** Webhook → read the file → extract the CSV → Create → Wait ⇄ Get (until finished) → Get Reports. */
function campaignWorkflow({ credential, path, file, name }) {
	const sfr = (nodeName, position, parameters) =>
		node(
			nodeName,
			NODE_TYPE,
			1,
			position,
			{ resource: 'campaign', ...parameters },
			{
				credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
			},
		);
	const nodes = [
		node(
			'Webhook',
			'n8n-nodes-base.webhook',
			2,
			0,
			{ httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
			{ webhookId: randomUUID() },
		),
		node('Read the contacts file', 'n8n-nodes-base.readWriteFile', 1.1, 1, { operation: 'read', fileSelector: file, options: {} }),
		node('Extract the contacts', 'n8n-nodes-base.extractFromFile', 1.1, 2, { operation: 'csv', options: {} }),
		sfr('Create the campaign', 3, {
			operation: 'create',
			campaignName: name,
			message: "Alerte canicule : {firstName}, buvez de l'eau et restez au frais. Mairie.",
			scenario: '43',
			callPlanning: '22',
			activate: true,
			to: '={{ $json.to }}',
			firstName: '={{ $json.firstName }}',
			lastName: '={{ $json.lastName }}',
			reference: '={{ $json.reference }}',
			options: {},
		}),
		node('Wait a little', 'n8n-nodes-base.wait', 1.1, 4, { amount: 5, unit: 'seconds' }, { webhookId: randomUUID() }),
		sfr('Get the campaign', 5, { operation: 'get', campaignId: '={{ $json.campaignId }}' }),
		node('Finished?', 'n8n-nodes-base.if', 2, 6, {
			conditions: {
				options: { caseSensitive: true, leftValue: '', typeValidation: 'strict' },
				conditions: [
					{ id: randomUUID(), leftValue: '={{ $json.status }}', rightValue: 'finished', operator: { type: 'string', operation: 'equals' } },
				],
				combinator: 'and',
			},
			options: {},
		}),
		sfr('Get the reports', 7, { operation: 'getReports', campaignId: '={{ $json.campaignId }}', output: 'reports', options: {} }),
	];
	const to = (target) => ({ main: [[{ node: target, type: 'main', index: 0 }]] });
	return {
		name: `SFR DMC campaign check ${path}`,
		nodes,
		connections: {
			Webhook: to('Read the contacts file'),
			'Read the contacts file': to('Extract the contacts'),
			'Extract the contacts': to('Create the campaign'),
			'Create the campaign': to('Wait a little'),
			'Wait a little': to('Get the campaign'),
			'Get the campaign': to('Finished?'),
			'Finished?': {
				main: [[{ node: 'Get the reports', type: 'main', index: 0 }], [{ node: 'Wait a little', type: 'main', index: 0 }]],
			},
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * Posts to the workflow's webhook until n8n serves it: n8n registers an activated workflow's
 * webhook a little after the activation call answers, and a 404 starts nothing. The first
 * answer that is not a 404 is the one execution of the check.
 */
async function startOnce(url) {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		const text = await response.text();
		if (response.status !== 404) return { status: response.status, text };
		if (Date.now() > deadline) throw new Error(`the webhook ${url} was still not registered 30 s after activation`);
		await sleep(250);
	}
}

/** The workflow's one execution once it has ended, with its run data (n8n's stored "flatted" text). */
async function endedExecution(rest, parse, workflowId) {
	for (const deadline = Date.now() + EXECUTION_TIMEOUT_MS; Date.now() < deadline; await sleep(1000)) {
		// While n8n works through the 10,000 items it may reset a kept-alive connection: ask again.
		const executions = await rest.executionsOf(workflowId).catch((error) => {
			if (error?.cause?.code === 'ECONNRESET') return [];
			throw error;
		});
		const ended = executions.filter((execution) => !['new', 'running', 'waiting'].includes(execution.status));
		if (ended.length === 0) continue;
		const stored = await rest.call('GET', `/executions/${ended[0].id}`);
		const text = typeof stored.data === 'string' ? stored.data : JSON.stringify(stored.data);
		return { executions, execution: stored, text, data: typeof stored.data === 'string' ? parse(stored.data) : stored.data };
	}
	throw new Error(`the campaign workflow did not end within ${EXECUTION_TIMEOUT_MS / MINUTE} minutes`);
}

/**
 * `server`: the running `n8n start` ({ url, rest }); `sandbox`: the DMC sandbox; `parse`:
 * n8n's execution data parser; `filesDir`: the folder n8n may read files from. Resolves the
 * list of failed checks.
 */
export async function runCampaignTest({ server, sandbox, parse, filesDir }) {
	const started = Date.now();
	const { rest } = server;
	const file = await writeContactsFile(filesDir);
	const credential = await rest.createCredential({
		name: 'SFR DMC campaign check',
		type: CREDENTIAL_TYPE,
		data: { ...ACCOUNT, baseUrl: sandbox.baseUrl },
	});
	const tag = randomUUID().slice(0, 8);
	const path = `sfr-dmc-campaign-${tag}`;
	const workflow = await rest.createActiveWorkflow(campaignWorkflow({ credential, path, file, name: `Heat-wave alert ${tag}` }));
	await sandbox.waitForSupervisionMinute();
	const before = await sandbox.get('/_sandbox/stats');
	log(`campaign: ${CONTACTS} contacts from a CSV file → Create → Get until finished → Get Reports …`);
	const answer = await startOnce(`${server.url}/webhook/${path}`);
	const { executions, execution, text, data } = await endedExecution(rest, parse, workflow.id);
	const stats = await sandbox.get('/_sandbox/stats');
	const campaigns = await sandbox.get('/_sandbox/campaigns');
	await rest.deleteWorkflow(workflow.id).catch((error) => log(`campaign: could not delete workflow ${workflow.id}: ${error.message}`));

	const failures = checkCampaignRun({ answer, executions, execution, text, data, before, stats, campaigns });
	log(`campaign: ${seconds(Date.now() - started)}`);
	return failures.map((failure) => `campaign: ${failure}`);
}

/** Main output 0 of every run of a node. */
const runsOf = (runData, name) => (runData[name] ?? []).map((run) => (run.data?.main?.[0] ?? []).map((item) => item.json));

const methodCount = (stats, method) =>
	Object.entries(stats.callsByMethod ?? {})
		.filter(([name]) => name.endsWith(`/${method}`))
		.reduce((sum, [, count]) => sum + count, 0);

export function checkCampaignRun({ answer, executions, execution, text, data, before, stats, campaigns }) {
	const failures = [];
	const fail = (message) => failures.push(message);
	if (answer.status !== 200) fail(`the webhook answered HTTP ${answer.status}: ${answer.text.slice(0, 200)}`);
	if (executions.length !== 1) fail(`the webhook started ${executions.length} executions, not 1`);
	if (execution.status !== 'success') fail(`the execution ended ${execution.status}: ${data?.resultData?.error?.message ?? ''}`);
	if (text.includes(ACCOUNT.servicePassword)) fail('the service password appears in the stored execution');
	const runData = data?.resultData?.runData ?? {};

	const created = runsOf(runData, 'Create the campaign');
	const campaign = created[0]?.[0] ?? {};
	if (created.length !== 1 || created[0].length !== 1)
		fail(`Create ran ${created.length} time(s), with ${created[0]?.length ?? 0} item(s)`);
	if (campaign.error) fail(`Create failed: ${campaign.error}`);
	if (campaign.contacts !== CONTACTS) fail(`Create reports ${campaign.contacts} contacts, not ${CONTACTS}`);
	if ((campaign.refused ?? []).length !== 0)
		fail(`Create refused ${campaign.refused.length} contact(s): ${JSON.stringify(campaign.refused.slice(0, 3))}`);
	if (['editing', 'unknown', undefined].includes(campaign.status))
		fail(`Create left the campaign ${JSON.stringify(campaign.status)}, not activated`);
	const id = String(campaign.campaignId ?? '');

	const gets = runsOf(runData, 'Get the campaign');
	const last = gets.at(-1)?.[0] ?? {};
	if (last.status !== 'finished') fail(`the last Get says ${JSON.stringify(last.status)}, not "finished"`);

	const reportRuns = runsOf(runData, 'Get the reports');
	const reports = reportRuns[0] ?? [];
	if (reportRuns.length !== 1) fail(`Get Reports ran ${reportRuns.length} time(s), not once`);
	if (reports.length !== CONTACTS) fail(`Get Reports output ${reports.length} reports, not ${CONTACTS}`);
	const reported = new Map(reports.map((report) => [report.to, report]));
	if (reported.size !== reports.length) fail(`Get Reports lists ${reports.length - reported.size} number(s) twice`);
	const notDelivered = reports.filter(
		(report) => report.status !== 'DONE' || report.delivered !== true || String(report.campaignId) !== id,
	);
	if (notDelivered.length > 0)
		fail(`${notDelivered.length} report(s) not DONE and delivered for campaign ${id}, e.g. ${JSON.stringify(notDelivered[0])}`);

	const mine = campaigns.filter((entry) => String(entry.id) === id);
	if (campaigns.length !== 1 || mine.length !== 1)
		fail(`the sandbox holds ${campaigns.length} campaign(s), ${mine.length} with id ${id}: one was expected`);
	const stored = mine[0] ?? { contacts: [] };
	if (stored.statusCode !== 'BR_FINISHED') fail(`the sandbox's campaign is ${stored.status} (${stored.statusCode}), not finished`);
	const numbers = new Set(stored.contacts.map((contact) => contact.to));
	if (stored.contacts.length !== CONTACTS || numbers.size !== CONTACTS)
		fail(`the sandbox imported ${stored.contacts.length} contacts (${numbers.size} numbers), not ${CONTACTS} once each`);
	for (let n = 0; n < CONTACTS; n++)
		if (!numbers.has(numberOf(n))) {
			fail(`the sandbox has no contact ${numberOf(n)}`);
			break;
		}
	const unsent = stored.contacts.filter((contact) => contact.callDate === null);
	if (unsent.length > 0) fail(`${unsent.length} contact(s) of the campaign were never sent`);
	if (numbers.has(TRICKY_NUMBER)) fail(`a contact's last name (${TRICKY_NAME}) became a number to contact`);
	const first = stored.contacts.find((contact) => contact.to === numberOf(0));
	if (first && !first.lastName?.startsWith('Dupont')) fail(`the first contact's last name arrived as ${JSON.stringify(first.lastName)}`);
	const mismatched = stored.contacts.filter(
		(contact) =>
			reported.get(contact.to)?.contactId !== undefined && String(reported.get(contact.to).contactId) !== String(contact.contactId),
	);
	if (mismatched.length > 0) fail(`${mismatched.length} report(s) carry another contactId than the sandbox's`);

	for (const method of ['createBroadcast', 'importContactBroadcast', 'activateBroadcast']) {
		const count = methodCount(stats, method) - methodCount(before, method);
		if (count !== 1) fail(`${method} was called ${count} time(s), not once`);
	}
	if (stats.messages !== 0) fail(`the sandbox stored ${stats.messages} unit message(s) beside the campaign`);
	if (stats.violations !== 0) fail(`the sandbox counted ${stats.violations} rate-limit violation(s)`);
	const supervision = stats.supervisionCalls - before.supervisionCalls;
	if (stats.supervisionViolations !== 0 || stats.refusedTooFrequent !== 0)
		fail(
			`${stats.supervisionViolations} SupervisionWS call(s) within a minute of another, ${stats.refusedTooFrequent} refused as too frequent`,
		);
	if (supervision !== gets.length + 1) fail(`${supervision} SupervisionWS calls for ${gets.length} Get(s) and one Get Reports`);
	if (failures.length === 0)
		log(
			`campaign: ${id} created once with ${CONTACTS} contacts, activated, finished after ${gets.length} Get(s); ` +
				`${reports.length} reports, each DONE; ${supervision} SupervisionWS calls a minute apart, 0 rate violations`,
		);
	return failures;
}
