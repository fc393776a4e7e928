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
	return {
		items: items.length,
		messages: sent.expected,
		calls,
		idealCalls,
		callsPerIdeal: calls / idealCalls,
		rate,
		spanMs,
		wallMs,
		roundTripMs,
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
		['Mixed items (1–20 recipients)', `${f(mixed.rate)} SMS/s, efficiency ${f(mixed.efficiency, 3)}`, `≥ ${TARGETS.efficiency}`, verdict(mixed.efficiency >= TARGETS.efficiency)],
		['   calls ÷ ⌈messages ÷ 20⌉', `${mixed.calls} ÷ ${mixed.idealCalls} = ${f(mixed.callsPerIdeal, 3)}`, `≤ ${TARGETS.callsPerIdeal}`, verdict(mixed.callsPerIdeal <= TARGETS.callsPerIdeal)],
		['   items, messages, span, wall', `${mixed.items} items, ${mixed.messages} msgs, ${f(mixed.spanMs / 1000, 1)} s, ${f(mixed.wallMs / 1000, 1)} s`, '', ''],
		['   safe bound (1005 ms + round trip)', `${f(mixed.bound)} SMS/s (round trip ${f(mixed.roundTripMs)} ms, median of ${PROBES * 2} probes)`, '', ''],
		['   efficiency of 1. (throughput ÷ bound)', f(efficiency, 3), `≥ ${TARGETS.efficiency}`, verdict(efficiency >= TARGETS.efficiency)],
	];
	const fields =
		`bound_sms_per_s=${f(mixed.bound)} efficiency=${f(efficiency, 3)} ` +
		`mixed_sms_per_s=${f(mixed.rate)} mixed_efficiency=${f(mixed.efficiency, 3)} calls_per_ideal=${f(mixed.callsPerIdeal, 3)}`;
	return { rows, fields };
}
