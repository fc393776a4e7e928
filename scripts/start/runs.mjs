// What `npm start` prints about each example run, and why a run is not a success.
import { seconds, table } from '../lib/output.mjs';

/** Nodes of this package that sent (Send, Send Voice Message; not a trigger or another operation), in order. */
export function sendingNodes(run, pkg) {
	return run.result.executedNodes.filter((nodeName) => {
		const node = run.workflow.nodes.find((candidate) => candidate.name === nodeName);
		const nodeType = pkg.nodeTypes[node?.type];
		if (!nodeType || nodeType.description?.group?.includes('trigger')) return false;
		return ['send', 'sendVoice'].includes(node.parameters?.operation ?? 'send');
	});
}

/** What each run sent: one entry per item of each node of this package that sent SMS or voice messages. */
export function sentItems(runs, pkg) {
	const entries = [];
	for (const run of runs) {
		if (!run.result) continue;
		for (const nodeName of sendingNodes(run, pkg)) {
			run.result.items[nodeName].forEach((item, index) => {
				entries.push({ run, nodeName, index, json: item.json ?? {} });
			});
		}
	}
	return entries;
}

export function messageIdsOf(entries) {
	return entries.flatMap(({ json }) => (Array.isArray(json.messageIds) ? json.messageIds.filter((id) => id != null) : []));
}

/** Prints one run: per node of this package, its recipients, ids and delivery. */
export function printRun(say, run, pkg, reports) {
	const title = run.workflow?.name ? `"${run.workflow.name}"` : run.file;
	say();
	if (run.failure) {
		say(`■ ${title} (${run.file}): could not run: ${run.failure}`);
		return;
	}
	if (run.skipped) {
		say(`■ ${title} (${run.file}): skipped: ${run.skipped}`);
		return;
	}
	const { result } = run;
	say(`■ ${title} (${run.file}): ${result.status} in ${seconds(run.ms)}; nodes run: ${result.executedNodes.join(' → ')}`);
	const sending = new Set(sendingNodes(run, pkg));
	for (const nodeName of result.executedNodes) {
		const node = run.workflow.nodes.find((candidate) => candidate.name === nodeName);
		if (!sending.has(nodeName)) {
			if (node?.type in pkg.nodeTypes && node.parameters?.resource === 'campaign') {
				say();
				printCampaignNode(say, nodeName, node.parameters.operation, result.items[nodeName]);
			} else if (node?.type in pkg.nodeTypes) {
				say();
				say(`  ${nodeName} — ${result.items[nodeName].length} item(s) (${node.parameters?.operation ?? 'trigger'}, nothing sent)`);
			}
			continue;
		}
		const items = result.items[nodeName];
		say();
		say(`  ${nodeName} — ${items.length} item(s)`);
		if (items.length === 0) {
			say(`    no output${result.errors.some((error) => error.node === nodeName) ? ': the node failed, see below' : ''}`);
			continue;
		}
		const rows = [];
		const texts = new Map();
		items.forEach((item, index) => {
			const json = item.json ?? {};
			const recipients = Array.isArray(json.recipients) ? json.recipients : [];
			const sent = recipients.map((recipient) => reports.get(String(recipient.messageId))).find((report) => report?.text);
			if (sent || json.reference) {
				const what = [json.reference ? `ref ${json.reference}` : '', sent ? (sent.from ? `from ${sent.from}` : 'default sender') : '']
					.filter(Boolean)
					.join(', ');
				texts.set(index, `item ${index} (${what})${sent ? `: "${sent.text}"` : ''}`);
			}
			if (recipients.length === 0) rows.push([String(index), '', '', '—', '', '', json.error ? `NOT SENT: ${json.error}` : '']);
			recipients.forEach((recipient) => {
				const id = recipient.messageId == null ? null : String(recipient.messageId);
				const report = id === null ? undefined : reports.get(id);
				const delivery = recipient.excluded
					? 'excluded (Exclude Numbers)'
					: id === null
						? `NOT SENT${json.error ? `: ${json.error}` : ''}`
						: report
							? `${report.status} ${report.code ?? ''}${report.reply ? `, reply "${report.reply}"` : ''}`
							: 'no report';
				rows.push([
					String(index),
					recipient.input ?? '',
					recipient.to ?? '',
					id ?? '—',
					json.media ?? '',
					json.parts == null ? '' : String(json.parts),
					delivery,
				]);
			});
		});
		say(table(['item', 'recipient as written', 'E.164', 'message id', 'media', 'parts', 'delivery'], rows, '    '));
		for (const text of texts.values()) say(`    ${text}`);
	}
	for (const error of result.errors) say(`  ✗ ${error.node ? `node "${error.node}"` : 'workflow'}: ${error.message}`);
}

