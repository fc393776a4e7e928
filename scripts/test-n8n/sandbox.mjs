// The DMC sandbox as its own process (sandbox/cli.js), with the test account and short
// delivery delays, and its control API.
import { join } from 'node:path';
import { ROOT } from '../lib/paths.mjs';
import { onCleanup, SetupError, startProcess, stopProcess, waitForLine } from '../lib/processes.mjs';
import { ACCOUNT, log, redact } from './context.mjs';
import { baseEnv } from './install.mjs';

/** `settings`: more DMC_SANDBOX_ variables (e.g. its rate mode). */
export async function startSandbox(settings = {}) {
	const child = startProcess(process.execPath, [join(ROOT, 'sandbox', 'cli.js')], {
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
			...settings,
		},
	});
	onCleanup(() => stopProcess(child));
	// Its first line is its URL.
	const url = await waitForLine(child, /^http:\/\/127\.0\.0\.1:\d+\s*$/, { what: 'the sandbox', timeoutMs: 15_000, redact });
	log(`sandbox listening on ${url}`);
	const call = async (method, path, body) => {
		const response = await fetch(`${url}${path}`, {
			method,
			headers: body ? { 'content-type': 'application/json' } : undefined,
			body: body ? JSON.stringify(body) : undefined,
		});
		if (!response.ok) throw new SetupError(`${method} ${path} on the sandbox: HTTP ${response.status}`);
		return response.json();
	};
	return {
		url,
		baseUrl: `${url}/DmcWS/1.5.8/JsonService`,
		get: (path) => call('GET', path),
		post: (path, body) => call('POST', path, body),
	};
}
