// Exactly once in a real n8n (`n8n execute`), against sandbox faults: an answer lost after
// DMC stored the messages is recovered by reference; an answer lost before they were stored
// leaves them in doubt and unsent, and re-runs with "Skip If Already Sent" then store each
// message once; n8n's own Retry on Fail re-runs the node without sending twice; Cancel stops
// a message still pending.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CREDENTIAL_TYPE, log, NODE_TYPE } from './context.mjs';
import { importAndExecute } from './workflows.mjs';

const NUMBERS = ['06 12 34 57 01', '06 12 34 57 02', '06 12 34 57 03'];
const SWITCHED_OFF = '06 99 99 99 06';
const e164 = (written) => `+33${written.replace(/\s/g, '').slice(1)}`;
/** The sandbox answers no call within Request Timeout; the look-ups then get 5 s. */
const DOUBT_OPTIONS = { requestTimeout: 3, doubtLookupTime: 5, skipAlreadySent: true };

function node(name, type, typeVersion, position, parameters, extra = {}) {
	return { id: `${name}-${position[0]}`.replace(/\W/g, '-'), name, type, typeVersion, position, parameters, ...extra };
}

function workflow(id, nodes) {
	const chain = [node('Start', 'n8n-nodes-base.manualTrigger', 1, [0, 0], {}), ...nodes];
	const connections = Object.fromEntries(
		chain.slice(0, -1).map((from, n) => [from.name, { main: [[{ node: chain[n + 1].name, type: 'main', index: 0 }]] }]),
	);
	return { id, name: id, nodes: chain, connections, active: false, settings: { executionOrder: 'v1' }, pinData: {} };
}

function dmcNode(name, x, credential, parameters, extra = {}) {
	return node(name, NODE_TYPE, 1, [x, 0], parameters, { credentials: { [CREDENTIAL_TYPE]: credential }, ...extra });
}

function sendNode(credential, reference, to = NUMBERS.join(', ')) {
	return dmcNode('Send', 220, credential, { to, message: `Exactly once (${reference})`, options: { ...DOUBT_OPTIONS, reference } });
}

/** The Send node's output items (first run), or [] when the run data is missing. */
function sendItems(run, name = 'Send') {
	const runs = run.runData?.data?.resultData?.runData?.[name] ?? [];
	return runs.at(-1)?.data?.main?.[0]?.map((item) => item.json) ?? [];
}

async function storedTo(sandbox, numbers) {
	const wanted = new Set(numbers.map(e164));
	return (await sandbox.get('/_sandbox/messages')).filter((message) => wanted.has(message.to));
}

/** One message per number, each under the id the run reported for it. */
function sameIds(items, stored) {
	const reported = items.flatMap((item) => item.recipients ?? []).filter((recipient) => recipient.messageId);
	const byTo = new Map(stored.map((message) => [message.to, String(message.id)]));
	return reported.length === stored.length && reported.every((recipient) => byTo.get(recipient.to) === String(recipient.messageId));
}

