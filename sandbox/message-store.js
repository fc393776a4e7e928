'use strict';

/**
 * Accepted messages and their delivery lifecycle.
 *
 * A message is RUNNING when stored. Its outcome (decided once, at storage, by
 * delivery-rules) takes effect `deliveryDelayMs` (DONE) or `failureDelayMs`
 * (FAILED) later; a reply, if any, arrives `replyDelayMs` after delivery.
 * The lifecycle is computed from the clock whenever a message is read, so there
 * are no timers to leak and every reader sees the same state.
 *
 * Message ids keep increasing across reset(), so an id is never reused.
 *
 * DMC may list a message in its reports a little after taking it: a message shows in
 * reports (`inReports`) only `reportDelayMs` after it was stored. The control API and
 * the inbox see it at once.
 *
 * stop() ends RUNNING messages as stopSingleCall does; finished ones cannot be taken back.
 *
 * Tests can also act as the network and the phones: settle() gives a message its final
 * outcome at a chosen instant, reply() adds a reply from its recipient at a chosen instant.
 */

const { decideOutcome } = require('./delivery-rules');
const { RUNNING_CODE, STOPPED_CODE } = require('./result-codes');

/** A settle() or reply() call the sandbox cannot honour (the control API answers 400). */
class SandboxInputError extends Error {}

const FINAL_STATUSES = ['DONE', 'FAILED'];
const DEFAULT_FINAL_CODES = { DONE: 'CRA_SMS_RECEIVED', FAILED: 'CRA_SMS_REJECTED' };

class MessageStore {
	/**
	 * @param {{ now: () => number, firstMessageId: number, senders: string[],
	 *   deliveryDelayMs: number, failureDelayMs: number, replyDelayMs: number,
	 *   reportDelayMs: number }} config read at each call, so live setting changes apply
	 */
	constructor(config) {
		this.config = config;
		this.nextId = config.firstMessageId;
		this.records = [];
		this.byId = new Map();
	}

	/** Store validated messages (all of them) and return their ids in input order. */
	add(messages, serviceId) {
		const receivedAt = this.config.now();
		return messages.map((message) => {
			const outcome = decideOutcome(message, this.config);
			const delay = outcome.status === 'DONE' ? this.config.deliveryDelayMs : this.config.failureDelayMs;
			const finalAt = outcome.status === null ? null : receivedAt + delay;
			const record = {
				id: this.nextId++,
				serviceId,
				to: message.to,
				callAdress: outcome.callAdress,
				from: message.from === undefined || message.from === '' ? null : message.from,
				text: message.textMsg,
				media: message.media,
				ttsVoice: message.ttsVoice === undefined ? null : message.ttsVoice,
				parts: outcome.parts,
				refExt: message.refExt === undefined ? null : message.refExt,
				timeout: message.timeout === undefined ? null : message.timeout,
				receivedAt,
				outcome,
				finalAt,
				replyAt: outcome.reply !== null && finalAt !== null ? finalAt + this.config.replyDelayMs : null,
				/** Replies added with reply(): { text, at }. */
				extraReplies: [],
				stoppedAt: null,
			};
			this.records.push(record);
			this.byId.set(record.id, record);
			return record.id;
		});
	}

	/** The replies of one record received by `now`, oldest first (the scheduled one first on a tie). */
	visibleReplies(record, now) {
		const replies = [];
		if (record.replyAt !== null && now >= record.replyAt) replies.push({ text: record.outcome.reply, at: record.replyAt });
		for (const extra of record.extraReplies) if (now >= extra.at) replies.push(extra);
		return replies.sort((a, b) => a.at - b.at);
	}

	/** The state of one stored record at time `now`. */
	view(record, now = this.config.now()) {
		const final = record.finalAt !== null && now >= record.finalAt;
		const latest = this.visibleReplies(record, now).at(-1);
		return {
			id: record.id,
			serviceId: record.serviceId,
			to: record.to,
			callAdress: record.callAdress,
			from: record.from,
			text: record.text,
			media: record.media,
			ttsVoice: record.ttsVoice,
			parts: record.parts,
			refExt: record.refExt,
			timeout: record.timeout,
			status: final ? record.outcome.status : 'RUNNING',
			resultCode: final ? record.outcome.resultCode : RUNNING_CODE,
			rule: record.outcome.rule,
			receivedAt: record.receivedAt,
			statusChangedAt: final ? record.finalAt : record.receivedAt,
			stopped: record.stoppedAt !== null && now >= record.stoppedAt,
			reply: latest ? { text: latest.text, at: latest.at, stop: isStop(latest.text) } : null,
		};
	}

