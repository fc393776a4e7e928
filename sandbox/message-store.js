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
 */

const { decideOutcome } = require('./delivery-rules');
const { RUNNING_CODE } = require('./result-codes');

class MessageStore {
	/**
	 * @param {{ now: () => number, firstMessageId: number, senders: string[],
	 *   deliveryDelayMs: number, failureDelayMs: number, replyDelayMs: number }} config
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
				parts: outcome.parts,
				refExt: message.refExt === undefined ? null : message.refExt,
				timeout: message.timeout === undefined ? null : message.timeout,
				receivedAt,
				outcome,
				finalAt,
				replyAt: outcome.reply !== null && finalAt !== null ? finalAt + this.config.replyDelayMs : null,
			};
			this.records.push(record);
			this.byId.set(record.id, record);
			return record.id;
		});
	}

	/** The state of one stored record at time `now`. */
	view(record, now = this.config.now()) {
		const final = record.finalAt !== null && now >= record.finalAt;
		const replied = record.replyAt !== null && now >= record.replyAt;
		return {
			id: record.id,
			serviceId: record.serviceId,
			to: record.to,
			callAdress: record.callAdress,
			from: record.from,
			text: record.text,
			media: record.media,
			parts: record.parts,
			refExt: record.refExt,
			timeout: record.timeout,
			status: final ? record.outcome.status : 'RUNNING',
			resultCode: final ? record.outcome.resultCode : RUNNING_CODE,
			rule: record.outcome.rule,
			receivedAt: record.receivedAt,
			statusChangedAt: final ? record.finalAt : record.receivedAt,
			reply: replied
				? { text: record.outcome.reply, at: record.replyAt, stop: isStop(record.outcome.reply) }
				: null,
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

	byRefExt(refExt) {
		const now = this.config.now();
		return this.records.filter((r) => r.refExt === refExt).map((r) => this.view(r, now));
	}

	/** Replies received so far (oldest first), each tied to the message it answers. */
	replies() {
		const now = this.config.now();
		return this.records
			.filter((r) => r.replyAt !== null && now >= r.replyAt)
			.sort((a, b) => a.replyAt - b.replyAt)
			.map((r) => ({
				messageId: r.id,
				from: r.callAdress,
				text: r.outcome.reply,
				at: r.replyAt,
				stop: isStop(r.outcome.reply),
			}));
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

module.exports = { MessageStore };
