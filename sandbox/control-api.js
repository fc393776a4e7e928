'use strict';

/**
 * Test-control JSON API under /_sandbox/ (plain JSON, not DMC envelopes).
 *
 *   GET    /_sandbox/messages   every stored message, oldest first
 *   GET    /_sandbox/broadcasts every broadcast (campaign) with its contacts
 *   GET    /_sandbox/replies    replies and STOPs received so far
 *   GET    /_sandbox/campaigns  every campaign (broadcast) with its contacts as they are now
 *   POST   /_sandbox/replies    a recipient replies: {"messageId":…,"text":"…","at"?:ms}
 *   POST   /_sandbox/settle     a message ends: {"messageId":…,"status":"DONE"|"FAILED","resultCode"?:"CRA_…","at"?:ms}
 *   GET    /_sandbox/stats      call counters and rate-limit figures
 *   GET    /_sandbox/config     the public configuration (never the password)
 *   POST   /_sandbox/config     change live settings: {"reportDelayMs"?:ms,"craPartsCode"?:"braces"|"plain"|"absent"}
 *   POST   /_sandbox/reset      forget messages, replies, stats, rate windows and faults; live settings back to their start values
 *   GET    /_sandbox/faults     faults still pending
 *   POST   /_sandbox/faults     queue a fault spec or an array of them
 *   DELETE /_sandbox/faults     drop pending faults
 *   GET    /_sandbox/push       the push setting: {"url":…|null,"format":"json"|"xml"}
 *   POST   /_sandbox/push       set it: {"url":"http://…/webhook/…","format"?:"xml"}; {"url":null} stops pushing
 */

const { readBody } = require('./request-params');
const { FaultSpecError } = require('./faults');
const { SandboxInputError } = require('./message-store');
const { PushSettingError } = require('./pusher');

function reply(res, status, body) {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json;charset=UTF-8',
		'content-length': Buffer.byteLength(text),
		'cache-control': 'no-store',
	});
	res.end(text);
}

function parseObject(body, example) {
	let value;
	try {
		value = JSON.parse(body);
	} catch {
		value = undefined;
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		return { ok: false, error: `Body must be a JSON object, e.g. ${example}` };
	}
	return { ok: true, value };
}

/** @param {object} sandbox the programmatic Sandbox object */
function createControlApi(sandbox) {
	const routes = {
		'GET /_sandbox/messages': () => [200, sandbox.messages()],
		'GET /_sandbox/broadcasts': () => [200, sandbox.broadcasts()],
		'GET /_sandbox/replies': () => [200, sandbox.replies()],
		'GET /_sandbox/campaigns': () => [200, sandbox.broadcasts()],
		'POST /_sandbox/replies': (body) => {
			const request = parseObject(body, '{"messageId":100001,"text":"Oui"}');
			if (!request.ok) return [400, { error: request.error }];
			const { messageId, text, at } = request.value;
			return [200, sandbox.reply(messageId, text, { at })];
		},
		'POST /_sandbox/settle': (body) => {
			const request = parseObject(body, '{"messageId":100001,"status":"FAILED","resultCode":"CRA_SMS_BLACKLIST"}');
			if (!request.ok) return [400, { error: request.error }];
			const { messageId, ...outcome } = request.value;
			return [200, sandbox.settle(messageId, outcome)];
		},
		'GET /_sandbox/stats': () => [200, sandbox.stats()],
		'GET /_sandbox/config': () => [200, sandbox.config],
		'POST /_sandbox/config': (body) => {
			const request = parseObject(body, '{"reportDelayMs":2000}');
			if (!request.ok) return [400, { error: request.error }];
			try {
				return [200, sandbox.configure(request.value)];
			} catch (error) {
				if (error instanceof TypeError) return [400, { error: error.message }];
				throw error;
			}
		},
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
		'GET /_sandbox/push': () => [200, sandbox.pushSetting()],
		'POST /_sandbox/push': (body) => {
			const request = parseObject(body, '{"url":"http://127.0.0.1:5678/webhook/<id>/push","format":"json"}');
			if (!request.ok) return [400, { error: request.error }];
			return [200, sandbox.setPush(request.value)];
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
			if (error instanceof FaultSpecError || error instanceof SandboxInputError || error instanceof PushSettingError) {
				reply(res, 400, { error: error.message });
				return;
			}
			throw error;
		}
	};
}

module.exports = { createControlApi };
