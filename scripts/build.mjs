// Builds dist/ as n8n loads it: one CommonJS file per node and credential, with
// libphonenumber-js and its metadata bundled in, so the published package has no runtime
// dependency (n8n's verification requires none). n8n-workflow is n8n's own copy.
// DmcClient is also built on its own, for the scripts that call DMC (scripts/lib/dmc.mjs).
import { build } from 'esbuild';
import { cp, mkdir, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { PKG as pkg, ROOT as root } from './lib/paths.mjs';

const entries = [...pkg.n8n.credentials, ...pkg.n8n.nodes].map((built) => join(root, built.replace(/^dist\//, '').replace(/\.js$/, '.ts')));
const assets = [
	'nodes/SfrDmc/sfrDmc.svg',
	'nodes/SfrDmc/sfrDmc.dark.svg',
	'nodes/SfrDmc/SfrDmcSms.node.json',
	'nodes/SfrDmc/SfrDmcSmsTrigger.node.json',
	'nodes/SfrDmc/SfrDmcTrigger.node.json',
	'nodes/SfrDmc/SfrDmcPushTrigger.node.json',
];

/**
 * The rate limiter's and the supervision gate's registries must be one per process, shared
 * by the SMS node and the triggers, which n8n loads as separate files. So each is built
 * once, as its own file, and each node requires it instead of carrying a copy: Node's
 * module cache then holds one.
 */
const sharedModules = ['nodes/SfrDmc/transport/rateLimiter', 'nodes/SfrDmc/transport/supervisionGate'];
/** Points imports of the shared modules at their built files, relative to the entries' folder `fromDir`. */
const useSharedModules = (fromDir) => ({
	name: 'shared-registries',
	setup(esbuild) {
		esbuild.onResolve({ filter: /\/(rateLimiter|supervisionGate)$/ }, (args) => {
			const resolved = join(args.resolveDir, args.path);
			const shared = sharedModules.find((module) => resolved === join(root, module));
			if (!shared) return undefined;
			const path = relative(join(root, fromDir), join(root, `${shared}.js`));
			return { path: path.startsWith('.') ? path : `./${path}`, external: true };
		});
	},
});
const dmcClient = 'nodes/SfrDmc/transport/DmcClient.ts';

await rm(join(root, 'dist'), { recursive: true, force: true });
const common = {
	outbase: root,
	outdir: join(root, 'dist'),
	bundle: true,
	platform: 'node',
	format: 'cjs',
	target: 'node20',
	external: ['n8n-workflow'],
	logLevel: 'warning',
};
// The gate imports the limiter's types only, so the two shared files stand alone.
await build({ ...common, entryPoints: sharedModules.map((module) => join(root, `${module}.ts`)) });
await build({ ...common, plugins: [useSharedModules('nodes/SfrDmc')], entryPoints: entries });
await build({ ...common, plugins: [useSharedModules(dirname(dmcClient))], entryPoints: [join(root, dmcClient)] });
for (const asset of assets) {
	await mkdir(dirname(join(root, 'dist', asset)), { recursive: true });
	await cp(join(root, asset), join(root, 'dist', asset));
}
console.log(`built ${entries.length} entry points and ${assets.length} assets into dist/`);
