'use strict';

/**
 * The DMC methods the sandbox implements, keyed by "<Service>/<method>".
 * Each handler receives { fields, session, store, config, broadcasts, files } and returns the
 * `response` value of a success envelope, or throws a DmcError.
 * Response shapes follow real DMC answers (see sandbox/README.md).
 */

const { DmcError, invalidParameter } = require('./envelope');
const { jsonField } = require('./request-params');
const { validateMessage, validateBatch } = require('./message-validation');
const { resultText } = require('./result-codes');
const { BROADCAST_METHODS } = require('./broadcast-methods');

const MAX_CRA_IDS = 100;

function requireField(fields, name) {
	const value = jsonField(fields, name);
	if (value === undefined || value === null) {
		throw invalidParameter(`Le paramètre ${name} est requis`);
	}
	return value;
}

function optionalTimestamp(fields, name) {
	const value = jsonField(fields, name);
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'number' || !Number.isFinite(value)) {
		throw invalidParameter(`Le paramètre ${name} doit être un timestamp en millisecondes`);
	}
	return value;
}

function requiredTimestamp(fields, name) {
	const value = optionalTimestamp(fields, name);
	if (value === undefined) throw invalidParameter(`Le paramètre ${name} est requis`);
	return value;
}

function inWindow(time, begin, end) {
	return (begin === undefined || time >= begin) && (end === undefined || time <= end);
}

/**
 * `paging` is not documented precisely; the sandbox accepts
 * {"page": n (0-based), "size"|"pageSize": m} or {"first"|"offset": i, "max"|"limit": m}.
 */
function applyPaging(list, paging) {
	if (paging === undefined || paging === null) return list;
	if (typeof paging !== 'object' || Array.isArray(paging)) {
		throw invalidParameter('Le paramètre paging doit être un objet JSON');
	}
	const size = paging.size ?? paging.pageSize ?? paging.max ?? paging.limit;
	const offset = paging.first ?? paging.offset ?? (paging.page !== undefined && size !== undefined ? paging.page * size : 0);
	if (!Number.isInteger(offset) || offset < 0 || (size !== undefined && (!Number.isInteger(size) || size < 1))) {
		throw invalidParameter('Le paramètre paging est invalide');
	}
	return list.slice(offset, size === undefined ? undefined : offset + size);
}

/** A CRA entry of getSingleCallCra. */
function singleCallCra(message, lang) {
	const final = message.status !== 'RUNNING';
	return {
		messageId: message.id,
		callId: callIdOf(message.id),
		media: message.media,
		status: message.status,
		lastResult: resultText(message.resultCode, lang),
		lastCall: final ? message.statusChangedAt : message.receivedAt,
		statusLastChange: message.statusChangedAt,
		attemps: final ? 1 : 0,
		callResponse: message.reply ? message.reply.text : null,
		to: message.to,
		textMsg: message.text,
		refExt: message.refExt,
	};
}

const PART_WORDS = { fr_FR: 'partie(s)', en_GB: 'part(s)' };

/** `callDetailCode` in the form the sandbox is set to give (see config.js), or undefined. */
function partsCode(parts, form) {
	if (form === 'absent') return undefined;
	return form === 'plain' ? `CRA_PART${parts}` : `CRA_PART{${parts}}`;
}

/** A delivery report of findCraByIds. */
function craByIds(message, session, lang, partsCodeForm) {
	return {
		contactId: message.id,
		spaceId: session.spaceId,
		externalReference: message.refExt,
		creationDate: message.receivedAt,
		phoneNumber1: message.to,
		callAttempts: message.status === 'RUNNING' ? 0 : 1,
		callDate: message.receivedAt,
		statusLastChange: message.statusChangedAt,
		callAdress: message.callAdress,
		callResult: resultText(message.resultCode, lang),
		callResultCode: message.resultCode,
		status: message.status,
		callResponse: message.reply ? message.reply.text : null,
		// Sandbox choice: a voice message has no parts, so no part count.
		callDetail: message.parts === null ? null : `${message.parts} ${PART_WORDS[lang] || PART_WORDS.fr_FR}`,
		callDetailCode: message.parts === null ? null : partsCode(message.parts, partsCodeForm),
	};
}

/** callId is a different number from the message id on the real platform. */
function callIdOf(messageId) {
	return 10000000000000 + messageId;
}

function idList(value, name) {
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value)) throw invalidParameter(`Le paramètre ${name} doit être un tableau JSON`);
	return value;
}

