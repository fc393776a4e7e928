// The bench's DMC sandboxes, in a process of their own (DMC is another machine), and their
// control API.
import { ROOT } from '../lib/paths.mjs';
import { onCleanup, startProcess, stopProcess, waitForLine } from '../lib/processes.mjs';

const SANDBOX_HOST = `
const { startSandbox } = require('./sandbox');
const specs = JSON.parse(process.env.BENCH_SANDBOXES);
(async () => {
	const out = {};
	for (const [name, options] of Object.entries(specs)) {
		const sandbox = await startSandbox({ ...options, logger: () => undefined });
		out[name] = { url: sandbox.url, baseUrl: sandbox.baseUrl };
	}
	process.stdout.write(JSON.stringify(out) + '\\n');
	process.stdin.on('end', () => process.exit(0));
	process.stdin.resume();
})().catch((error) => { console.error(error); process.exit(1); });
`;

export async function startSandboxHost(specs) {
	const child = startProcess(process.execPath, ['-e', SANDBOX_HOST], {
		cwd: ROOT,
		env: { ...process.env, BENCH_SANDBOXES: JSON.stringify(specs) },
		stdio: ['pipe', 'pipe', 'inherit'],
	});
	onCleanup(() => stopProcess(child));
	const line = await waitForLine(child, /^\{/, { what: 'the sandbox process', timeoutMs: 30_000 });
	return JSON.parse(line);
}

export async function control(sandbox, path) {
	const response = await fetch(`${sandbox.url}/_sandbox/${path}`);
	if (!response.ok) throw new Error(`bench: sandbox ${path} answered HTTP ${response.status}`);
	return await response.json();
}
