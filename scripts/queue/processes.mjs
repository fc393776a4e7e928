// Processes, ports, logging and cleanup for `npm run test:queue`. Kept in this one module so
// that it can later give way to a shared scripts/lib without touching the rest.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';

export const MINUTE = 60_000;
const t0 = Date.now();

export const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
export const elapsed = () => seconds(Date.now() - t0);
export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

export function log(message = '') {
	for (const line of String(message).split('\n')) console.log(`test:queue: [${elapsed().padStart(7)}] ${line}`);
}

/** A failure of the environment (exit 2), as opposed to a failed check (exit 1). */
export class SetupError extends Error {}

const cleanups = [];
const children = new Set();
let cleaningUp;
let interrupted = false;

/** Registers what to undo at the end; undone in reverse order, after every child is stopped. */
export function onCleanup(fn) {
	cleanups.push(fn);
}

export function cleanup() {
	// In reverse order, so that n8n stops before the database and queue it uses.
	cleaningUp ??= (async () => {
		while (cleanups.length > 0) {
			const fn = cleanups.pop();
			try {
				await fn();
			} catch (error) {
				log(`cleanup: ${error.message}`);
			}
		}
		await Promise.all([...children].map((child) => stopProcess(child)));
	})();
	return cleaningUp;
}

export function stopOnSignals() {
	for (const [signal, code] of [
		['SIGINT', 130],
		['SIGTERM', 143],
		['SIGHUP', 129],
	]) {
		process.on(signal, () => {
			if (interrupted) return;
			interrupted = true;
			log(`${signal}: stopping everything this run started`);
			cleanup().finally(() => process.exit(code));
		});
	}
}

export const isInterrupted = () => interrupted;
const exited = (child) => child.exitCode !== null || child.signalCode !== null;

function signalGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false; // nothing left in the group
	}
}

/** Stops a child and whatever it spawned (its process group): SIGTERM, then SIGKILL after `graceMs`. */
export async function stopProcess(child, graceMs = 8000) {
	if (!child.pid) return;
	if (signalGroup(child.pid, 0)) {
		signalGroup(child.pid, 'SIGTERM');
		for (let waited = 0; waited < graceMs && signalGroup(child.pid, 0); waited += 100) await sleep(100);
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

/**
 * Spawns a long-running command in its own process group; its output goes to `logFile` and
 * is kept in `child.output` (the end of it) for waiting on lines and for error reports.
 */
export function startProcess(command, args, { cwd, env, logFile }) {
	if (interrupted) throw new SetupError('interrupted');
	const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	children.add(child);
	const file = createWriteStream(logFile, { flags: 'a' });
	child.output = '';
	const keep = (chunk) => {
		file.write(chunk);
		child.output += chunk;
		if (child.output.length > 400_000) child.output = child.output.slice(-200_000);
	};
	child.stdout.on('data', keep);
	child.stderr.on('data', keep);
	child.once('error', (error) => keep(`\ncannot start ${command}: ${error.message}\n`));
	child.once('close', () => {
		signalGroup(child.pid, 'SIGKILL'); // e.g. n8n's task runner
		children.delete(child);
		file.end();
	});
	return child;
}

/** Runs a command to completion: { code, signal, stdout, stderr }. */
export function run(command, args, { cwd, env, timeoutMs = 2 * MINUTE, input } = {}) {
	return new Promise((done, fail) => {
		const child = spawn(command, args, { cwd, env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], detached: true });
		children.add(child);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		if (input !== undefined) {
			child.stdin.on('error', () => undefined); // a command may exit without reading it all
			child.stdin.end(input);
		}
		const timer = setTimeout(() => stopProcess(child, 1000), timeoutMs);
		child.once('error', (error) => {
			clearTimeout(timer);
			fail(new SetupError(`cannot run ${command}: ${error.message}`));
		});
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			children.delete(child);
			done({ code, signal, stdout, stderr });
		});
	});
}

/** Runs a command that must succeed; a SetupError with the end of its output otherwise. */
export async function mustRun(what, command, args, options) {
	const result = await run(command, args, options);
	if (result.code !== 0) {
		const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-20).join('\n');
		throw new SetupError(`${what} failed (${result.signal ?? `exit code ${result.code}`})\n${output}`);
	}
	return result;
}

/** Resolves when `pattern` appears in the child's output; fails if it exits or after `timeoutMs`. */
export async function waitForOutput(child, pattern, what, timeoutMs = MINUTE) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (pattern.test(child.output)) return;
		const tail = () => child.output.trimEnd().split('\n').slice(-15).join('\n');
		if (exited(child)) throw new SetupError(`${what} stopped (${child.signalCode ?? `exit code ${child.exitCode}`}) before it was ready\n${tail()}`);
		if (Date.now() > deadline) throw new SetupError(`${what} was not ready within ${seconds(timeoutMs)}\n${tail()}`);
		await sleep(200);
	}
}

/** Ports handed out in this run, so that two asks before anything listens never collide. */
const handedOut = new Set();

export async function freePort() {
	for (;;) {
		const port = await new Promise((done, fail) => {
			const server = createServer();
			server.unref();
			server.once('error', fail);
			server.listen(0, '127.0.0.1', () => {
				const { port: bound } = server.address();
				server.close(() => done(bound));
			});
		});
		if (!handedOut.has(port)) {
			handedOut.add(port);
			return port;
		}
	}
}

/** Polls `probe` until it returns a value other than undefined; fails after `timeoutMs`. */
export async function waitFor(what, probe, { timeoutMs = MINUTE, everyMs = 1000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new SetupError(`timed out after ${seconds(timeoutMs)} waiting for ${what}`);
		await sleep(everyMs);
	}
}
