// What the Push Trigger checks of `npm run test:n8n` share: a workflow of one trigger, pushes
// as DMC words them in JSON, posting them and reading the answer, and waiting on n8n.
import { randomUUID } from 'node:crypto';
import { PKG } from '../lib/paths.mjs';
import { sleep } from '../lib/processes.mjs';
import { ACCOUNT, CREDENTIAL_TYPE } from './context.mjs';

const WAIT_MS = 20_000;
export const REPLY = 'Oui, très bien';

/** A workflow of one Push Trigger, "DMC push", with these parameters. */
export function pushWorkflow(credential, webhookId, parameters = { event: 'allEvents', options: {} }, name = 'Push test') {
	return {
		name,
		nodes: [
			{
				id: randomUUID(),
				name: 'DMC push',
				type: `${PKG.name}.sfrDmcPushTrigger`,
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				parameters,
				credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * One entry, as DMC's JSON push words it: a reply (ANSWERED) unless `status` says otherwise;
 * `info: null` leaves the status line without one.
 */
export function pushEntry(callId, date, { status = 'ANSWERED', info = REPLY } = {}) {
	return {
		to: '+33612345678',
		date,
		call_id: callId,
		broadcast_id: '1',
		contact_id: callId,
		ref_externe: 'push-wire',
		space_id: ACCOUNT.spaceId,
		status,
		status_list: [{ date, type: status, ...(info === null ? {} : { info }) }],
	};
}

/** A JSON push of `entries`. */
export function jsonPushOf(entries, username = ACCOUNT.serviceId) {
	return JSON.stringify({ status_report: { username, sms: entries } });
}

/** POSTs a push; resolves the answer's status, content type and text. */
export async function post(url, contentType, body, headers = {}) {
	const response = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': contentType }, body });
	return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** Whether an answer has this status, is JSON, and has this body (a text, or a test of the text). */
function answerIs(answer, status, body) {
	const matches = typeof body === 'function' ? body(answer.text) : answer.text === body;
	return answer.status === status && /^application\/json\b/.test(answer.type) && matches;
}

/**
 * `expect(name, answer, status, body)`: whether the answer is as `answerIs` wants, calling
 * `fail` with what came instead when not.
 */
export function answerChecker(fail) {
	return (name, answer, status, body) => {
		if (answerIs(answer, status, body)) return true;
		const wanted = `${status} JSON${typeof body === 'string' ? ` ${body}` : ''}`;
		fail(`${name}: HTTP ${answer.status} (${answer.type}) ${answer.text.slice(0, 200)}, expected ${wanted}`);
		return false;
	};
}

/** A refusal's body: an error message that quotes nothing of the push (its phone number). */
export function refusedWithout(text) {
	try {
		const { error } = JSON.parse(text);
		return typeof error === 'string' && !text.includes('+33612345678');
	} catch {
		return false;
	}
}

/**
 * Activation registers the webhook a little later: JSON that is no push is refused (and
 * starts nothing) once it is there, 404 before. Resolves the first answer that is not 404.
 * (A body that is not JSON at all under a JSON content type never reaches the node: n8n
 * itself answers 422.)
 */
export async function untilListening(url) {
	const notAPush = JSON.stringify({ probe: true });
	let probe = await post(url, 'application/json', notAPush);
	for (
		const deadline = Date.now() + WAIT_MS;
		probe.status === 404 && Date.now() < deadline;
		probe = await post(url, 'application/json', notAPush)
	)
		await sleep(250);
	return probe;
}

/** Resolves once `count()` reaches `expected`, or with the last count after WAIT_MS. */
export async function settle(count, expected) {
	let seen = await count();
	for (const deadline = Date.now() + WAIT_MS; seen < expected && Date.now() < deadline; seen = await count()) await sleep(250);
	return seen;
}
