// `node scripts/bench-exclude.mjs`: the cost of Exclude Numbers with a 100,000-number list.
//
// Prints, does not judge: the time to prepare the list once (normalising every number), then
// the cost per item once it is prepared, as the node pays it: finding the prepared list for
// the item's option value (the same list, a fresh copy of it as an expression may give each
// item, the same text, an equal text built anew) and checking the item's recipients.
// The domain code is bundled with esbuild (scripts/lib/bundle.mjs), libphonenumber-js included.
//
// Options: --numbers=N (100000), --items=N (2000), --recipients=N per item (20).
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadTypeScript } from './lib/bundle.mjs';

const option = (name, fallback) => {
	const flag = process.argv.find((arg) => arg.startsWith(`--${name}=`));
	return flag ? Number(flag.slice(name.length + 3)) : fallback;
};
const NUMBERS = option('numbers', 100_000);
const ITEMS = option('items', 2000);
const RECIPIENTS = option('recipients', 20);

const { ExcludeListCache, normalizeRecipients, numberRules } = await loadTypeScript({
	name: 'bench-exclude',
	source: `export * from './nodes/SfrDmc/domain/excludeList'; export * from './nodes/SfrDmc/domain/recipients';`,
	bundlePackages: true,
});

/** Distinct French mobiles in the formats people use, and a few entries that are no number. */
const formats = [
	(d) => `06${d}`,
	(d) => `+33 6 ${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4, 6)} ${d.slice(6)}`,
	(d) => `06.${d.slice(0, 2)}.${d.slice(2, 4)}.${d.slice(4, 6)}.${d.slice(6)}`,
	(d) => `00336${d}`,
];
const digits = (n) => `1${String((n * 7919) % 10_000_000).padStart(7, '0')}`;
const list = Array.from({ length: NUMBERS }, (_, n) => (n % 1000 === 999 ? `STOP ${n}` : formats[n % formats.length](digits(n))));
const text = list.join('\n');

const rules = numberRules('FR', '', 'sms');
// Half of each item's recipients are on the list (written another way), half are not.
const itemRecipients = Array.from({ length: ITEMS }, (_, i) =>
	normalizeRecipients(
		Array.from({ length: RECIPIENTS }, (_, r) =>
			r % 2 === 0 ? `+336${digits((i * RECIPIENTS + r) % NUMBERS)}` : `078${String(i * RECIPIENTS + r).padStart(7, '0')}`,
		),
		rules,
	),
);
// Distinct objects with the same content, made before timing: n8n's cost, not the lookup's.
const copies = Array.from({ length: 4 }, () => [...list]);
const rebuilt = Array.from({ length: 4 }, () => list.join('\n'));

function perItem(label, cache, valueFor) {
	let excluded = 0;
	const start = performance.now();
	for (let i = 0; i < ITEMS; i++) {
		const prepared = cache.get(valueFor(i), 'FR');
		for (const recipient of itemRecipients[i]) if (prepared.numbers.has(recipient.to)) excluded++;
	}
	const micros = ((performance.now() - start) * 1000) / ITEMS;
	console.log(`  ${label.padEnd(44)} ${micros.toFixed(1).padStart(8)} µs per item (${RECIPIENTS} recipients, ${excluded} excluded)`);
}

console.log(`load average ${loadavg()[0].toFixed(1)} (figures grow with it)`);
for (const [kind, value] of [
	['list', list],
	['text', text],
]) {
	const cache = new ExcludeListCache();
	const start = performance.now();
	const prepared = cache.get(value, 'FR');
	console.log(
		`${NUMBERS} numbers as a ${kind}: prepared once in ${(performance.now() - start).toFixed(0)} ms ` +
			`(${prepared.numbers.size} numbers, ${prepared.ignored.length} entries ignored)`,
	);
	if (kind === 'list') {
		perItem('same list each item', cache, () => list);
		perItem('a fresh copy of the list each item', cache, (i) => copies[i % copies.length]);
	} else {
		perItem('same text each item', cache, () => text);
		perItem('an equal text built anew each item', cache, (i) => rebuilt[i % rebuilt.length]);
	}
}
