// The rate the limiter can reach, and a mixed workload measured against it.
//
// Each of the cap's slots is held from a call's start until one window (1005 ms) after its
// answer, so a slot serves one call per (1005 ms + round trip): the safe bound is
// cap × 20 × 1000 / (1005 + round trip) SMS/s, not cap × 20. The mixed workload (seeded items
// of 1 to 20 recipients) shows what packing items whole into calls costs against that bound.
import { performance } from 'node:perf_hooks';
import { dmcClient } from '../lib/dmc.mjs';
import { generateItems } from './items.mjs';
import { account, median, sustainedRate } from './measures.mjs';

/** The limiter's window: a slot is free again this long after its call's answer. */
const SLOT_HOLD_MS = 1005;
const PROBES = 5;

export const MIXED_RECIPIENTS = { min: 1, max: 20 };
export const TARGETS = { efficiency: 0.97, callsPerIdeal: 1.03 };

/** SMS per second a limiter of `callsPerS` slots can reach when a call takes `roundTripMs`. */
export function boundSmsPerS(roundTripMs, callsPerS, messagesPerCall) {
	return (callsPerS * messagesPerCall * 1000) / (SLOT_HOLD_MS + roundTripMs);
}

/**
 * Times `PROBES` side-effect-free calls (findServiceOadc), one after another, through the
 * package's DmcClient and so through the service's limiter: as many as the cap lets start at
 * once, so none waits for a slot and each time is the round trip alone.
 */
async function probeRoundTrips(credentials) {
	const client = dmcClient(credentials);
	const times = [];
	for (let n = 0; n < PROBES; n++) {
		const started = performance.now();
		await client.findServiceOadc();
		times.push(performance.now() - started);
	}
	return times;
}

/**
 * A lower bound on the calls that any packing of whole items needs (Martello and Toth's L2):
 * for each α, items over `capacity` − α share a call with nothing that is at least α; items
 * over half a call never share one with each other; and what the items from α to half a call
 * bring beyond the room left beside the latter needs calls of its own.
 */
export function minCalls(sizes, capacity) {
	const total = (list) => list.reduce((sum, size) => sum + size, 0);
	const items = sizes.filter((size) => size > 0);
	let bound = Math.ceil(total(items) / capacity);
	for (let alpha = 1; alpha <= capacity / 2; alpha++) {
		const alone = items.filter((size) => size > capacity - alpha).length;
		const large = items.filter((size) => size > capacity / 2 && size <= capacity - alpha);
		const small = total(items.filter((size) => size >= alpha && size <= capacity / 2));
		const room = large.length * capacity - total(large);
		bound = Math.max(bound, alone + large.length + Math.max(0, Math.ceil((small - room) / capacity)));
	}
	return bound;
}

/**
 * How long a slot took, in the run itself, from one call to the next: the calls' arrivals at
 * the sandbox (a call's messages share one arrival time), `slots` calls apart. With every slot
 * busy this is the limiter's 1005 ms plus the round trip the node's calls really had.
 */
export function slotCycleMs(messages, slots) {
	const arrivals = [...new Set(messages.map((message) => message.receivedAt))].sort((a, b) => a - b);
	const cycles = arrivals.slice(slots).map((at, n) => at - arrivals[n]);
	return cycles.length > 0 ? median(cycles) : undefined;
}

/**
 * Sends `count` seeded items of 1 to 20 recipients through the node, with round-trip probes
 * before and after (the median of both is the run's round trip). `send(items)` runs the node;
 * `stored()` and `stats()` read the sandbox. Returns the run's measures and its account.
 */
export async function measureMixedWorkload({ domain, count, seed, credentials, capCallsPerS, messagesPerCall, send, stored, stats }) {
	const items = generateItems(domain, count, MIXED_RECIPIENTS.min, MIXED_RECIPIENTS.max, seed);
	const probes = await probeRoundTrips(credentials);
	const callsBefore = (await stats()).calls;
	const started = performance.now();
	const result = await send(items);
	const wallMs = performance.now() - started;
	const calls = (await stats()).calls - callsBefore;
	probes.push(...(await probeRoundTrips(credentials)));

	const messages = await stored();
	const sent = account(items, result, messages);
	const roundTripMs = median(probes);
	const bound = boundSmsPerS(roundTripMs, capCallsPerS, messagesPerCall);
	const { rate, spanMs } = sustainedRate(messages);
	const idealCalls = Math.ceil(sent.expected / messagesPerCall);
	const fewestCalls = minCalls(
		items.map((item) => item.expected.length),
		messagesPerCall,
	);
	return {
		items: items.length,
		messages: sent.expected,
		calls,
		idealCalls,
		callsPerIdeal: calls / idealCalls,
		fewestCalls,
		rate,
		spanMs,
		wallMs,
		roundTripMs,
		cycleMs: slotCycleMs(messages, capCallsPerS),
		bound,
		efficiency: rate / bound,
		account: sent,
	};
}

/**
 * The mixed workload's table rows and the fields it adds to the final line. `throughputRate`
 * is the single-recipient run's SMS/s, set against the same bound.
 */
export function mixedReport(mixed, throughputRate) {
	const f = (value, digits = 1) => value.toFixed(digits);
	const verdict = (ok) => (ok ? 'ok' : 'MISSED');
	const efficiency = throughputRate / mixed.bound;
	const rows = [
		[
			'Mixed items (1–20 recipients)',
			`${f(mixed.rate)} SMS/s, efficiency ${f(mixed.efficiency, 3)}`,
			`≥ ${TARGETS.efficiency}`,
			verdict(mixed.efficiency >= TARGETS.efficiency),
		],
		[
			'   calls ÷ ⌈messages ÷ 20⌉',
			`${mixed.calls} ÷ ${mixed.idealCalls} = ${f(mixed.callsPerIdeal, 3)}`,
			`≤ ${TARGETS.callsPerIdeal}`,
			verdict(mixed.callsPerIdeal <= TARGETS.callsPerIdeal),
		],
		['   fewest calls whole items allow', `${mixed.fewestCalls} (a lower bound): ${f(mixed.calls / mixed.fewestCalls, 3)} × it`, '', ''],
		[
			'   items, messages, span, wall',
			`${mixed.items} items, ${mixed.messages} msgs, ${f(mixed.spanMs / 1000, 1)} s, ${f(mixed.wallMs / 1000, 1)} s`,
			'',
			'',
		],
		[
			'   safe bound (1005 ms + round trip)',
			`${f(mixed.bound)} SMS/s (round trip ${f(mixed.roundTripMs)} ms, median of ${PROBES * 2} probes)`,
			'',
			'',
		],
		[
			"   a slot's cycle in the run",
			mixed.cycleMs === undefined ? '–' : `${f(mixed.cycleMs)} ms: 1005 + ${f(mixed.cycleMs - SLOT_HOLD_MS)} ms`,
			'',
			'',
		],
		['   efficiency of 1. (throughput ÷ bound)', f(efficiency, 3), `≥ ${TARGETS.efficiency}`, verdict(efficiency >= TARGETS.efficiency)],
	];
	const fields =
		`bound_sms_per_s=${f(mixed.bound)} efficiency=${f(efficiency, 3)} ` +
		`mixed_sms_per_s=${f(mixed.rate)} mixed_efficiency=${f(mixed.efficiency, 3)} calls_per_ideal=${f(mixed.callsPerIdeal, 3)} calls_per_fewest=${f(mixed.calls / mixed.fewestCalls, 3)}`;
	return { rows, fields };
}
