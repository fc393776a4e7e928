// n8n's command line in a user folder of our own, offline and quiet: one-shot commands
// (import, execute) and the editor server (`n8n start`).
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { seconds, tail } from '../lib/output.mjs';
import { freePort } from '../lib/ports.mjs';
import { describeExit, onCleanup, runProcess, SetupError, startProcess, stopProcess } from '../lib/processes.mjs';
import { log, MINUTE, redact } from './context.mjs';
import { node24Env } from './install.mjs';

/**
 * What every n8n process of the scripts runs with: our user folder, temp folder and encryption
 * key, nothing that calls home, the loopback only. Each use adds its database and ports.
 */
export function offlineSettings({ userFolder, tempDir, encryptionKey }) {
	return {
		// n8n makes folders in the system temp dir (e.g. n8nDataTableUploads): keep them in ours.
		TMPDIR: tempDir,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_LOG_LEVEL: 'info',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
	};
}

/**
 * Runs n8n commands against one user folder and one encryption key (import and execute
 * must share it). `outputs` keeps every command's output, to check it for the password.
 */
export function n8nRunner(layout, userFolder, tempDir) {
	const encryptionKey = randomBytes(24).toString('hex');
	const outputs = [];
	const environment = async (extra = {}) => {
		const [brokerPort, port] = [await freePort(), await freePort()];
		const env = node24Env(layout, {
			...offlineSettings({ userFolder, tempDir, encryptionKey }),
			DB_TYPE: 'sqlite',
			N8N_PORT: String(port),
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			...extra,
		});
		return { env, port };
	};
	return {
		outputs,
		async run(args, timeoutMs = 3 * MINUTE) {
			const { env } = await environment();
			const result = await runProcess(layout.node, [layout.n8nScript, ...args], { cwd: userFolder, env, timeoutMs });
			outputs.push({ args, ...result });
			return result;
		},
		/**
		 * Starts the editor (`n8n start`) on a free port; resolves { url, child, output() }.
		 * The session cookie is not marked Secure, since the browser talks plain http; n8n
		 * trusts one proxy hop (N8N_PROXY_HOPS=1); it reads files only under `filesDir`.
		 */
		async startEditor({ filesDir }) {
			// One proxy hop, as behind a reverse proxy: requests without X-Forwarded-For are
			// unchanged, and the Push Trigger's Allowed Source IPs can be checked through one.
			const { env, port } = await environment({
				N8N_SECURE_COOKIE: 'false',
				N8N_PROXY_HOPS: '1',
				N8N_RESTRICT_FILE_ACCESS_TO: filesDir,
			});
			const child = startProcess(layout.node, [layout.n8nScript, 'start'], { cwd: userFolder, env });
			onCleanup(() => stopProcess(child));
			const entry = { args: ['start'], stdout: '', stderr: '' };
			outputs.push(entry);
			child.stdout.setEncoding('utf8');
			child.stderr.setEncoding('utf8');
			child.stdout.on('data', (chunk) => (entry.stdout += chunk));
			child.stderr.on('data', (chunk) => (entry.stderr += chunk));
			return { url: `http://127.0.0.1:${port}`, child, output: () => redact(entry.stdout + entry.stderr) };
		},
	};
}

/** JSON.parse for the execution data n8n stores (the "flatted" format), with n8n's own copy. */
export function executionDataParser(layout) {
	const requireFromN8n = createRequire(join(layout.n8nPrefix, 'node_modules', 'n8n', 'package.json'));
	return requireFromN8n('flatted').parse;
}

export async function n8nMustRun(n8n, args) {
	const result = await n8n.run(args);
	if (result.code !== 0) {
		throw new SetupError(`n8n ${args.join(' ')} failed: ${describeExit(result)}\n${tail(redact(result.stdout + result.stderr))}`);
	}
	log(`n8n ${args.join(' ')}: ok (${seconds(result.ms)})`);
	return result;
}

/** Where `n8n execute --rawOutput` printed the run data: from the first line `{` to the next line `}`. */
function runDataLines(output) {
	const lines = output.split(/\r?\n/);
	const first = lines.indexOf('{');
	const last = first < 0 ? -1 : lines.indexOf('}', first + 1);
	return { lines, first, last };
}

export function parseRunData(stdout) {
	const { lines, first, last } = runDataLines(stdout);
	if (last < 0) return undefined;
	return JSON.parse(lines.slice(first, last + 1).join('\n'));
}

export function withoutRunData(output) {
	const { lines, first, last } = runDataLines(output);
	if (last < 0) return output;
	return [...lines.slice(0, first), '  (run data)', ...lines.slice(last + 1)].join('\n');
}
