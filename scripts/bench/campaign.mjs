// The campaign phase of `npm run bench` (issue 18): one Campaign Create of 50,000 contacts
// through the engine, against a sandbox at SFR's cap and the bench's latency, its contacts
// read from the items' own fields (Contacts: Read Fields of Each Item).
//
//   campaign_contacts  contacts in the campaign DMC holds (all distinct, each once)
//   campaign_calls     DMC calls from the first item to activation (target ≤ 10)
//   campaign_s         the node's run, first item to activation (target ≤ 20 s), beside the
//                      same contacts as unit messages at the throughput phase's rate
//   campaign_node_s    the same without the sandbox's simulated import: its import moves one
//                      status every IMPORT_STEP_MS and is done 3 steps after the call, a wait
//                      the node spends asking the status at one call a second
//   campaign_cpu_us_per_contact  in process: normalising the numbers and writing the file
//                      (target ≤ 5 µs), best of 3 passes
//   campaign_rss_mb    peak RSS growth during the run (target ≤ 150 MB)
import { performance } from 'node:perf_hooks';

export const CAMPAIGN_CONTACTS = 50_000;
/** The sandbox's import pace in this phase: done 3 s after importContactBroadcast. */
export const IMPORT_STEP_MS = 1000;
const TARGETS = { calls: 10, seconds: 20, cpuUs: 5, rssMb: 150 };

/** The sandbox this phase needs, at the bench's cap and latency. */
export function campaignSandboxes(capped) {
	return { campaign: { ...capped, importStepMs: IMPORT_STEP_MS } };
}

/** Distinct French mobile numbers, written as people write them. */
function contactItems(count) {
	const styles = [(d) => `06 ${d.match(/../g).join(' ')}`, (d) => `+33 6 ${d}`, (d) => `06.${d.match(/../g).join('.')}`, (d) => `06${d}`];
	return Array.from({ length: count }, (_, n) => {
		const digits = String(12_000_000 + n).padStart(8, '0');
		return {
			to: styles[n % styles.length](digits),
			e164: `+336${digits}`,
			firstName: `Habitant ${n}`,
			lastName: n % 97 === 0 ? `Nom;${n}` : `Nom ${n}`,
		};
	});
}

/**
 * @param options { engine, domain, node: { nodeType, credentialType, credentials }, sandbox, control, unitSmsPerS, log }
 * @returns { rows, line, problems, violations }
 */
export async function runCampaign({ engine, domain, node, sandbox, control, unitSmsPerS, log }) {
	const contacts = contactItems(CAMPAIGN_CONTACTS);
	log(`bench: [campaign] one campaign of ${CAMPAIGN_CONTACTS} contacts through the node …`);
	globalThis.gc?.();
	const rssBefore = process.memoryUsage().rss;
	let rssPeak = rssBefore;
	const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 25);
	const started = performance.now();
	const result = await engine.runNode({
		...node,
		items: contacts.map(({ to, firstName, lastName }) => ({ to, firstName, lastName })),
		parameters: {
			resource: 'campaign',
			operation: 'create',
			campaignName: 'Bench alerte canicule',
			channel: 'sms',
			message: 'Bonjour {firstName}, alerte canicule : restez au frais.',
			scenario: '43',
			callPlanning: '22',
			// What a large campaign should use: n8n evaluates no expression per contact.
			contactMapping: 'input',
			options: {},
		},
	});
	const wallMs = performance.now() - started;
	clearInterval(sampler);
	rssPeak = Math.max(rssPeak, process.memoryUsage().rss);

	const stats = await control(sandbox, 'stats');
	const broadcasts = await control(sandbox, 'broadcasts');
	const problems = [];
	if (result.error) problems.push(`campaign: the node failed: ${result.error.message}`);
	if (broadcasts.length !== 1) problems.push(`campaign: ${broadcasts.length} campaigns in DMC, not 1`);
	const held = broadcasts.flatMap((broadcast) => broadcast.contacts.map((contact) => contact.to));
	const distinct = new Set(held);
	const missing = contacts.filter((contact) => !distinct.has(contact.e164)).length;
	const duplicated = held.length - distinct.size;
	if (missing > 0 || duplicated > 0) problems.push(`campaign: ${missing} contact(s) missing, ${duplicated} duplicated`);
	if (broadcasts[0]?.status === 'Edition') problems.push('campaign: not activated');

	const cpuUs = contactFileCpu(domain, contacts);
	const seconds = wallMs / 1000;
	const nodeSeconds = seconds - (3 * IMPORT_STEP_MS) / 1000;
	const unitSeconds = unitSmsPerS > 0 ? CAMPAIGN_CONTACTS / unitSmsPerS : 0;
	const rssMb = (rssPeak - rssBefore) / 1048576;
	const f = (value, digits = 1) => value.toFixed(digits);
	const verdict = (ok) => (ok ? 'ok' : 'MISSED');
	return {
		violations: stats.violations,
		problems,
		rows: [
			[
				'6. Campaign: contacts held by DMC',
				`${distinct.size} of ${CAMPAIGN_CONTACTS}, ${duplicated} twice`,
				'all, once',
				verdict(missing === 0 && duplicated === 0),
			],
			[
				'   calls to activation',
				`${stats.calls} (${stats.violations} violation(s))`,
				`≤ ${TARGETS.calls}`,
				verdict(stats.calls <= TARGETS.calls),
			],
			[
				'   first item → activation',
				`${f(seconds)} s (as unit messages: ${f(unitSeconds, 0)} s)`,
				`≤ ${TARGETS.seconds} s`,
				verdict(seconds <= TARGETS.seconds),
			],
			['   without the simulated import', `${f(nodeSeconds)} s (import ${(3 * IMPORT_STEP_MS) / 1000} s)`, '', ''],
			['   CPU per contact (number + file)', `${f(cpuUs, 2)} µs`, `≤ ${TARGETS.cpuUs}`, verdict(cpuUs <= TARGETS.cpuUs)],
			['   peak RSS growth', `${f(rssMb, 0)} MB`, `≤ ${TARGETS.rssMb}`, verdict(rssMb <= TARGETS.rssMb)],
		],
		line: `campaign_contacts=${distinct.size} campaign_calls=${stats.calls} campaign_s=${f(seconds)} campaign_node_s=${f(nodeSeconds)} campaign_unit_s=${f(unitSeconds, 0)} campaign_cpu_us_per_contact=${f(cpuUs, 2)} campaign_rss_mb=${f(rssMb, 0)}`,
	};
}

/** CPU of the node's own work per contact, best of 3: numbers normalised by Send's rules, the file written. */
function contactFileCpu(domain, contacts) {
	const rules = domain.numberRules('FR', '', 'sms');
	const exclude = domain.prepareExcludeList('', 'FR');
	const inputs = contacts.map(({ to, firstName, lastName }, itemIndex) => ({ itemIndex, to, fields: { firstName, lastName } }));
	let best = Infinity;
	for (let pass = 0; pass < 3; pass++) {
		const before = process.cpuUsage();
		domain.contactFile(inputs, rules, exclude);
		const used = process.cpuUsage(before);
		best = Math.min(best, (used.user + used.system) / inputs.length);
	}
	return best;
}
