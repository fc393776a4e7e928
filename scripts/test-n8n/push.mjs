// The SFR DMC Push Trigger in a running `n8n start`: activated as a user would, with the
// sandbox pushing to its production webhook URL as DMC does. Checks that each pushed event
// starts exactly one execution (JSON and XML), that a push seen before starts nothing, and
// that a push for another DMC service is refused and starts nothing; pushWire.mjs checks
// each documented answer on the wire and the charsets, pushOptions.mjs the trigger's settings
// and its test URL.
import { randomUUID } from 'node:crypto';
import { dmcClient } from '../lib/dmc.mjs';
import { sleep } from '../lib/processes.mjs';
import { ACCOUNT, CREDENTIAL_TYPE, log } from './context.mjs';
import { jsonPushOf, post, pushEntry, pushWorkflow, settle, untilListening } from './pushFlow.mjs';
import { runPushOptionChecks } from './pushOptions.mjs';
import { runPushWireChecks } from './pushWire.mjs';

/** A push as DMC words it in JSON, for one status of one message. */
const jsonPush = ({ username = ACCOUNT.serviceId, callId, status, date }) =>
	jsonPushOf([pushEntry(callId, date, { status, info: null })], username);
const postPush = (url, body) => post(url, 'application/json', body);

/** Resolves the list of failed checks; `parse` reads n8n's stored execution data. */
export async function runPushTest({ server, sandbox, parse }) {
	const failures = [];
	const { rest } = server;
	const credential = await rest.createCredential({
		name: 'SFR DMC push test',
		type: CREDENTIAL_TYPE,
		data: { ...ACCOUNT, baseUrl: sandbox.baseUrl },
	});
	const webhookId = randomUUID();
	const workflow = await rest.createActiveWorkflow(pushWorkflow(credential, webhookId));
	const url = `${server.url}/webhook/${webhookId}/push`;
	const executions = async () => (await rest.executionsOf(workflow.id)).length;

	const probe = await untilListening(url);
	if (probe.status !== 400 && probe.status !== 403)
		return [`push: JSON that is no push got HTTP ${probe.status} (${probe.text.slice(0, 200)})`];
	log(`push: the trigger listens on /webhook/${webhookId}/push`);

	const client = dmcClient({ ...ACCOUNT, baseUrl: sandbox.baseUrl });
	for (const format of ['json', 'xml']) {
		await sandbox.post('/_sandbox/push', { url, format });
		const before = await executions();
		const pushesBefore = (await sandbox.get('/_sandbox/stats')).pushes?.sent ?? 0;
		const [id] = await client.batchSingleCall([
			{ media: 'SMS', textMsg: `Push test (${format})`, to: '+33612345678', refExt: `push-${format}` },
		]);
		await sleep(1000);
		await sandbox.post('/_sandbox/replies', { messageId: Number(id), text: 'OUI' });
		// SENT, RECEIVED, then the reply: three events, each pushed once.
		const pushed = await settle(async () => ((await sandbox.get('/_sandbox/stats')).pushes?.sent ?? 0) - pushesBefore, 3);
		const started = (await settle(executions, before + pushed)) - before;
		if (pushed !== 3) failures.push(`push (${format}): the sandbox pushed ${pushed} events for one SMS and its reply, not 3`);
		if (started !== pushed) failures.push(`push (${format}): ${pushed} pushed events started ${started} executions`);
		else log(`push (${format}): ${pushed} events pushed, ${started} executions`);
	}
	await sandbox.post('/_sandbox/push', { url: null });

	const duplicate = jsonPush({ callId: '990001', status: 'RECEIVED', date: '2026-12-02 10:00:00' });
	const beforeDuplicate = await executions();
	const first = await postPush(url, duplicate);
	await settle(executions, beforeDuplicate + 1);
	const second = await postPush(url, duplicate);
	await sleep(1500);
	const afterDuplicate = await executions();
	if (first.status !== 200 || second.status !== 200)
		failures.push(`push: the duplicate pair got HTTP ${first.status} and ${second.status}`);
	if (afterDuplicate - beforeDuplicate !== 1)
		failures.push(`push: a push sent twice started ${afterDuplicate - beforeDuplicate} executions, not 1`);
	else log(`push: a push sent twice started one execution (second answer: ${second.text})`);

	const foreign = await postPush(
		url,
		jsonPush({ username: 'another-service', callId: '990002', status: 'RECEIVED', date: '2026-12-02 10:01:00' }),
	);
	await sleep(1500);
	const afterForeign = await executions();
	if (foreign.status !== 403) failures.push(`push: a push for another service got HTTP ${foreign.status}, not 403`);
	if (afterForeign !== afterDuplicate)
		failures.push(`push: a push for another service started ${afterForeign - afterDuplicate} execution(s)`);
	else log(`push: a push for another service was refused (HTTP ${foreign.status}) and started nothing`);

	const executionText = async () => {
		const [newest] = await rest.executionsOf(workflow.id);
		return JSON.stringify(await rest.call('GET', `/executions/${newest.id}`));
	};
	failures.push(...(await runPushWireChecks({ url, executions, settle, executionText, sleep, log })));
	failures.push(...(await runPushOptionChecks({ server, credential, parse })));
	return failures;
}
