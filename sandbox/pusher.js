'use strict';

/**
 * Push CRA: like DMC, the sandbox POSTs each status change and each reply to a push URL,
 * in JSON or XML. The store computes states from the clock, so a pump looks every
 * `intervalMs` for events that became visible and pushes each once, in order, one POST
 * per event. `flush()` runs the pump now and waits for its POSTs (tests use it).
 */

const { PUSH_FORMATS, messageEvents, pushEntry, pushBody } = require('./push-format');

class PushSettingError extends Error {}

/** Checks a push setting; returns it normalised. */
function checkPushSetting({ url, format }) {
	if (url !== null && url !== undefined && url !== '') {
		let parsed;
		try {
			parsed = new URL(url);
		} catch {
			throw new PushSettingError('push url must be an http(s) URL, or null to stop pushing');
		}
		if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new PushSettingError('push url must be an http(s) URL');
	}
	const chosen = format === undefined ? 'json' : format;
	if (!PUSH_FORMATS.includes(chosen)) throw new PushSettingError(`push format must be one of ${PUSH_FORMATS.join(', ')}`);
	return { url: url === undefined || url === '' ? null : url, format: chosen };
}

/**
 * @param {{ store: object, account: { serviceId: string, spaceId: string }, log: Function,
 *   url?: string|null, format?: string, intervalMs?: number }} options
 */
function createPusher({ store, account, log, url = null, format = 'json', intervalMs = 200 }) {
	let setting = checkPushSetting({ url, format });
	const pushed = new Set();
	const stats = { sent: 0, failed: 0, lastStatus: null };
	let chain = Promise.resolve();
	let timer = null;

	async function post(entry) {
		const { body, contentType } = pushBody([entry], account.serviceId, setting.format);
		try {
			const response = await fetch(setting.url, {
				method: 'POST',
				headers: { 'content-type': contentType },
				body,
				signal: AbortSignal.timeout(5000),
			});
			await response.arrayBuffer();
			stats.sent++;
			stats.lastStatus = response.status;
			log(response.ok ? 'info' : 'warn', `push ${entry.status} of message ${entry.contact_id}: HTTP ${response.status}`);
		} catch (error) {
			stats.failed++;
			stats.lastStatus = null;
			log('warn', `push ${entry.status} of message ${entry.contact_id} failed: ${error.message}`);
		}
	}

	/** Every message with its events so far. */
	function visibleEvents() {
		const replies = new Map();
		for (const reply of store.replies()) {
			if (!replies.has(reply.messageId)) replies.set(reply.messageId, []);
			replies.get(reply.messageId).push(reply);
		}
		return store.list().map((message) => ({ message, events: messageEvents(message, replies.get(message.id) || []) }));
	}

	/** Queues the POSTs of the events that became visible; returns when they are done. */
	function pump() {
		if (setting.url === null) return chain;
		for (const { message, events } of visibleEvents()) {
			events.forEach((event, index) => {
				if (pushed.has(event.key)) return;
				pushed.add(event.key);
				const entry = pushEntry(message, events, index, account);
				chain = chain.then(() => post(entry));
			});
		}
		return chain;
	}

	function start() {
		if (timer === null && setting.url !== null) {
			timer = setInterval(pump, intervalMs);
			timer.unref();
		}
	}

	function stop() {
		if (timer !== null) clearInterval(timer);
		timer = null;
	}

	start();
	return {
		setting: () => ({ ...setting }),
		/** Changes the push URL or format. Like DMC, a new URL gets only the events from now on. */
		configure(next) {
			const checked = checkPushSetting({ format: setting.format, ...next });
			if (checked.url !== setting.url) for (const { events } of visibleEvents()) for (const event of events) pushed.add(event.key);
			setting = checked;
			stop();
			start();
			return { ...setting };
		},
		flush: () => pump(),
		stats: () => ({ ...stats }),
		close() {
			stop();
			return chain;
		},
	};
}

module.exports = { createPusher, checkPushSetting, PushSettingError };
