// Builds dist/ as n8n loads it: one CommonJS file per node and credential, with
// libphonenumber-js and its metadata bundled in, so the published package has no runtime
// dependency (n8n's verification requires none). n8n-workflow is n8n's own copy.
import { build } from 'esbuild';
import { cp, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const entries = [...pkg.n8n.credentials, ...pkg.n8n.nodes].map((built) =>
	join(root, built.replace(/^dist\//, '').replace(/\.js$/, '.ts')),
);
const assets = [
	'nodes/SfrDmc/sfrDmc.svg',
	'nodes/SfrDmc/sfrDmc.dark.svg',
	'nodes/SfrDmc/SfrDmcSms.node.json',
	'nodes/SfrDmc/SfrDmcTrigger.node.json',
	'nodes/SfrDmc/SfrDmcPushTrigger.node.json',
];

/**
 * The rate limiter's registry must be one per process, shared by the SMS node and the
 * trigger, which n8n loads as two files. So it is built once, as its own file, and each
 * node requires it instead of carrying a copy: Node's module cache then holds one.
 */
const sharedLimiter = 'nodes/SfrDmc/transport/rateLimiter';
const useSharedLimiter = {
	name: 'shared-rate-limiter',
	setup(esbuild) {
		esbuild.onResolve({ filter: /\/rateLimiter$/ }, (args) => {
			const resolved = join(args.resolveDir, args.path);
			if (resolved !== join(root, sharedLimiter)) return undefined;
			return { path: './transport/rateLimiter.js', external: true };
		});
	},
};

await rm(join(root, 'dist'), { recursive: true, force: true });
const common = { outbase: root, outdir: join(root, 'dist'), bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['n8n-workflow'], logLevel: 'warning' };
await build({ ...common, entryPoints: [join(root, `${sharedLimiter}.ts`)] });
await build({
	...common,
	plugins: [useSharedLimiter],
	entryPoints: entries,
});
for (const asset of assets) {
	await mkdir(dirname(join(root, 'dist', asset)), { recursive: true });
	await cp(join(root, asset), join(root, 'dist', asset));
}
console.log(`built ${entries.length} entry points and ${assets.length} assets into dist/`);
