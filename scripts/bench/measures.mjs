// What the benchmark measures: sustained rate under a rolling cap, exactly-once accounting,
// CPU per recipient in process, and the cold load of the built node in fresh processes.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ROOT } from '../lib/paths.mjs';
import { generateItems } from './items.mjs';

/**
 * Sustained rate under a rolling-window cap: the messages after the first window divided by
 * the time from the first arrival to the last. A rolling cap lets the first window's calls
 * go at once, so dividing all messages by the span would overstate the rate (1,000
 * messages in 50 calls at exactly 5 calls/s span 9 s: "111 SMS/s"). By this measure a
 * perfect client at exactly 5 calls a second of 20 messages makes exactly 100 SMS/s.
 */
export function sustainedRate(messages) {
	const times = messages.map((message) => message.receivedAt).sort((a, b) => a - b);
	if (times.length < 2) return { rate: 0, spanMs: 0 };
	const first = times[0];
	const spanMs = times[times.length - 1] - first;
	const inFirstWindow = times.filter((t) => t - first < 1000).length;
	return { rate: spanMs > 0 ? ((times.length - inFirstWindow) * 1000) / spanMs : 0, spanMs };
}

/**
 * Compares what the node reported with what the sandbox stored. Each expected message
 * (an item's number and its unique text) must be stored once; each stored message must be
 * reported once, under its own id, on its own item and number.
 */
export function account(items, result, stored) {
	const problems = [];
	let lost = 0;
	let duplicated = 0;
	let mismatched = 0;
	const byKey = new Map();
	for (const message of stored) {
		const key = `${message.to}|${message.text}`;
		byKey.set(key, (byKey.get(key) ?? []).concat(message));
	}
	const storedById = new Map(stored.map((message) => [String(message.id), message]));
	const reportedIds = new Map();
	if (result.error) problems.push(`the execution failed: ${result.error.message}`);
	if (result.items.length !== items.length) problems.push(`${result.items.length} output items for ${items.length} input items`);
	let expectedKeys = 0;
	const expectedSet = new Set();
	items.forEach((item, n) => {
		const output = result.items[n];
		const ids = output?.json?.messageIds ?? [];
		const recipients = output?.json?.recipients ?? [];
		if (output && (output.pairedItem?.item !== n || output.json.error !== undefined)) mismatched++;
		item.expected.forEach((e164, k) => {
			expectedKeys++;
			expectedSet.add(`${e164}|${item.text}`);
			const copies = byKey.get(`${e164}|${item.text}`) ?? [];
			if (copies.length === 0) lost++;
			if (copies.length > 1) duplicated += copies.length - 1;
			const id = ids[k];
			if (id === undefined || recipients[k]?.to !== e164) {
				mismatched++;
				return;
			}
			reportedIds.set(id, (reportedIds.get(id) ?? 0) + 1);
			const message = storedById.get(id);
			if (!message || message.to !== e164 || message.text !== item.text) mismatched++;
		});
	});
	for (const count of reportedIds.values()) if (count > 1) duplicated += count - 1;
	const unexpected = stored.filter((message) => !expectedSet.has(`${message.to}|${message.text}`)).length;
	if (mismatched > 0) problems.push(`${mismatched} output recipient(s) or item(s) not matching what DMC stored`);
	if (unexpected > 0) problems.push(`${unexpected} stored message(s) nobody asked for`);
	return { expected: expectedKeys, stored: stored.length, lost, duplicated, mismatched, unexpected, problems };
}

export function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function cpuMicros(fn) {
	const before = process.cpuUsage();
	const wallBefore = performance.now();
	fn();
	const used = process.cpuUsage(before);
	return { cpu: used.user + used.system, wall: (performance.now() - wallBefore) * 1000 };
}