	/** All messages, oldest first, as they are now. */
	list() {
		const now = this.config.now();
		return this.records.map((record) => this.view(record, now));
	}

	get(id) {
		const record = this.byId.get(id);
		return record ? this.view(record) : undefined;
	}

	/** The messages DMC's reports list by now, oldest first (see reportDelayMs). */
	inReports() {
		const now = this.config.now();
		const listedBy = now - (this.config.reportDelayMs || 0);
		return this.records.filter((r) => r.receivedAt <= listedBy).map((r) => this.view(r, now));
	}

	/**
	 * Stops the RUNNING messages among `ids` that belong to `serviceId`, as stopSingleCall:
	 * they end FAILED with STOPPED_CODE now. Unknown, foreign and finished ids are left alone.
	 * @returns {number} how many were stopped
	 */
	stop(ids, serviceId) {
		const now = this.config.now();
		let stopped = 0;
		for (const id of new Set(ids)) {
			const record = this.byId.get(id);
			if (!record || record.serviceId !== serviceId || this.view(record, now).status !== 'RUNNING') continue;
			record.outcome = { ...record.outcome, status: 'FAILED', resultCode: STOPPED_CODE, reply: null, rule: 'stopped by stopSingleCall' };
			record.finalAt = now;
			record.replyAt = null;
			record.stoppedAt = now;
			stopped++;
		}
		return stopped;
	}

	/** Replies received so far (oldest first), each tied to the message it answers. */
	replies() {
		const now = this.config.now();
		return this.records
			.flatMap((r) =>
				this.visibleReplies(r, now).map((reply) => ({
					messageId: r.id,
					from: r.callAdress,
					text: reply.text,
					at: reply.at,
					stop: isStop(reply.text),
				})),
			)
			.sort((a, b) => a.at - b.at);
	}

	/**
	 * Gives a message its final outcome, taking effect at `at` (default now): what the
	 * network reports, whenever the test wants it. A scheduled reply (magic numbers) then
	 * follows `replyDelayMs` after a DONE, and is dropped by a FAILED.
	 * @param {number} id
	 * @param {{ status: 'DONE'|'FAILED', resultCode?: string, at?: number }} outcome
	 */
	settle(id, outcome) {
		const record = this.recordFor(id);
		if (outcome === null || typeof outcome !== 'object') throw new SandboxInputError('settle needs { status, resultCode?, at? }');
		const { status } = outcome;
		if (!FINAL_STATUSES.includes(status)) throw new SandboxInputError(`status must be DONE or FAILED, not ${JSON.stringify(status)}`);
		const resultCode = outcome.resultCode === undefined ? DEFAULT_FINAL_CODES[status] : outcome.resultCode;
		if (typeof resultCode !== 'string' || !/^CRA_[A-Z0-9_]+$/.test(resultCode)) {
			throw new SandboxInputError(`resultCode must be a CRA code such as CRA_SMS_BLACKLIST, not ${JSON.stringify(resultCode)}`);
		}
		const at = this.instant(outcome.at);
		const reply = status === 'DONE' ? record.outcome.reply : null;
		record.outcome = { ...record.outcome, status, resultCode, reply, rule: `settled by the test: ${status} ${resultCode}` };
		record.finalAt = at;
		record.replyAt = reply === null ? null : at + this.config.replyDelayMs;
		record.stoppedAt = null;
		return this.view(record);
	}

	/**
	 * A reply from the message's recipient, received at `at` (default now). Any text; one
	 * starting with STOP is a STOP request. Several replies to one message are fine.
	 * @param {number} id
	 * @param {string} text
	 * @param {{ at?: number }} [options]
	 */
	reply(id, text, options = {}) {
		const record = this.recordFor(id);
		if (typeof text !== 'string' || text === '') throw new SandboxInputError('A reply needs a non-empty text');
		const at = this.instant(options === null || typeof options !== 'object' ? undefined : options.at);
		record.extraReplies.push({ text, at });
		return { messageId: record.id, from: record.callAdress, text, at, stop: isStop(text) };
	}

	recordFor(id) {
		const record = this.byId.get(typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : id);
		if (!record) throw new SandboxInputError(`No message with id ${JSON.stringify(id)}`);
		return record;
	}

	instant(at) {
		if (at === undefined) return this.config.now();
		if (typeof at !== 'number' || !Number.isFinite(at)) throw new SandboxInputError('at must be a millisecond timestamp');
		return at;
	}

	get size() {
		return this.records.length;
	}

	reset() {
		this.records = [];
		this.byId.clear();
	}
}

function isStop(text) {
	return typeof text === 'string' && /^\s*stop\b/i.test(text);
}

module.exports = { MessageStore, SandboxInputError };