/** Resolves the list of failed checks. */
export async function runDoubtChecks({ n8n, sandbox, workDir, credential }) {
	const failures = [];
	const fail = (message) => failures.push(`doubt: ${message}`);
	const run = async (flow) => {
		const file = join(workDir, `${flow.id}.json`);
		await writeFile(file, JSON.stringify(flow));
		return importAndExecute(n8n, file, flow.id, sandbox);
	};

	// 1. The answer is lost after DMC stored the messages: found again, reported as sent.
	await sandbox.post('/_sandbox/reset');
	await sandbox.post('/_sandbox/faults', { kind: 'noAnswer', afterStore: true, method: 'batchSingleCall' });
	const recovered = await run(workflow('sfrDmcDoubtStored', [sendNode(credential, 'REQ-N8N-1')]));
	let stored = await storedTo(sandbox, NUMBERS);
	const [item] = sendItems(recovered);
	if (recovered.execute.code !== 0) fail(`a lost answer after storing failed the execution (${recovered.execute.code})`);
	else if (!item?.recovered || stored.length !== 3 || !sameIds([item], stored)) {
		fail(
			`a lost answer after storing: expected 3 recovered ids matching the sandbox, got ${JSON.stringify(item)} for ${stored.length} stored`,
		);
	} else log('doubt: an answer lost after DMC stored 3 SMS: all 3 recovered by reference, with the ids DMC has');

	// 2. The answer is lost and nothing was stored: in doubt, not resent; re-runs store once.
	await sandbox.post('/_sandbox/reset');
	await sandbox.post('/_sandbox/faults', { kind: 'noAnswer', method: 'batchSingleCall' });
	const inDoubt = await run(workflow('sfrDmcDoubtLost', [sendNode(credential, 'REQ-N8N-2')]));
	const said = `${inDoubt.execute.stdout}\n${inDoubt.execute.stderr}`;
	if (inDoubt.execute.code === 0) fail('an answer lost before storing did not fail the execution');
	if (!/in doubt/i.test(said) || /\b0 message\(s\) already accepted/.test(said))
		fail('the stop error does not say the messages are in doubt (or says 0 accepted)');
	if ((await storedTo(sandbox, NUMBERS)).length !== 0) fail('messages in doubt were sent again');
	const rerun = await run(workflow('sfrDmcDoubtLost', [sendNode(credential, 'REQ-N8N-2')]));
	const again = await run(workflow('sfrDmcDoubtLost', [sendNode(credential, 'REQ-N8N-2')]));
	stored = await storedTo(sandbox, NUMBERS);
	const skipped = sendItems(again).flatMap((entry) => entry.recipients ?? []);
	if (rerun.execute.code !== 0 || stored.length !== 3 || !sameIds(sendItems(rerun), stored))
		fail(`the re-run stored ${stored.length} of 3 messages`);
	else if (skipped.length !== 3 || !skipped.every((recipient) => recipient.alreadySent === true))
		fail(`a third run did not skip the 3 sent recipients: ${JSON.stringify(skipped)}`);
	else log('doubt: an answer lost before storing: stopped "in doubt", nothing resent; the re-run stored 3, a third run skipped all 3');

	// 3. n8n's Retry on Fail: the second call is refused, the node runs again and sends only it.
	await sandbox.post('/_sandbox/reset');
	const numbers = Array.from({ length: 21 }, (_, n) => `06 12 34 58 ${String(n).padStart(2, '0')}`);
	await sandbox.post('/_sandbox/faults', { kind: 'successFalse', to: e164(numbers[20]) });
	const items = node('One item per number', 'n8n-nodes-base.splitOut', 1, [110, 0], { fieldToSplitOut: 'numbers', options: {} });
	const list = node('Numbers', 'n8n-nodes-base.set', 3.4, [55, 0], { mode: 'raw', jsonOutput: JSON.stringify({ numbers }), options: {} });
	const retried = dmcNode(
		'Send',
		220,
		credential,
		{ to: '={{ $json.numbers }}', message: 'Retry on Fail test', options: { skipAlreadySent: true } },
		{ retryOnFail: true, maxTries: 2, waitBetweenTries: 1000 },
	);
	const retry = await run(workflow('sfrDmcRetryOnFail', [list, items, retried]));
	stored = await storedTo(sandbox, numbers);
	const retryItems = sendItems(retry);
	const alreadySent = retryItems.flatMap((entry) => entry.recipients ?? []).filter((recipient) => recipient.alreadySent === true).length;
	if (retry.execute.code !== 0 || stored.length !== 21 || new Set(stored.map((message) => message.to)).size !== 21) {
		fail(`Retry on Fail: exit ${retry.execute.code}, ${stored.length} messages stored for 21 numbers`);
	} else if (alreadySent !== 20) fail(`Retry on Fail: the retry should skip the first call's 20 recipients, skipped ${alreadySent}`);
	else log('doubt: Retry on Fail after a refused call: 21 numbers stored once each, the retry skipped the 20 already sent');

	// 4. Cancel stops a message still pending (a phone switched off).
	await sandbox.post('/_sandbox/reset');
	const cancel = await run(
		workflow('sfrDmcCancel', [
			dmcNode('Send', 220, credential, { to: SWITCHED_OFF, message: 'Cancel test', options: { reference: 'REQ-CANCEL' } }),
			dmcNode('Cancel', 440, credential, { operation: 'cancel', references: 'REQ-CANCEL' }),
		]),
	);
	const [cancelled] = sendItems(cancel, 'Cancel');
	const [pending] = await storedTo(sandbox, [SWITCHED_OFF]);
	if (cancel.execute.code !== 0 || cancelled?.cancelled !== 1 || pending?.stopped !== true) {
		fail(
			`Cancel: expected 1 cancelled and the message stopped, got ${JSON.stringify(cancelled)} and ${JSON.stringify(pending && { status: pending.status, stopped: pending.stopped })}`,
		);
	} else log('doubt: Cancel by reference stopped the message pending on a switched-off phone');

	return failures;
}
