'use strict';

/**
 * Broadcasts (campaigns) and their lifecycle, computed from the clock whenever they are
 * read (every reader calls `advance()` first), so there are no timers and every reader
 * agrees.
 *
 *   Edition --activate--> Chargement en cours (broadcastLoadingMs)
 *     --> Appel/Envoi en cours (inside the planning's slots, between startDate and stopDate)
 *         or Appels suspendus (before startDate, or outside the slots)
 *     --> Terminée (every contact final, or stopDate reached: the rest end CRA_PLANNINGEND)
 *   pause --> Pause, restart --> back; terminate --> Arrêtée (the rest end CRA_BROADCASTTERMINATED)
 *
 * A contact is sent as soon as its broadcast is sending; its outcome follows the unit
 * messages' rules (delivery-rules.js: magic numbers, sender, text, parts), `deliveryDelayMs` or
 * `failureDelayMs` later. `smsLong` off with a text over one part: every contact is
 * rejected CRA_SMS_TOOLONG (the guide: "tous les contacts seront rejetés").
 *
 * An import (importContactBroadcast) goes 0 → 1 → 2 → 3 (or 5 with errDesc), one status
 * every `importStepMs`; its contacts join the broadcast when it reaches 3.
 */

const { decideOutcome } = require('./delivery-rules');
const { isOpen } = require('./planning');
const { readContactFile } = require('./contact-file');

/** The placeholders the sandbox replaces in a broadcast's text (sandbox choice: the `<#…#>` form of unit SMS). */
const PLACEHOLDERS = {
	'contact.prenom': 'firstName',
	'contact.nom': 'lastName',
	'contact.info1': 'info1',
	'contact.info2': 'info2',
	'contact.info3': 'info3',
	'contact.info4': 'info4',
};

const STATUS = {
	edition: ['Edition', 'BR_EDITION'],
	loading: ['Chargement en cours', 'BR_LOADING'],
	running: ['Appel/Envoi en cours', 'BR_RUNNING'],
	suspended: ['Appels suspendus', 'BR_SUSPENDED'],
	paused: ['Pause', 'BR_PAUSED'],
	terminated: ['Arrêtée', 'BR_STOPPED'],
	finished: ['Terminée', 'BR_FINISHED'],
};

class BroadcastStore {
	/** @param {object} config the sandbox's live config (now, delays, senders, import and loading paces) */
	constructor(config) {
		this.config = config;
		this.nextBroadcastId = 61900;
		this.nextContactId = 25434000;
		this.nextImportId = 5100;
		this.broadcasts = new Map();
		this.imports = new Map();
	}

	create(serviceId, settings) {
		const now = this.config.now();
		const broadcast = {
			id: this.nextBroadcastId++,
			serviceId,
			...settings,
			startDate: settings.startDate ?? now,
			stopDate: settings.stopDate ?? (settings.startDate ?? now) + 48 * 3600 * 1000,
			createdAt: now,
			phase: 'edition',
			loadedAt: null,
			endedAt: null,
			contacts: [],
		};
		this.broadcasts.set(broadcast.id, broadcast);
		return broadcast;
	}

	/** The service's broadcast, brought up to `now`, or undefined. */
	get(id, serviceId) {
		const broadcast = this.broadcasts.get(id);
		if (!broadcast || broadcast.serviceId !== serviceId) return undefined;
		this.advance(broadcast);
		return broadcast;
	}

	/** The service's broadcasts (every service's with `all`), brought up to now. */
	list(serviceId, all = false) {
		return [...this.broadcasts.values()].filter((b) => all || b.serviceId === serviceId).map((b) => (this.advance(b), b));
	}

	addContacts(broadcast, contacts) {
		const now = this.config.now();
		return contacts.map((contact) => {
			const stored = {
				...contact,
				contactId: this.nextContactId++,
				broadcastId: broadcast.id,
				createdAt: now,
				sentAt: null,
				outcome: null,
				finalAt: null,
			};
			broadcast.contacts.push(stored);
			return stored;
		});
	}

