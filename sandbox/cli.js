#!/usr/bin/env node
'use strict';

/**
 * Start the DMC sandbox from the command line: `node sandbox/cli.js`.
 * Configuration comes from DMC_SANDBOX_* environment variables (see README.md).
 * The first line printed is the sandbox URL.
 */

const { startSandbox, configFromEnv, DEFAULTS } = require('./index');

function printLog(level, message) {
	const time = new Date().toISOString().slice(11, 23);
	const line = `${time} ${level === 'warn' ? 'WARN ' : 'info '} ${message}`;
	if (level === 'warn') console.warn(line);
	else console.log(line);
}

async function main() {
	let options;
	try {
		options = configFromEnv(process.env);
	} catch (error) {
		console.error(`dmc-sandbox: ${error.message}`);
		process.exit(2);
	}
	if (options.port === undefined) options.port = 8787;
	const sandbox = await startSandbox({ ...options, logger: printLog });
	const c = sandbox.config;
	console.log(sandbox.url);
	console.log(`DMC sandbox listening on ${sandbox.url}`);
	console.log(`  inbox:      ${sandbox.url}/`);
	console.log(`  base URL:   ${sandbox.baseUrl}`);
	console.log(`  serviceId:  ${c.serviceId}`);
	console.log(`  spaceId:    ${c.spaceId}`);
	console.log(
		`  password:   ${options.servicePassword === undefined ? `default (${DEFAULTS.servicePassword.length} chars, see sandbox/README.md)` : 'from DMC_SANDBOX_PASSWORD'}`,
	);
	console.log(`  senders:    ${c.senders.join(', ')}`);
	console.log(`  rate limit: ${c.rateLimit} calls / ${c.rateWindowMs} ms per service, mode ${c.rateMode}`);
	const push = sandbox.pushSetting();
	console.log(`  push CRA:   ${push.url === null ? 'off (DMC_SANDBOX_PUSH_URL, or POST /_sandbox/push)' : `${push.url} (${push.format})`}`);
	console.log(
		`  delays:     latency ${c.latencyMs} ms, delivery ${c.deliveryDelayMs} ms, failure ${c.failureDelayMs} ms, reply ${c.replyDelayMs} ms`,
	);

	let stopping = false;
	const stop = (signal) => {
		if (stopping) return;
		stopping = true;
		console.log(`\n${signal}: stopping; ${JSON.stringify(sandbox.stats())}`);
		sandbox.close().then(() => process.exit(0));
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error) => {
	console.error(`dmc-sandbox: ${error.message}`);
	process.exit(1);
});
