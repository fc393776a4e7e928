// What the parts of `npm run test:queue` share: output stamped with the run's elapsed time
// (the password never shown), and long-running processes whose output goes to a log file.
import { createWriteStream } from 'node:fs';
import { createOutput, seconds } from '../lib/output.mjs';
import { startProcess } from '../lib/processes.mjs';
import { ACCOUNT } from '../test-n8n/context.mjs';

const t0 = Date.now();
export const elapsed = () => seconds(Date.now() - t0);

const output = createOutput({ prefix: 'test:queue: ', secrets: [ACCOUNT.servicePassword] });

export function log(message = '') {
	output.say(
		String(message)
			.split('\n')
			.map((line) => `[${elapsed().padStart(7)}] ${line}`)
			.join('\n'),
	);
}

/**
 * Starts a long-running command (scripts/lib/processes.mjs) whose output goes to `logFile`;
 * its end is kept in `child.output`, for waiting on lines and for error reports.
 */
export function startLogged(command, args, { cwd, env, logFile }) {
	const child = startProcess(command, args, { cwd, env });
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
	child.once('close', () => file.end());
	return child;
}
