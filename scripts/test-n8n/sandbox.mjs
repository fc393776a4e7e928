// The DMC sandbox as its own process (sandbox/cli.js), with the test account and short
// delivery delays, and its control API.
import { join } from 'node:path';
import { ROOT } from '../lib/paths.mjs';
import { onCleanup, SetupError, startProcess, stopProcess, waitForLine } from '../lib/processes.mjs';
import { ACCOUNT, log, redact } from './context.mjs';
import { baseEnv } from './install.mjs';

/** The guide's minute between two SupervisionWS calls of a service, and a second of margin. */
const SUPERVISION_MINUTE_MS = 61_000;

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
			// The campaign check's import (3 steps) and loading, fast.
			DMC_SANDBOX_IMPORT_STEP_MS: '200',
			DMC_SANDBOX_BROADCAST_LOADING_MS: '200',
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
	// Resets empty the sandbox's counters: what they held is kept here, so the suite can
	// assert DMC's once-a-minute rule over the whole run.
	let earlierViolations = 0;
	let lastSupervisionCallAt = null;
	const remember = (stats) => {
		if (stats.lastSupervisionCallAt !== null && (lastSupervisionCallAt === null || stats.lastSupervisionCallAt > lastSupervisionCallAt))
			lastSupervisionCallAt = stats.lastSupervisionCallAt;
		return stats;
	};
	const post = async (path, body) => {
		if (path === '/_sandbox/reset') earlierViolations += remember(await call('GET', '/_sandbox/stats')).supervisionViolations;
		return call('POST', path, body);
	};
	return {
		url,
		baseUrl: `${url}/DmcWS/1.5.8/JsonService`,
		get: (path) => call('GET', path),
		post,
		/** SupervisionWS calls the sandbox refused or would refuse as too frequent, over the whole run. */
		async supervisionViolations() {
			return earlierViolations + (await call('GET', '/_sandbox/stats')).supervisionViolations;
		},
		/**
		 * Each `n8n execute` is a process of its own, with a gate of its own: before one that may
		 * read reports, wait until DMC's minute since the last SupervisionWS call has passed, as
		 * the gate would inside one process.
		 */
		async waitForSupervisionMinute() {
			remember(await call('GET', '/_sandbox/stats'));
			const left = lastSupervisionCallAt === null ? 0 : lastSupervisionCallAt + SUPERVISION_MINUTE_MS - Date.now();
			if (left <= 0) return;
			log(`waiting ${Math.ceil(left / 1000)} s: DMC's minute since the last SupervisionWS call, before another n8n process reads reports`);
			await new Promise((resolve) => setTimeout(resolve, left));
		},
	};
}
