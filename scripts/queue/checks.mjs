// What `npm run test:queue` concludes from the executions n8n stored in Postgres, the workers'
// logs and what the sandbox received. Pure functions, apart from the database read.

/**
 * The executions of one workflow (or only those of `ids`), with their stored run data
 * parsed: the output items of each node (all its runs), and `input`, the body of the webhook
 * call that started it, read from the Webhook node's output or, when it has not run yet,
 * from the stack of nodes waiting to run.
 */
export async function readExecutions(db, parse, workflowId, ids) {
	const quote = (value) => `'${String(value).replace(/'/g, "''")}'`;
	const only = ids ? ` and e.id in (${ids.map(quote).join(', ') || 'null'})` : '';
	const rows = await db.queryJson(
		`select json_agg(t order by t.id) from (select e.id, e.status, e.mode, e."retryOf", d.data from execution_entity e ` +
			`left join execution_data d on d."executionId" = e.id where e."workflowId" = ${quote(workflowId)}${only}) t`,
	);
	return (rows ?? []).map((row) => {
		let data = {};
		try {
			data = parse(row.data) ?? {};
		} catch {
			// no data stored (yet)
		}
		const resultData = data.resultData ?? {};
		const runData = resultData.runData ?? {};
		const outputOf = (node) => (runData[node] ?? []).flatMap((nodeRun) => nodeRun.data?.main?.[0] ?? []).map((item) => item.json ?? {});
		const waiting = (data.executionData?.nodeExecutionStack ?? [])
			.flatMap((entry) => entry.data?.main?.[0] ?? [])
			.map((item) => item.json ?? {});
		const input = [...outputOf('Webhook'), ...waiting].find((json) => json.body)?.body;
		const retryOf = row.retryOf === null ? undefined : String(row.retryOf);
		return { id: String(row.id), status: row.status, mode: row.mode, retryOf, error: resultData.error?.message, input, outputOf };
	});
}

export const FINAL_STATUSES = new Set(['success', 'error', 'crashed', 'canceled']);
export const isFinal = (execution) => FINAL_STATUSES.has(execution.status);

/**
 * Which worker ran each execution, from the workers' logs: n8n logs a line naming the
 * execution id when a worker takes its job. An execution that was run again shows twice.
 */
export function workersByExecution(workers) {
	const found = new Map();
	for (const worker of workers) {
		for (const match of worker.log.matchAll(/Worker started execution (\d+)/g)) {
			found.set(match[1], [...(found.get(match[1]) ?? []), worker.name]);
		}
	}
	return found;
}

/**
 * The send checks. `fired`: one { call, to, reference } per recipient of the webhook calls;
 * `killedIds`: the executions the killed worker had started; `resentCalls`: the calls sent a
 * second time; `callOf`: the call an execution runs. Every call starts one execution (two when
 * sent again, n8n's retries aside). Every stored message is for a recipient of a call, under
 * that recipient's reference. A successful execution must report every recipient of its call
 * under the id the sandbox stored it with; a recipient it leaves out is lost. A call no
 * execution completed must be one the killed worker had started: its recipients are counted
 * apart (sent but unreported, never sent), or else lost. A number stored twice is a
 * duplicate, wherever it comes from.
 */
