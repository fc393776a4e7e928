// Child processes of the scripts: each runs in its own process group, so that stopping it
// also stops what it spawned (n8n's task runner, npm's node-gyp). Everything started here,
// and every registered clean-up, is undone on exit and on Ctrl-C / SIGTERM / SIGHUP.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

const MINUTE = 60_000;

/** A failure of the environment (exit 2), as opposed to a failed check (exit 1). */
export class SetupError extends Error {}

export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

const children = new Set();
const cleanups = [];
let cleaningUp;
let interrupted = false;

export const wasInterrupted = () => interrupted;

/** Registers `fn` to run at clean-up, last registered first. */
export function onCleanup(fn) {
	cleanups.push(fn);
}

/** Stops every child still running, then runs the clean-ups; errors are reported, not thrown. */
export function cleanup(report = console.error) {
	cleaningUp ??= (async () => {
		for (const child of children) await stopProcess(child);
		while (cleanups.length > 0) {
			const fn = cleanups.pop();
			try {
				await fn();
			} catch (error) {
				report(`cleanup: ${error.message}`);
			}
		}
	})();
	return cleaningUp;
}

/**
 * On SIGINT, SIGTERM or SIGHUP: clean up, then exit with `exitCode(signal)` (default
 * 128 + the signal's number).
 */
export function exitOnSignals({ report = console.error, exitCode } = {}) {
	for (const [signal, code] of [
		['SIGINT', 130],
		['SIGTERM', 143],
		['SIGHUP', 129],
	]) {
		process.on(signal, () => {
			if (interrupted) return;
			interrupted = true;
			report(`${signal}: stopping and cleaning up`);
			cleanup(report).finally(() => process.exit(exitCode?.(signal) ?? code));
		});
	}
}

function signalGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false; // ESRCH: nothing left in the group
	}
}

const exited = (child) => child.exitCode !== null || child.signalCode !== null;

/** Is a process (not ours, e.g. the one named in a staging folder) still alive? */
export function processAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** Stops a child started by `startProcess` and its process group: SIGTERM, then SIGKILL after 5 s. */
export async function stopProcess(child) {
	if (!child.pid) return;
	if (signalGroup(child.pid, 0)) {
		signalGroup(child.pid, 'SIGTERM');
		for (let waited = 0; waited < 5000 && signalGroup(child.pid, 0); waited += 100) await sleep(100);
		signalGroup(child.pid, 'SIGKILL');
	}
	if (!exited(child)) await new Promise((done) => child.once('close', done));
	children.delete(child);
}

/** SIGKILL to a child's whole group, as a machine crash would do; resolves once it is gone. */
export async function killProcess(child) {
	signalGroup(child.pid, 'SIGKILL');
	if (!exited(child)) await new Promise((done) => child.once('close', done));
	children.delete(child);
}

/** Spawns a command in its own process group (stdout and stderr piped unless `stdio` says otherwise). */
export function startProcess(command, args, options) {
	if (interrupted) throw new SetupError('interrupted');
	const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...options });
	children.add(child);
	child.once('close', () => {
		// Leave nothing of the group behind.
		if (child.pid) signalGroup(child.pid, 'SIGKILL');
		children.delete(child);
	});
	return child;
}

export function describeExit(result) {
	if (result.timedOut) return `timed out after ${Math.round(result.ms / 1000)} s`;
	return result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`;
}

/**
 * Runs a command to completion: { code, signal, stdout, stderr, ms, timedOut }. `logFile`
 * also receives the output (only its end is then kept in memory); `heartbeat(ms, { requests })`
 * returns a line that `report` prints every `heartbeatMs` (requests: npm "http fetch" lines).
 */
export function runProcess(command, args, options = {}) {
	const { cwd, env, timeoutMs = 5 * MINUTE, logFile, heartbeat, heartbeatMs = 30_000, report = console.log } = options;
	return new Promise((done, fail) => {
		const t0 = Date.now();
		const child = startProcess(command, args, { cwd, env });
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		const file = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
		file?.write(`\n$ ${[command, ...args].join(' ')}  (cwd ${cwd})\n`);
		const keep = (text) => (file && text.length > 200_000 ? text.slice(-100_000) : text);
		const progress = { requests: 0 };
		child.stdout.on('data', (chunk) => {
			stdout = keep(stdout + chunk);
			file?.write(chunk);
		});
		child.stderr.on('data', (chunk) => {
			stderr = keep(stderr + chunk);
			progress.requests += String(chunk).match(/ http fetch /g)?.length ?? 0;
			file?.write(chunk);
		});
		const timer = setTimeout(() => {
			timedOut = true;
			void stopProcess(child);
		}, timeoutMs);
		const beat = heartbeat ? setInterval(() => report(heartbeat(Date.now() - t0, progress)), heartbeatMs) : undefined;
		const finish = () => {
			clearTimeout(timer);
			clearInterval(beat);
			file?.end();
		};
		child.once('error', (error) => {
			finish();
			fail(new SetupError(`cannot run ${command}: ${error.message}`));
		});
		child.once('close', (code, signal) => {
			finish();
			done({ code, signal, stdout, stderr, ms: Date.now() - t0, timedOut });
		});
	});
}

/**
 * Runs a command that must succeed; otherwise throws a SetupError naming `what`, with the
 * end of its output passed through `redact`.
 */
export async function mustRun(what, command, args, options = {}) {
	const result = await runProcess(command, args, options);
	if (result.code !== 0) {
		const output = [result.stdout, result.stderr].filter((text) => text.trim()).join('\n');
		const where = options.logFile ? ` (full log: ${options.logFile})` : '';
		const redact = options.redact ?? String;
		const end = redact(output).trimEnd().split('\n').slice(-25).join('\n');
		throw new SetupError(`${what} failed: ${describeExit(result)}${where}\n${end}`);
	}
	return result;
}

/** Polls `probe` until it returns something other than undefined; a SetupError after `timeoutMs`. */
export async function waitFor(what, probe, { timeoutMs = MINUTE, everyMs = 1000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new SetupError(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
		await sleep(everyMs);
	}
}

/**
 * Resolves the first line a child prints on stdout that `match` accepts (a RegExp), or
 * rejects with a SetupError when the child stops first or `timeoutMs` passes.
 */
export function waitForLine(child, match, { what, timeoutMs, redact = String }) {
	return new Promise((done, fail) => {
		let seen = '';
		const onData = (chunk) => {
			seen += chunk;
			const line = seen.split('\n').find((candidate) => match.test(candidate));
			if (line !== undefined) {
				settle();
				done(line.trim());
			}
		};
		const timer = setTimeout(() => {
			settle();
			fail(new SetupError(`${what}: nothing matching ${match} within ${timeoutMs / 1000} s\n${redact(seen).slice(-3000)}`));
		}, timeoutMs);
		const onClose = (code) => {
			settle();
			fail(new SetupError(`${what}: stopped (exit code ${code}) first\n${redact(seen).slice(-3000)}`));
		};
		const settle = () => {
			clearTimeout(timer);
			child.stdout.off('data', onData);
			child.stderr?.off('data', onData);
			child.off('close', onClose);
		};
		child.stdout.setEncoding('utf8');
		child.stderr?.setEncoding('utf8');
		child.stdout.on('data', onData);
		child.stderr?.on('data', onData);
		child.once('close', onClose);
	});
}