	/** Starts an import of `file` (failing with `failure` when given); what it will find is decided now, and shows after three steps. */
	startImport(broadcast, fileSource, file, failure = null) {
		const now = this.config.now();
		// An injected importFailed fault: the import fails whatever the file holds.
		const result = failure === null ? readContactFile(file.content) : { ok: false, errDesc: failure };
		const record = {
			id: this.nextImportId++,
			broadcastId: broadcast.id,
			fileName: fileSource,
			fileSize: file.content.length,
			requestedAt: now,
			result,
			applied: false,
		};
		this.imports.set(record.id, record);
		return record;
	}

	/** getImportStatus: the import's status now (and its contacts added once it reaches 3). */
	importStatus(id, serviceId) {
		const record = this.imports.get(id);
		const broadcast = record && this.broadcasts.get(record.broadcastId);
		if (!broadcast || broadcast.serviceId !== serviceId) return undefined;
		this.applyImports(broadcast);
		const step = Math.min(3, Math.floor((this.config.now() - record.requestedAt) / this.config.importStepMs));
		const status = step < 3 ? step : record.result.ok ? 3 : 5;
		return { record, status, doneAt: record.requestedAt + 3 * this.config.importStepMs };
	}

	/** Imports of the broadcast that have not reached 3 or 5 yet: activation must wait for them (§2.3.11). */
	unfinishedImports(broadcast) {
		this.applyImports(broadcast);
		return [...this.imports.values()].filter((record) => record.broadcastId === broadcast.id && !record.applied);
	}

	applyImports(broadcast) {
		const now = this.config.now();
		for (const record of this.imports.values()) {
			if (record.broadcastId !== broadcast.id || record.applied) continue;
			if (now - record.requestedAt < 3 * this.config.importStepMs) continue;
			record.applied = true;
			if (record.result.ok) this.addContacts(broadcast, record.result.contacts);
		}
	}

	activate(broadcast) {
		broadcast.phase = 'active';
		broadcast.loadedAt = this.config.now() + this.config.broadcastLoadingMs;
	}

	/** The status label and code of a broadcast as it is now. */
	status(broadcast) {
		this.advance(broadcast);
		const now = this.config.now();
		if (broadcast.phase !== 'active') return STATUS[broadcast.phase];
		if (now < broadcast.loadedAt) return STATUS.loading;
		return this.sending(broadcast, now) ? STATUS.running : STATUS.suspended;
	}

	sending(broadcast, t) {
		return t >= broadcast.startDate && t < broadcast.stopDate && isOpen(broadcast.planning, t);
	}

	/** Brings a broadcast to the clock: sends its contacts while it may, settles them, ends it. */
	advance(broadcast) {
		const now = this.config.now();
		this.applyImports(broadcast);
		if (broadcast.phase !== 'active' || now < broadcast.loadedAt) return;
		if (now >= broadcast.stopDate) {
			this.cut(broadcast, Math.max(broadcast.stopDate, broadcast.loadedAt), 'CRA_PLANNINGEND');
			broadcast.phase = 'finished';
			return;
		}
		if (this.sending(broadcast, now)) {
			// Sent when sending became possible, not when someone looked: reads do not change the outcome.
			const opened = Math.max(broadcast.loadedAt, broadcast.startDate, broadcast.resumedAt ?? 0);
			const at = isOpen(broadcast.planning, opened) ? opened : now;
			for (const contact of broadcast.contacts) if (contact.sentAt === null) this.send(broadcast, contact, Math.max(at, contact.createdAt));
		}
		const settled = broadcast.contacts.every((contact) => contact.finalAt !== null && contact.finalAt <= now);
		if (settled && broadcast.contacts.every((contact) => contact.sentAt !== null)) {
			broadcast.phase = 'finished';
			broadcast.endedAt = Math.max(broadcast.loadedAt, ...broadcast.contacts.map((c) => c.finalAt));
		}
	}

	send(broadcast, contact, now) {
		const { text, missing } = personalised(broadcast.message.text, contact);
		contact.sentAt = now;
		if (missing.length > 0) {
			contact.outcome = { status: 'FAILED', resultCode: `CRA_MISSINGPARAM{${missing.join(',')}}`, parts: null, reply: null };
		} else {
			contact.outcome = decideOutcome(
				{ to: contact.callAdress, from: broadcast.message.from, textMsg: text, media: broadcast.message.media },
				this.config,
			);
		}
		const delay = contact.outcome.status === 'DONE' ? this.config.deliveryDelayMs : this.config.failureDelayMs;
		contact.finalAt = contact.outcome.status === null ? null : now + delay;
		contact.replyAt = contact.outcome.reply ? contact.finalAt + this.config.replyDelayMs : null;
	}

