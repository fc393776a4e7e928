// The n8n side of `npm run test:queue`: test:n8n's cached n8n and packed package, installed in
// a user folder all processes share, and one main plus workers in queue mode.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { seconds } from '../lib/output.mjs';
import { freePort } from '../lib/ports.mjs';
import { onCleanup, SetupError, stopProcess, waitFor, waitForLine } from '../lib/processes.mjs';
import { buildAndPack, installPackage, node24Env } from '../test-n8n/install.mjs';
import { offlineSettings } from '../test-n8n/n8n.mjs';
import { log, startLogged } from './context.mjs';

/** Builds and packs the repository, then installs the tarball where n8n loads community packages. */
export async function installPackedPackage(layout, workDir, userFolder) {
	const tarball = await buildAndPack(workDir);
	await mkdir(userFolder, { recursive: true });
	await installPackage(layout, userFolder, tarball);
}

/**
 * Queue mode, as the three processes share it: one database, one Redis, one encryption key, one
 * user folder. Each process adds its own ports.
 */
export function sharedSettings({ userFolder, tempDir, postgres, redis }) {
	return {
		...offlineSettings({ userFolder, tempDir, encryptionKey: randomBytes(24).toString('hex') }),
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: '',
		N8N_SECURE_COOKIE: 'false',
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

export async function startMain(layout, settings, logDir) {
	const [port, brokerPort] = [await freePort(), await freePort()];
	const t0 = Date.now();
	const child = startLogged(layout.node, [layout.n8nScript, 'start'], {
		cwd: settings.N8N_USER_FOLDER,
		env: node24Env(layout, { ...settings, N8N_PORT: String(port), N8N_RUNNERS_BROKER_PORT: String(brokerPort) }),
		logFile: join(logDir, 'n8n-main.log'),
	});
	onCleanup(() => stopProcess(child));
	await waitForLine(child, /Editor is now accessible/, { what: 'n8n main', timeoutMs: 3 * 60_000 });
	log(`n8n main ready on 127.0.0.1:${port} (${seconds(Date.now() - t0)})`);
	return { child, url: `http://127.0.0.1:${port}` };
}

/** A worker; `name` only labels its log file. Resolves once its health check says it is ready. */
export async function startWorker(layout, settings, logDir, name, concurrency) {
	const [healthPort, brokerPort] = [await freePort(), await freePort()];
	const t0 = Date.now();
	const child = startLogged(layout.node, [layout.n8nScript, 'worker', `--concurrency=${concurrency}`], {
		cwd: settings.N8N_USER_FOLDER,
		env: node24Env(layout, {
			...settings,
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
			if (child.exitCode !== null || child.signalCode !== null)
				throw new SetupError(`${name} stopped\n${child.output.split('\n').slice(-15).join('\n')}`);
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
