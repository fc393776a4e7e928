// The bench's settings: each a flag (--items=N) or an environment variable (BENCH_ITEMS);
// see the top of scripts/bench.mjs. A bad value or an unknown flag ends the run (exit 2).

/** Reads every setting; `log` says what is wrong before the run ends. */
export function readSettings(log) {
	const setting = (flag, env, fallback) => {
		const prefix = `--${flag}=`;
		const arg = process.argv.slice(2).find((a) => a.startsWith(prefix));
		const raw = arg ? arg.slice(prefix.length) : process.env[env];
		if (raw === undefined || raw === '') return fallback;
		const value = Number(raw);
		if (!Number.isInteger(value) || value < 0) {
			log(`bench: --${flag} / ${env} must be a whole number, not ${JSON.stringify(raw)}`);
			process.exit(2);
		}
		return value;
	};

	const unknownFlags = process.argv
		.slice(2)
		.filter((a) => !/^--(items|latency|baseline|load-items|load-rate|cpu-recipients|cold-runs|seed|mixed-items)=/.test(a));
	if (unknownFlags.length > 0) {
		log(`bench: unknown argument(s) ${unknownFlags.join(' ')} (see the top of scripts/bench.mjs)`);
		process.exit(2);
	}

	const ITEMS = Math.max(1, setting('items', 'BENCH_ITEMS', 1000));
	const LATENCY_MS = setting('latency', 'BENCH_LATENCY_MS', 80);
	const BASELINE_SAMPLE = Math.max(10, setting('baseline', 'BENCH_BASELINE', 100));
	const LOAD_ITEMS = Math.max(1, setting('load-items', 'BENCH_LOAD_ITEMS', 10_000));
	const LOAD_RATE = Math.max(1, setting('load-rate', 'BENCH_LOAD_RATE', 100));
	const CPU_RECIPIENTS = Math.max(1000, setting('cpu-recipients', 'BENCH_CPU_RECIPIENTS', 100_000));
	const COLD_RUNS = Math.max(1, setting('cold-runs', 'BENCH_COLD_RUNS', 7));
	const SEED = setting('seed', 'BENCH_SEED', 6);
	const MIXED_ITEMS = Math.max(1, setting('mixed-items', 'BENCH_MIXED_ITEMS', 1000));
	return { ITEMS, LATENCY_MS, BASELINE_SAMPLE, LOAD_ITEMS, LOAD_RATE, CPU_RECIPIENTS, COLD_RUNS, SEED, MIXED_ITEMS };
}