	/** Ends every contact not final by `at` with `code`. */
	cut(broadcast, at, code) {
		for (const contact of broadcast.contacts) {
			if (contact.finalAt !== null && contact.finalAt <= at) continue;
			contact.sentAt = contact.sentAt ?? at;
			contact.outcome = { status: 'FAILED', resultCode: code, parts: contact.outcome ? contact.outcome.parts : null, reply: null };
			contact.finalAt = at;
			contact.replyAt = null;
		}
		broadcast.endedAt = at;
	}

	pause(broadcast) {
		broadcast.phase = 'paused';
	}

	restart(broadcast) {
		broadcast.phase = 'active';
		broadcast.resumedAt = this.config.now();
	}

	terminate(broadcast) {
		this.cut(broadcast, this.config.now(), 'CRA_BROADCASTTERMINATED');
		broadcast.phase = 'terminated';
	}

	drop(broadcast) {
		this.broadcasts.delete(broadcast.id);
	}

	/** A contact's report state now: RUNNING until its outcome shows. */
	contactState(contact) {
		const now = this.config.now();
		const final = contact.finalAt !== null && now >= contact.finalAt;
		return {
			status: final ? contact.outcome.status : 'RUNNING',
			resultCode: final ? contact.outcome.resultCode : contact.sentAt === null ? null : 'CRA_SMS_SUBMITTED',
			statusLastChange: final ? contact.finalAt : (contact.sentAt ?? contact.createdAt),
			callDate: contact.sentAt,
			parts: contact.outcome ? contact.outcome.parts : null,
			reply: contact.replyAt !== null && contact.replyAt !== undefined && now >= contact.replyAt ? contact.outcome.reply : null,
		};
	}

	/**
	 * The contacts already sent, as the pusher reads unit messages (id, number, reference,
	 * status, result, instants), each with its broadcast's id: DMC pushes a campaign's
	 * reports as it pushes unit messages', `broadcast_id` telling them apart.
	 */
	sentContacts() {
		return this.list(null, true).flatMap((broadcast) =>
			broadcast.contacts
				.filter((contact) => contact.sentAt !== null)
				.map((contact) => {
					const state = this.contactState(contact);
					return {
						id: contact.contactId,
						broadcastId: broadcast.id,
						serviceId: broadcast.serviceId,
						callAdress: contact.callAdress,
						refExt: contact.externalReference,
						receivedAt: contact.sentAt,
						status: state.status,
						resultCode: state.resultCode,
						statusChangedAt: state.statusLastChange,
					};
				}),
		);
	}

	/** Replies of campaign contacts received so far (oldest first), as the message store lists replies, with their broadcast. */
	replies() {
		const now = this.config.now();
		return this.list(null, true)
			.flatMap((broadcast) =>
				broadcast.contacts
					.filter((contact) => contact.replyAt !== null && contact.replyAt !== undefined && now >= contact.replyAt)
					.map((contact) => ({
						messageId: contact.contactId,
						broadcastId: broadcast.id,
						serviceId: broadcast.serviceId,
						from: contact.callAdress,
						text: contact.outcome.reply,
						at: contact.replyAt,
						stop: /^\s*stop\b/i.test(contact.outcome.reply),
					})),
			)
			.sort((a, b) => a.at - b.at);
	}

	get size() {
		return this.broadcasts.size;
	}

	reset() {
		this.broadcasts.clear();
		this.imports.clear();
	}
}

/** The text a contact receives, and the placeholders it has no value for. */
function personalised(text, contact) {
	const missing = [];
	const filled = text.replace(/<#(contact\.[a-z0-9]+)#>/g, (placeholder, name) => {
		const field = PLACEHOLDERS[name];
		if (!field) return placeholder;
		const value = contact[field];
		if (value === null || value === undefined || value === '') {
			missing.push(name);
			return '';
		}
		return value;
	});
	return { text: filled, missing };
}

module.exports = { BroadcastStore, STATUS, personalised };
