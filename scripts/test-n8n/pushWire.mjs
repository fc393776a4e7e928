// What a running `n8n start` answers, on the wire, to each outcome of a push the README
// documents, and what reaches the trigger when DMC words a push in ISO-8859-1.
import { ACCOUNT } from './context.mjs';
import { answerChecker, jsonPushOf, post, pushEntry, REPLY, refusedWithout } from './pushFlow.mjs';

function jsonReply(callId, date, username = ACCOUNT.serviceId) {
	return jsonPushOf([pushEntry(callId, date)], username);
}

/** The guide's XML push of one reply, declaring `encoding`. */
function xmlReply(callId, date, encoding) {
	const { status_list: lines, ...fields } = pushEntry(callId, date);
	const attributes = Object.entries(fields)
		.map(([name, value]) => ` ${name}="${value}"`)
		.join('');
	const [line] = lines;
	return (
		`<?xml version="1.0" encoding="${encoding}"?><status_report username="${ACCOUNT.serviceId}">` +
		`<sms${attributes}><status date="${line.date}" type="${line.type}" info="${line.info}"/></sms></status_report>`
	);
}

/**
 * Resolves the list of failed checks. `executions()` counts the workflow's executions,
 * `settle(count, expected)` waits for a count, `executionText(n)` resolves the saved data
 * of the newest execution as text.
 */
export async function runPushWireChecks({ url, executions, settle, executionText, sleep, log }) {
	const failures = [];
	const fail = (message) => failures.push(`push wire: ${message}`);
	const expect = answerChecker(fail);
	const startsNothing = async (name, before) => {
		await sleep(1500);
		const after = await executions();
		if (after !== before) fail(`${name} started ${after - before} execution(s)`);
	};

	// Started, then the same push again: a duplicate.
	let before = await executions();
	const started = await post(url, 'application/json', jsonReply('880001', '2026-12-03 10:00:00'));
	expect('a push that starts an execution', started, 200, '{"received":1,"started":1}');
	if ((await settle(executions, before + 1)) !== before + 1) fail('a fresh push started no execution');
	before = await executions();
	const duplicate = await post(url, 'application/json', jsonReply('880001', '2026-12-03 10:00:00'));
	expect('a duplicate push', duplicate, 200, '{"received":1,"started":0}');
	await startsNothing('a duplicate push', before);

	// Refused: another service (403), too large for the 512 KB default (413); neither quotes the body.
	const foreign = await post(url, 'application/json', jsonReply('880002', '2026-12-03 10:01:00', 'another-service'));
	expect('a push for another service', foreign, 403, refusedWithout);
	await startsNothing('a push for another service', before);
	const padded = JSON.stringify({
		status_report: { username: ACCOUNT.serviceId, sms: [pushEntry('880003', '2026-12-03 10:02:00', { info: 'x'.repeat(600 * 1024) })] },
	});
	const large = await post(url, 'application/json', padded);
	expect('a push over Max Body Size', large, 413, refusedWithout);
	await startsNothing('a push over Max Body Size', before);
	if (failures.length === 0) log('push wire: started, duplicate, 403 and 413 answered as the README says');

	// Latin-1 named in the XML declaration only: reaches the trigger, read as Latin-1.
	const latin1Xml = Buffer.from(xmlReply('880004', '2026-12-03 10:03:00', 'ISO-8859-1'), 'latin1');
	before = await executions();
	const declared = await post(url, 'application/xml', latin1Xml);
	if (expect('Latin-1 XML without a charset parameter', declared, 200, '{"received":1,"started":1}')) {
		await settle(executions, before + 1);
		if (!(await executionText()).includes(REPLY)) fail(`Latin-1 XML: the execution does not hold "${REPLY}"`);
		else log(`push wire: Latin-1 XML (charset in the declaration only) read as "${REPLY}"`);
	}
	// UTF-8 JSON with its charset: read as written.
	before = await executions();
	const utf8 = await post(url, 'application/json; charset=UTF-8', jsonReply('880005', '2026-12-03 10:04:00'));
	if (expect('UTF-8 JSON', utf8, 200, '{"received":1,"started":1}')) {
		await settle(executions, before + 1);
		if (!(await executionText()).includes(REPLY)) fail(`UTF-8 JSON: the execution does not hold "${REPLY}"`);
	}

	// n8n 2.41.1 refuses these before the trigger runs (docs/push-trigger.md says why): this
	// checks the documented behaviour is still the real one.
	const refusedByN8n = [
		['application/xml; charset=ISO-8859-1', latin1Xml, 'Unknown encoding'],
		['text/plain; charset=ISO-8859-1', latin1Xml, 'Unknown encoding'],
		['application/json; charset=ISO-8859-1', Buffer.from(jsonReply('880006', '2026-12-03 10:05:00'), 'latin1'), 'Unknown encoding'],
		['application/json', xmlReply('880007', '2026-12-03 10:06:00', 'UTF-8'), '<?xml'],
	];
	before = await executions();
	for (const [contentType, body, quoted] of refusedByN8n) {
		const answer = await post(url, contentType, body);
		if (answer.status !== 422 || !answer.text.includes(quoted))
			fail(
				`${contentType}: HTTP ${answer.status} ${answer.text.slice(0, 200)}, not n8n's 422 naming "${quoted}" (update docs/push-trigger.md)`,
			);
		else log(`push wire: ${contentType} gets n8n's 422 (${answer.text.slice(0, 120)})`);
	}
	await startsNothing('a push n8n refused', before);
	return failures;
}