/** A message id as DMC takes it: a number, or its digits. */
function messageIdOf(id, name) {
	const numeric = typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : id;
	if (!Number.isInteger(numeric)) throw invalidParameter(`${name} : identifiant invalide ${JSON.stringify(id)}`);
	return numeric;
}

const METHODS = {
	'MessagesUnitairesWS/addSingleCall': ({ fields, session, store }) => {
		const message = validateMessage(requireField(fields, 'messageUnitaire'));
		return store.add([message], session.serviceId)[0];
	},

	'MessagesUnitairesWS/batchSingleCall': ({ fields, session, store }) => {
		const messages = validateBatch(requireField(fields, 'messageUnitaires'));
		return store.add(messages, session.serviceId);
	},

	'MessagesUnitairesWS/getSingleCallCra': ({ fields, session, store }) => {
		const begin = optionalTimestamp(fields, 'beginDate');
		const end = optionalTimestamp(fields, 'endDate');
		const refExt = jsonField(fields, 'refExt');
		const matching = store
			.inReports()
			.filter((m) => m.serviceId === session.serviceId)
			.filter((m) => inWindow(m.receivedAt, begin, end))
			.filter((m) => refExt === undefined || refExt === null || m.refExt === String(refExt));
		const page = applyPaging(matching, jsonField(fields, 'paging'));
		return { list: page.map((m) => singleCallCra(m, session.lang)), total: matching.length };
	},

	'SupervisionWS/findCraByIds': ({ fields, session, store, config }) => {
		const contactIds = idList(jsonField(fields, 'contactIds'), 'contactIds');
		const extRefs = idList(jsonField(fields, 'contactExtRefs'), 'contactExtRefs');
		if (contactIds.length + extRefs.length === 0) {
			throw invalidParameter('Les paramètres contactIds et contactExtRefs sont vides');
		}
		if (contactIds.length + extRefs.length > MAX_CRA_IDS) {
			throw invalidParameter(`${contactIds.length + extRefs.length} identifiants demandés, ${MAX_CRA_IDS} au maximum`);
		}
		const wantedIds = new Set(contactIds.map((id) => messageIdOf(id, 'contactIds')));
		const wantedRefs = new Set(extRefs.map(String));
		return store
			.inReports()
			.filter((m) => m.serviceId === session.serviceId && (wantedIds.has(m.id) || wantedRefs.has(m.refExt)))
			.map((m) => craByIds(m, session, session.lang, config.craPartsCode));
	},

	'MessagesUnitairesWS/stopSingleCall': ({ fields, session, store }) => {
		const ids = requireField(fields, 'messageIds');
		if (!Array.isArray(ids)) throw invalidParameter('Le paramètre messageIds doit être un tableau JSON');
		return store.stop(
			ids.map((id) => messageIdOf(id, 'messageIds')),
			session.serviceId,
		);
	},

	'SupervisionWS/getResponsesSMS': ({ fields, session, store, broadcasts }) => {
		const stopOnly = jsonField(fields, 'stopOnly');
		if (typeof stopOnly !== 'boolean') {
			throw invalidParameter(stopOnly === undefined ? 'Le paramètre stopOnly est requis' : 'Le paramètre stopOnly doit être true ou false');
		}
		const begin = requiredTimestamp(fields, 'beginDate');
		const end = requiredTimestamp(fields, 'endDate');
		// A campaign contact's reply carries its broadcastId, as real answers show.
		const list = [
			...store.replies().filter((r) => store.get(r.messageId).serviceId === session.serviceId),
			...broadcasts.replies().filter((r) => r.serviceId === session.serviceId),
		]
			.filter((r) => inWindow(r.at, begin, end))
			.filter((r) => !stopOnly || r.stop)
			.sort((a, b) => a.at - b.at)
			.map((r) => ({
				contactId: r.messageId,
				spaceId: session.spaceId,
				...(r.broadcastId === undefined ? {} : { broadcastId: r.broadcastId }),
				callDate: r.at,
				callAdress: r.from,
				callResponse: r.text,
			}));
		return { list, total: list.length };
	},

	'AdminWS/findServiceOadc': ({ config }) => [...config.senders],

	'AdminWS/findSpaces': ({ session, config }) => [{ spaceId: session.spaceId, name: config.spaceName }],

	...BROADCAST_METHODS,
};

function findMethod(name) {
	return Object.prototype.hasOwnProperty.call(METHODS, name) ? METHODS[name] : undefined;
}

function unknownMethod(name) {
	return new DmcError('unknown_method', `Méthode inconnue : ${name}. Méthodes de la sandbox : ${Object.keys(METHODS).join(', ')}`);
}

module.exports = { METHODS, findMethod, unknownMethod, MAX_CRA_IDS };
