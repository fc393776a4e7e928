// What `npm run test:queue` concludes from the executions n8n stored in Postgres, the workers'
// logs and what the sandbox received. Pure functions, apart from the database read.

/**
 * The executions of one workflow, with their stored run data parsed: the output items of each
 * node (all its runs).
 */
export async function readExecutions(db, parse, workflowId) {
	const rows = await db.queryJson(
		`select json_agg(t order by t.id) from (select e.id, e.status, e.mode, d.data from execution_entity e ` +
			`left join execution_data d on d."executionId" = e.id where e."workflowId" = '${workflowId.replace(/'/g, "''")}') t`,
	);
	return (rows ?? []).map((row) => {
		let resultData = {};
		try {
			resultData = parse(row.data)?.resultData ?? {};
		} catch {
			// no data stored (yet)
		}
		const runData = resultData.runData ?? {};
		const outputOf = (node) => (runData[node] ?? []).flatMap((nodeRun) => nodeRun.data?.main?.[0] ?? []).map((item) => item.json ?? {});
		return { id: String(row.id), status: row.status, mode: row.mode, error: resultData.error?.message, outputOf };
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
 * The send checks. `fired`: one { round, call, to } per recipient of the webhook calls;
 * `killedIds`: the executions the killed worker had started. Every call starts one execution.
 * A successful execution must report every recipient of its call under the id the sandbox
 * stored it with. The calls left without one must match, one for one, the killed
 * executions n8n shows as not successful: their recipients are counted apart (sent but
 * unreported, never sent), anything else missing is lost. A number stored twice is a
 * duplicate, wherever it comes from.
 */
export function checkSends({ fired, executions, messages, killedIds }) {
	const failures = [];
	const stored = new Map();
	for (const message of messages) stored.set(message.to, [...(stored.get(message.to) ?? []), message]);
	const duplicated = [...stored.values()].reduce((sum, list) => sum + list.length - 1, 0);
	for (const [to, list] of stored) {
		if (list.length > 1) failures.push(`${to} was stored ${list.length} times: ids ${list.map((m) => `${m.id} (refExt ${m.refExt})`).join(', ')}`);
	}

	const calls = new Map();
	for (const entry of fired) {
		const key = `round ${entry.round} call ${entry.call}`;
		calls.set(key, [...(calls.get(key) ?? []), entry.to]);
	}
	if (executions.length !== calls.size) failures.push(`${calls.size} webhook calls started ${executions.length} executions`);

	const byId = new Map(messages.map((message) => [String(message.id), message]));
	const reportedBy = new Map();
	let lost = 0;
	for (const execution of executions.filter((e) => e.status === 'success')) {
		for (const item of execution.outputOf('Send SMS')) {
			if (item.error) failures.push(`execution ${execution.id} succeeded with an item error: ${item.error}`);
			for (const recipient of item.recipients ?? []) {
				const message = byId.get(String(recipient.messageId));
				if (message?.to === recipient.to) reportedBy.set(recipient.to, execution.id);
				else failures.push(`execution ${execution.id} reports ${recipient.to} as message ${recipient.messageId}, the sandbox stored ${message ? `it for ${message.to}` : 'no such message'}`);
			}
		}
	}
	for (const [call, recipients] of calls) {
		const reporters = new Set(recipients.map((to) => reportedBy.get(to)).filter(Boolean));
		if (reporters.size === 0) continue;
		for (const to of recipients.filter((number) => !reportedBy.has(number))) {
			lost += 1;
			failures.push(`${to} (${call}, execution ${[...reporters].join(', ')}) ${stored.has(to) ? 'was stored but is not reported' : 'was never sent'}`);
		}
	}

	const unfinished = [...calls.keys()].filter((call) => !calls.get(call).some((to) => reportedBy.has(to)));
	const interrupted = executions.filter((e) => e.status !== 'success');
	const strays = interrupted.filter((e) => !killedIds.includes(e.id));
	for (const execution of strays) failures.push(`execution ${execution.id}, not on the killed worker, is ${execution.status}`);
	const accounted = strays.length === 0 && unfinished.length === interrupted.length;
	const outcome = { executions: interrupted, sentUnreported: 0, neverSent: 0 };
	for (const call of unfinished) {
		for (const to of calls.get(call)) {
			const copies = stored.get(to) ?? [];
			const fromInterrupted = copies.every((message) => interrupted.some((e) => message.refExt?.startsWith(`n8n-${e.id}-`)));
			if (!accounted || !fromInterrupted) {
				lost += 1;
				failures.push(`${to} (${call}) ${copies.length ? 'was stored' : 'was never sent'} and no successful execution reports it`);
			} else if (copies.length > 0) outcome.sentUnreported += 1;
			else outcome.neverSent += 1;
		}
	}
	return { failures, duplicated, lost, interrupted: outcome };
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
		else failures.push(`the reply to message ${reply.messageId} was emitted ${by.length} time(s)${by.length ? ` (executions ${by.join(', ')})` : ''}`);
		emitted.delete(key);
	}
	for (const [key, by] of emitted) failures.push(`the trigger emitted a reply nobody sent: ${key} (executions ${by.join(', ')})`);
	return { failures, once };
}
