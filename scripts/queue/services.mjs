// Debian's Redis and PostgreSQL, each started by this run on a free 127.0.0.1 port in a
// temporary folder, and stopped by it.
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { seconds } from '../lib/output.mjs';
import { freePort } from '../lib/ports.mjs';
import { mustRun, onCleanup, runProcess, SetupError, stopProcess, waitFor, waitForLine } from '../lib/processes.mjs';
import { log, startLogged } from './context.mjs';

const POSTGRES_ROOT = '/usr/lib/postgresql';
export const DATABASE = 'n8n';
const DB_USER = 'postgres';

function postgresBin() {
	if (!existsSync(POSTGRES_ROOT)) return undefined;
	const versions = readdirSync(POSTGRES_ROOT)
		.filter((entry) => existsSync(join(POSTGRES_ROOT, entry, 'bin', 'pg_ctl')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length > 0 ? join(POSTGRES_ROOT, versions[0], 'bin') : undefined;
}

/** Installs Debian's redis-server and postgresql when missing (as .ci/run does for chromium). */
export async function ensureServices(env) {
	const missing = [];
	if (!existsSync('/usr/bin/redis-server')) missing.push('redis-server');
	if (!postgresBin()) missing.push('postgresql');
	if (missing.length === 0) return;
	if (userInfo().uid !== 0) throw new SetupError(`${missing.join(' and ')} missing: install them (apt-get install ${missing.join(' ')})`);
	const t0 = Date.now();
	log(`installing Debian ${missing.join(' and ')} (apt-get)`);
	const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
	await mustRun('apt-get update', 'apt-get', ['update', '-qq'], { env: aptEnv, timeoutMs: 5 * 60_000 });
	await mustRun(`apt-get install ${missing.join(' ')}`, 'apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
		env: aptEnv,
		timeoutMs: 10 * 60_000,
	});
	// Debian's postinst may start its own services: this run uses its own, so stop theirs.
	// (A container may have no `service` command: then nothing was started either.)
	for (const service of ['redis-server', 'postgresql'])
		await runProcess('service', [service, 'stop'], { env: aptEnv }).catch(() => undefined);
	log(`installed ${missing.join(' and ')} in ${seconds(Date.now() - t0)}`);
}

export async function startRedis(workDir, logDir, env) {
	const port = await freePort();
	const dir = join(workDir, 'redis');
	await mkdir(dir);
	const child = startLogged(
		'/usr/bin/redis-server',
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes'],
		{ cwd: dir, env, logFile: join(logDir, 'redis.log') },
	);
	onCleanup(() => stopProcess(child));
	await waitForLine(child, /Ready to accept connections/, { what: 'redis-server', timeoutMs: 30_000 });
	log(`redis-server on 127.0.0.1:${port}`);
	return { host: '127.0.0.1', port };
}

/** `postgres` runs as its own user: a data folder it owns, commands through runuser. */
export async function startPostgres(workDir, env) {
	const bin = postgresBin();
	const dir = join(workDir, 'postgres');
	const data = join(dir, 'data');
	await mkdir(dir);
	const { uid, gid } = await postgresIds();
	await chown(dir, uid, gid);
	await chmod(workDir, 0o711); // postgres must reach its folder inside ours
	const asPostgres = (what, tool, args, timeoutMs = 2 * 60_000) =>
		mustRun(what, 'runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { cwd: dir, env, timeoutMs });

	const t0 = Date.now();
	await asPostgres('initdb', 'initdb', ['-D', data, '-U', DB_USER, '--auth=trust', '--encoding=UTF8', '--no-sync']);
	const port = await freePort();
	// A throw-away cluster: durability settings off, for speed.
	const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
	await asPostgres('pg_ctl start', 'pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'postgres.log'), '-w', '-t', '60', 'start']);
	onCleanup(async () => {
		await runProcess('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop'], {
			cwd: dir,
			env,
			timeoutMs: 60_000,
		});
	});
	await asPostgres('createdb', 'createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', DB_USER, DATABASE]);
	log(`postgres (${bin.split('/').at(-2)}) on 127.0.0.1:${port} in ${seconds(Date.now() - t0)}`);

	/** Runs one SQL query that returns one JSON value (psql prints it as one unaligned field). */
	const queryJson = async (sql) => {
		const psql = ['-h', '127.0.0.1', '-p', String(port), '-U', DB_USER, '-d', DATABASE, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1'];
		const result = await mustRun('psql', join(bin, 'psql'), [...psql, '-c', `select coalesce((${sql}), 'null'::json)`], {
			env,
			timeoutMs: 60_000,
		});
		return JSON.parse(result.stdout);
	};
	return { host: '127.0.0.1', port, database: DATABASE, user: DB_USER, queryJson };
}

async function postgresIds() {
	const result = await runProcess('id', ['postgres']);
	const uid = Number(/uid=(\d+)/.exec(result.stdout)?.[1]);
	const gid = Number(/gid=(\d+)/.exec(result.stdout)?.[1]);
	if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new SetupError('there is no user "postgres" (is postgresql installed?)');
	return { uid, gid };
}

/** Waits until a query answers, e.g. once the n8n tables exist. */
export const waitForQuery = (db, what, sql, accept, options) =>
	waitFor(
		what,
		async () => {
			try {
				const value = await db.queryJson(sql);
				return accept(value) ? value : undefined;
			} catch {
				return undefined;
			}
		},
		options,
	);