/** A campaign node's output: Create's campaign, Get Reports' table of contacts, or the items' campaigns. */
function printCampaignNode(say, nodeName, operation, items) {
	say(`  ${nodeName} — ${items.length} item(s) (campaign ${operation})`);
	if (operation === 'getReports') {
		const rows = items.map(({ json }) =>
			json.error === undefined
				? [json.reference ?? '', json.to ?? '', json.status ?? '', json.resultCode ?? '', json.reply ?? '']
				: ['', '', 'ERROR', json.error, ''],
		);
		if (rows.length > 0) say(table(['reference', 'E.164', 'status', 'result', 'reply'], rows, '    '));
		return;
	}
	for (const { json } of items) {
		if (json.error !== undefined) {
			say(`    ✗ ${json.error}`);
			continue;
		}
		const counts =
			operation === 'create'
				? `, ${json.contacts} contact(s), ${json.refused?.length ?? 0} refused, ${json.excluded?.length ?? 0} excluded`
				: '';
		say(`    campaign ${json.campaignId} "${json.name}": ${json.status}${counts}; start ${json.startAt}, stop ${json.stopAt}`);
	}
}

/** Campaign nodes' output items that carry an error, one entry each. */
function campaignErrors(runs, pkg) {
	const found = [];
	for (const run of runs) {
		for (const nodeName of run.result?.executedNodes ?? []) {
			const node = run.workflow.nodes.find((candidate) => candidate.name === nodeName);
			if (!(node?.type in pkg.nodeTypes) || node.parameters?.resource !== 'campaign') continue;
			run.result.items[nodeName].forEach(({ json }, index) => {
				if (json.error !== undefined) found.push(`${run.file}: "${nodeName}" item ${index} failed (${json.error})`);
			});
		}
	}
	return found;
}

/** How many contacts the campaigns that were created hold. */
export function campaignContacts(runs, pkg) {
	let contacts = 0;
	for (const run of runs) {
		for (const nodeName of run.result?.executedNodes ?? []) {
			const node = run.workflow.nodes.find((candidate) => candidate.name === nodeName);
			if (!(node?.type in pkg.nodeTypes) || node.parameters?.resource !== 'campaign' || node.parameters.operation !== 'create') continue;
			for (const { json } of run.result.items[nodeName]) contacts += json.error === undefined ? (json.contacts ?? 0) : 0;
		}
	}
	return contacts;
}

function allExcluded(json) {
	return Array.isArray(json.recipients) && json.recipients.length > 0 && json.recipients.every((recipient) => recipient?.excluded);
}

/** Why the run is not a success (empty when DMC accepted every message). */
export function problems(runs, entries, pkg) {
	const found = campaignErrors(runs, pkg);
	for (const run of runs) {
		if (run.failure) found.push(`${run.file} could not run (${run.failure})`);
		for (const error of run.result?.errors ?? []) {
			found.push(`${run.file}: ${error.node ? `node "${error.node}"` : 'workflow'} failed (${error.message})`);
		}
	}
	for (const { run, nodeName, index, json } of entries) {
		const ids = Array.isArray(json.messageIds) ? json.messageIds : [];
		if (json.error !== undefined) found.push(`${run.file}: "${nodeName}" item ${index} not sent (${json.error})`);
		// An item whose recipients were all excluded rightly sent nothing.
		else if (allExcluded(json)) continue;
		else if (ids.length === 0 || ids.some((id) => id == null)) found.push(`${run.file}: "${nodeName}" item ${index} has no message ids`);
	}
	if (found.length === 0 && entries.length === 0) found.push('no SMS node ran: nothing was sent');
	return found;
}