export function checkSends({ fired, executions, messages, killedIds, resentCalls, callOf }) {
	const failures = [];
	const recipients = new Map(fired.map((entry) => [entry.to, entry]));
	const stored = new Map();
	for (const message of messages) stored.set(message.to, [...(stored.get(message.to) ?? []), message]);
	const duplicated = [...stored.values()].reduce((sum, list) => sum + list.length - 1, 0);
	for (const [to, list] of stored) {
		if (list.length > 1)
			failures.push(`${to} was stored ${list.length} times: ids ${list.map((m) => `${m.id} (refExt ${m.refExt})`).join(', ')}`);
		const expected = recipients.get(to)?.reference;
		for (const message of list.filter((m) => m.refExt !== expected)) {
			failures.push(
				`message ${message.id} to ${to} has reference ${message.refExt}, ${expected ? `not ${expected}` : 'and nobody asked for that number'}`,
			);
		}
	}

	const calls = new Map();
	for (const entry of fired) calls.set(entry.call, [...(calls.get(entry.call) ?? []), entry.to]);
	const executionsOf = new Map();
	for (const execution of executions) {
		const call = callOf(execution);
		if (calls.has(call)) executionsOf.set(call, [...(executionsOf.get(call) ?? []), execution]);
		else failures.push(`execution ${execution.id} was started by ${call ? `an unknown call ${call}` : 'no webhook call it stored'}`);
	}
	for (const call of calls.keys()) {
		const started = (executionsOf.get(call) ?? []).filter((execution) => execution.mode !== 'retry').length;
		const expected = resentCalls.has(call) ? 2 : 1;
		if (started !== expected) failures.push(`webhook call ${call}, sent ${expected} time(s), started ${started} executions`);
	}

	let lost = 0;
	const interrupted = executions.filter((e) => e.status !== 'success' && e.mode !== 'retry');
	const outcome = { executions: interrupted, sentUnreported: 0, neverSent: 0 };
	for (const [call, numbers] of calls) {
		const ofCall = executionsOf.get(call) ?? [];
		const succeeded = ofCall.filter((e) => e.status === 'success');
		for (const execution of succeeded) lost += checkReported(execution, numbers, stored, failures);
		if (succeeded.length > 0) continue;
		const killed = ofCall.some((e) => e.mode !== 'retry' && killedIds.includes(e.id));
		for (const to of numbers) {
			const copies = stored.get(to) ?? [];
			if (!killed) {
				lost += 1;
				failures.push(`${to} (${call}) ${copies.length ? 'was stored' : 'was never sent'} and no successful execution reports it`);
			} else if (copies.length > 0) outcome.sentUnreported += 1;
			else outcome.neverSent += 1;
		}
	}
	for (const execution of interrupted.filter((e) => !killedIds.includes(e.id)))
		failures.push(`execution ${execution.id}, not on the killed worker, is ${execution.status}`);
	return { failures, duplicated, lost, interrupted: outcome };
}

/**
 * A successful execution reports each of its call's numbers once, under the id the sandbox
 * stored it with, and no item error. Returns how many of the numbers it leaves unreported.
 */
function checkReported(execution, numbers, stored, failures) {
	const reported = new Set();
	for (const item of execution.outputOf('Send SMS')) {
		if (item.error) failures.push(`execution ${execution.id} succeeded with an item error: ${item.error}`);
		for (const recipient of item.recipients ?? []) {
			const message = (stored.get(recipient.to) ?? []).find((m) => String(m.id) === String(recipient.messageId));
			if (!numbers.includes(recipient.to)) failures.push(`execution ${execution.id} reports ${recipient.to}, not a recipient of its call`);
			else if (!message)
				failures.push(
					`execution ${execution.id} reports ${recipient.to} as message ${recipient.messageId}, which the sandbox did not store for it`,
				);
			else if (reported.has(recipient.to)) failures.push(`execution ${execution.id} reports ${recipient.to} twice`);
			else reported.add(recipient.to);
		}
	}
	const missing = numbers.filter((to) => !reported.has(to));
	for (const to of missing)
		failures.push(`${to} (execution ${execution.id}) ${stored.has(to) ? 'was stored but is not reported' : 'was never sent'}`);
	return missing.length;
}

/**
 * The two ways of trying an interrupted execution's call again: n8n's Retry (as from the
 * executions list) and the same webhook call sent again. Each interrupted execution is
 * retried once, on a worker; its call is sent again once, and that execution succeeds. In
 * both, a recipient DMC had before is reported `alreadySent` under that message's id, any
 * other as sent then (checkSends holds every recipient to one stored message).
 * `retriedBefore`, `resentBefore`: the messages DMC had before each.
 */
