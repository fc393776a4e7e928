'use strict';

/**
 * Test-control JSON API under /_sandbox/ (plain JSON, not DMC envelopes).
 *
 *   GET    /_sandbox/messages   every stored message, oldest first
 *   GET    /_sandbox/replies    replies and STOPs received so far
 *   GET    /_sandbox/stats      call counters and rate-limit figures
 *   GET    /_sandbox/config     the public configuration (never the password)
 *   POST   /_sandbox/reset      forget messages, replies, stats, rate windows and faults
 *   GET    /_sandbox/faults     faults still pending
 *   POST   /_sandbox/faults     queue a fault spec or an array of them
 *   DELETE /_sandbox/faults     drop pending faults
 */

const { readBody } = require('./request-params');
const { FaultSpecError } = require('./faults');

function reply(res, status, body) {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json;charset=UTF-8',
		'content-length': Buffer.byteLength(text),
		'cache-control': 'no-store',
	});
	res.end(text);
}

/** @param {object} sandbox the programmatic Sandbox object */
function createControlApi(sandbox) {
	const routes = {
		'GET /_sandbox/messages': () => [200, sandbox.messages()],
		'GET /_sandbox/replies': () => [200, sandbox.replies()],
		'GET /_sandbox/stats': () => [200, sandbox.stats()],
		'GET /_sandbox/config': () => [200, sandbox.config],
		'POST /_sandbox/reset': () => {
			sandbox.reset();
			return [200, { ok: true }];
		},
		'GET /_sandbox/faults': () => [200, sandbox.pendingFaults()],
		'POST /_sandbox/faults': (body) => {
			let spec;
			try {
				spec = JSON.parse(body);
			} catch {
				return [400, { error: 'Body must be JSON, e.g. {"kind":"html502","count":1}' }];
			}
			sandbox.injectFaults(spec);
			return [200, { ok: true, pending: sandbox.pendingFaults() }];
		},
		'DELETE /_sandbox/faults': () => {
			sandbox.clearFaults();
			return [200, { ok: true }];
		},
	};
	const paths = new Set(Object.keys(routes).map((key) => key.split(' ')[1]));

	return async function handleControl(req, res, url) {
		const route = routes[`${req.method} ${url.pathname}`];
		if (!route) {
			const known = paths.has(url.pathname);
			reply(res, known ? 405 : 404, { error: known ? 'Method not allowed' : 'Unknown sandbox endpoint' });
			return;
		}
		let body = '';
		try {
			body = await readBody(req);
		} catch {
			return;
		}
		try {
			const [status, result] = route(body);
			reply(res, status, result);
		} catch (error) {
			if (error instanceof FaultSpecError) {
				reply(res, 400, { error: error.message });
				return;
			}
			throw error;
		}
	};
}

module.exports = { createControlApi };