/** What the node does per item before sending, then for the whole execution. */
function pipeline(domain, login, items) {
	const prepared = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const { to, text: message } = items[itemIndex];
		const recipients = domain.normalizeRecipients(to, domain.numberRules('FR', ''));
		const text = domain.prepareSmsText(message, 'auto', 8);
		const reference = `n8n-bench-${itemIndex}`;
		const messages = recipients.map((recipient) => ({ media: text.media, textMsg: message, to: recipient.to, refExt: reference }));
		prepared.push({ itemIndex, recipients, text, reference, messages });
	}
	const authenticate = JSON.stringify({ ...login, lang: 'en_GB' });
	let bytes = 0;
	for (const batch of domain.packIntoBatches(prepared)) {
		bytes += new URLSearchParams({ messageUnitaires: JSON.stringify(batch.messages), authenticate }).toString().length;
	}
	return bytes;
}

function normalizeOnly(domain, items) {
	let count = 0;
	for (const { to } of items) count += domain.normalizeRecipients(to, domain.numberRules('FR', '')).length;
	return count;
}

/** CPU per recipient over `recipients` mixed recipients of 1 to 3 per item (`domain`: the bundled domain). */
export function measureCpu(domain, { recipients: count, seed, login }) {
	const items = generateItems(domain, count, 1, 3, seed, { byRecipients: true });
	const recipients = items.reduce((sum, item) => sum + item.expected.length, 0);
	const warmUp = items.slice(0, Math.min(items.length, 5000));
	pipeline(domain, login, warmUp);
	normalizeOnly(domain, warmUp);
	// Passes alternate, and the cheapest of each is kept: other processes on the machine
	// can only add to a pass's CPU time (shared caches, SMT siblings), never take from it.
	const passes = 5;
	const full = [];
	const normalization = [];
	for (let pass = 0; pass < passes; pass++) {
		normalization.push(cpuMicros(() => normalizeOnly(domain, items)));
		full.push(cpuMicros(() => pipeline(domain, login, items)));
	}
	const cheapest = (runs) => Math.min(...runs.map((run) => run.cpu)) / recipients;
	return {
		recipients,
		items: items.length,
		totalUs: cheapest(full),
		normalizeUs: cheapest(normalization),
		medianUs: median(full.map((run) => run.cpu)) / recipients,
		wallUs: Math.min(...full.map((run) => run.wall)) / recipients,
		passes,
	};
}

/* ------------------------------------------------------------------------------------ */
/* 5. Cold load                                                                           */
/* ------------------------------------------------------------------------------------ */

const COLD_CHILD = `
const { performance } = require('node:perf_hooks');
const t0 = performance.now(); const c0 = process.cpuUsage();
require('n8n-workflow');
const t1 = performance.now(); const c1 = process.cpuUsage();
require(process.env.BENCH_NODE);
const t2 = performance.now(); const c2 = process.cpuUsage();
const cpu = (a, b) => (b.user + b.system - a.user - a.system) / 1000;
process.stdout.write(JSON.stringify({ workflowMs: t1 - t0, nodeMs: t2 - t1, nodeCpuMs: cpu(c1, c2), totalMs: t2 - t0 }));
`;

/** Median load time of the built node, n8n-workflow loaded first, over `count` fresh processes. */
export function measureColdLoad(count) {
	const runs = [];
	for (let run = 0; run < count; run++) {
		const child = spawnSync(process.execPath, ['-e', COLD_CHILD], {
			cwd: ROOT,
			encoding: 'utf8',
			env: { ...process.env, BENCH_NODE: join(ROOT, 'dist/nodes/SfrDmc/SfrDmcSms.node.js') },
		});
		if (child.status !== 0) throw new Error(`bench: cold load child failed\n${child.stderr}`);
		runs.push(JSON.parse(child.stdout));
	}
	const of = (key) => median(runs.map((run) => run[key]));
	return {
		nodeMs: of('nodeMs'),
		nodeCpuMs: of('nodeCpuMs'),
		workflowMs: of('workflowMs'),
		totalMs: of('totalMs'),
		minNodeMs: Math.min(...runs.map((r) => r.nodeMs)),
		runs: runs.length,
	};
}