export function checkSecondAttempts({ interrupted, executions, callOf, ranBy, retriedBefore, resentBefore }) {
	const failures = [];
	const outcome = { retries: [], resends: [], alreadySent: 0, sentAgain: 0 };
	const judge = (execution, before, what) => {
		const earlier = new Map(before.map((message) => [message.to, String(message.id)]));
		for (const recipient of execution.outputOf('Send SMS').flatMap((item) => item.recipients ?? [])) {
			const id = earlier.get(recipient.to);
			if (id === undefined && !recipient.alreadySent) outcome.sentAgain += 1;
			else if (id !== undefined && recipient.alreadySent && String(recipient.messageId) === id) outcome.alreadySent += 1;
			else
				failures.push(
					`${what} ${execution.id} reports ${recipient.to} as ${recipient.alreadySent ? 'already sent' : 'sent'} (message ${recipient.messageId}); before it, DMC had ${id ?? 'none'}`,
				);
		}
	};
	for (const failed of interrupted) {
		const retries = executions.filter((e) => e.retryOf === failed.id);
		const resends = executions.filter((e) => e.mode !== 'retry' && e.id !== failed.id && callOf(e) === callOf(failed));
		if (retries.length !== 1) failures.push(`execution ${failed.id} was retried ${retries.length} times`);
		if (resends.length !== 1) failures.push(`the call of execution ${failed.id} started ${resends.length} executions when sent again`);
		for (const retry of retries) {
			outcome.retries.push({
				of: failed.id,
				id: retry.id,
				status: retry.status,
				error: retry.error,
				ranBy: ranBy.get(retry.id) ?? [],
				reported: retry.outputOf('Send SMS').length,
			});
			if (!ranBy.has(retry.id)) failures.push(`no worker log names retry ${retry.id} of execution ${failed.id}`);
			judge(retry, retriedBefore, 'retry');
		}
		for (const resend of resends) {
			outcome.resends.push({ of: failed.id, id: resend.id, status: resend.status, ranBy: ranBy.get(resend.id) ?? [] });
			if (resend.status !== 'success')
				failures.push(
					`execution ${resend.id}, the call of execution ${failed.id} sent again, is ${resend.status}: ${resend.error ?? 'no error stored'}`,
				);
			judge(resend, resentBefore, 'execution');
		}
	}
	if (interrupted.length > 0 && outcome.alreadySent === 0)
		failures.push('no second attempt found a message sent before the kill: the kill came too late to test Skip If Already Sent');
	return { failures, ...outcome, resent: outcome.resends.filter((resend) => resend.status === 'success').length };
}

/** Each reply must come out of the trigger exactly once, and nothing else may. */
export function checkReplies({ replies, executions }) {
	const failures = [];
	const emitted = new Map();
	for (const execution of executions) {
		if (execution.status !== 'success') failures.push(`trigger execution ${execution.id} is ${execution.status}`);
		for (const item of execution.outputOf('Reply Received')) {
			const key = `${item.messageId}|${item.text}`;
			emitted.set(key, [...(emitted.get(key) ?? []), execution.id]);
		}
	}
	let once = 0;
	for (const reply of replies) {
		const key = `${reply.messageId}|${reply.text}`;
		const by = emitted.get(key) ?? [];
		if (by.length === 1) once += 1;
		else
			failures.push(
				`the reply to message ${reply.messageId} was emitted ${by.length} time(s)${by.length ? ` (executions ${by.join(', ')})` : ''}`,
			);
		emitted.delete(key);
	}
	for (const [key, by] of emitted) failures.push(`the trigger emitted a reply nobody sent: ${key} (executions ${by.join(', ')})`);
	return { failures, once };
}

/** The guide's minute between two SupervisionWS calls of a service. */
const SUPERVISION_MINUTE_MS = 60_000;

/**
 * DMC's once-a-minute rule across the cluster, from each process's log (the node writes a
 * line per SupervisionWS call) and the sandbox's counts. Each process must keep its own
 * calls a minute apart. Processes share no clock, so two may land within a minute: DMC
 * refuses one, and that process must have said so and asked again (its execution's success
 * is checked with the sends). The log lines must account for every call the sandbox got.
 */
export function checkSupervision(stats, processLogs) {
	const failures = [];
	let calls = 0;
	let refusals = 0;
	for (const { name, log } of processLogs) {
		const times = [...log.matchAll(/SFR DMC: SupervisionWS\/\w+ at (\S+Z)/g)].map((match) => Date.parse(match[1])).sort((a, b) => a - b);
		calls += times.length;
		for (let n = 1; n < times.length; n++) {
			const gap = times[n] - times[n - 1];
			if (gap < SUPERVISION_MINUTE_MS) failures.push(`${name} made two SupervisionWS calls ${gap} ms apart`);
		}
		refusals += (log.match(/SFR DMC: DMC refused SupervisionWS\//g) ?? []).length;
	}
	if (calls !== stats.supervisionCalls)
		failures.push(`the processes' logs show ${calls} SupervisionWS call(s), the sandbox received ${stats.supervisionCalls}`);
	if (refusals !== stats.refusedTooFrequent)
		failures.push(
			`the sandbox refused ${stats.refusedTooFrequent} SupervisionWS call(s) as too frequent, the processes waited out ${refusals}`,
		);
	if (stats.supervisionViolations !== stats.refusedTooFrequent)
		failures.push(`the sandbox served ${stats.supervisionViolations - stats.refusedTooFrequent} SupervisionWS call(s) within a minute`);
	return { failures, calls, refusals };
}
