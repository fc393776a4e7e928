// TypeScript the scripts run without a compile step: esbuild bundles it into .tmp/, the
// script requires the bundle, and the file is removed again.
import { build } from 'esbuild';
import { mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './paths.mjs';

const require = createRequire(import.meta.url);

/** The harness that runs nodes and workflows in n8n-core: its one entry point. */
export const HARNESS_ENTRY = join(ROOT, 'harness', 'index.ts');

/**
 * Bundles and loads TypeScript. `entry` is a file, or `source` is module text resolved from
 * the repository root. With `bundlePackages`, dependencies are bundled in (as the published
 * package ships them) except `external`; otherwise they are loaded from node_modules.
 */
export async function loadTypeScript({ name, entry, source, bundlePackages = false, external = [] }) {
	const outfile = join(ROOT, '.tmp', `${name}-${process.pid}.cjs`);
	await mkdir(join(ROOT, '.tmp'), { recursive: true });
	await build({
		...(entry ? { entryPoints: [entry] } : { stdin: { contents: source, resolveDir: ROOT, sourcefile: `${name}.ts`, loader: 'ts' } }),
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		...(bundlePackages ? { external } : { packages: 'external' }),
		outfile,
		logLevel: 'warning',
	});
	try {
		return require(outfile);
	} finally {
		await rm(outfile, { force: true });
	}
}

/** The harness (runNode, runWorkflow, testCredential, …). */
export function loadHarness() {
	return loadTypeScript({ name: 'harness', entry: HARNESS_ENTRY });
}
