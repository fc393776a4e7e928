'use strict';

/**
 * BroadcastWS, PlanningWS and the campaign side of SupervisionWS (§2.2–§2.4), keyed like
 * dmc-methods.js. Handlers get { fields, session, config, broadcasts, files }.
 * Shapes follow the guide's JSON examples; what the guide leaves open is marked
 * "sandbox choice" here and in README.md.
 */

const { DmcError, invalidParameter } = require('./envelope');
const { jsonField } = require('./request-params');
const { resultText } = require('./result-codes');
const { findPlanning, planningList } = require('./planning');
const { e164Of } = require('./contact-file');
const { SMS_SCENARIO, SCENARIOS, customizableNodesOf } = require('./scenarios');

const MAX_CONTACTS_PER_CALL = 100;
const MAX_CRA_PER_CALL = 50;

function required(fields, name) {
	const value = jsonField(fields, name);
	if (value === undefined || value === null || value === '') throw invalidParameter(`Le paramètre ${name} est requis`);
	return value;
}

/** An id as DMC takes it: a number or its digits (the guide's examples quote them). */
function idOf(value, name) {
	const id = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
	if (!Number.isInteger(id)) throw invalidParameter(`${name} : identifiant invalide ${JSON.stringify(value)}`);
	return id;
}

function optionalDate(value, name) {
	if (value === undefined || value === null) return undefined;
	const date = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
	if (typeof date !== 'number' || !Number.isFinite(date)) throw invalidParameter(`${name} doit être un timestamp en millisecondes`);
	return date;
}

function broadcastOf(context, value = required(context.fields, 'broadcastId')) {
	const broadcast = context.broadcasts.get(idOf(value, 'broadcastId'), context.session.serviceId);
	if (!broadcast) throw new DmcError('no_broadcast_found', `Diffusion ${JSON.stringify(value)} introuvable`);
	return broadcast;
}

/** pause/restart/terminate/drop take `broadcastId` as a list (§2.3.13). */
function broadcastsOfList(context) {
	const ids = required(context.fields, 'broadcastId');
	if (!Array.isArray(ids) || ids.length === 0) throw invalidParameter('Le paramètre broadcastId doit être une liste de diffusions');
	return ids.map((id) => broadcastOf(context, id));
}

function inEdition(context, broadcast) {
	if (context.broadcasts.status(broadcast)[0] !== 'Edition') {
		throw new DmcError('broadcast_not_editable', `La diffusion ${broadcast.id} n'est plus en cours d'édition`);
	}
}

/** The broadcast object of getBroadcast, activateBroadcast and the lists. */
function broadcastView(context, broadcast) {
	const [status, statusCode] = context.broadcasts.status(broadcast);
	const states = broadcast.contacts.map((contact) => context.broadcasts.contactState(contact));
	return {
		broadcastName: broadcast.name,
		broadcastId: broadcast.id,
		priority: broadcast.priority,
		startDate: broadcast.startDate,
		stopDate: broadcast.stopDate,
		scenarioName: broadcast.scenario.scenarioName,
		scenarioId: broadcast.scenario.scenarioId,
		callPlanningId: broadcast.planning.planningId,
		callPlanningName: broadcast.planning.planningName,
		maxSimultaneousContact: 0,
		status,
		statusCode,
		succeededContactNumber: states.filter((s) => s.status === 'DONE').length,
		failedContactNumber: states.filter((s) => s.status === 'FAILED').length,
		runningContactNumber: states.filter((s) => s.status === 'RUNNING').length,
		endedContactNumber: states.filter((s) => s.status !== 'RUNNING').length,
		totalContactNumber: broadcast.contacts.length,
		broadcastOrigin: 'WS',
		spreading: false,
	};
}

/** A per-contact report (the CRA object, §5.2.7). */
function craOf(context, contact) {
	const state = context.broadcasts.contactState(contact);
	const lang = context.session.lang;
	return {
		contactId: contact.contactId,
		spaceId: context.session.spaceId,
		broadcastId: contact.broadcastId,
		externalReference: contact.externalReference,
		firstName: contact.firstName,
		lastName: contact.lastName,
		phoneNumber1: contact.phoneNumber1,
		creationDate: contact.createdAt,
		callAttempts: contact.sentAt === null ? 0 : 1,
		callDate: state.callDate,
		statusLastChange: state.statusLastChange,
		callAdress: contact.callAdress,
		callResult: state.resultCode === null ? null : resultText(state.resultCode, lang),
		callResultCode: state.resultCode,
		status: state.status,
		callResponse: state.reply,
		callDetail: state.parts === null ? null : `${state.parts} partie(s)`,
		callDetailCode: state.parts === null ? null : `CRA_PART{${state.parts}}`,
		callDuration: 0,
	};
}

/** createBroadcast's message for the scenario's one customizable node. */
function messageOf(context, scenario) {
	const messages = required(context.fields, 'customizableMessage');
	if (!Array.isArray(messages) || messages.length !== 1) {
		throw invalidParameter('customizableMessage doit être une liste avec un message par partie personnalisable');
	}
	const [message] = messages;
	const node = customizableNodesOf(scenario).find((n) => n.customizableId === idOf(message.customizableId, 'customizableId'));
	if (!node)
		throw invalidParameter(`customizableId ${JSON.stringify(message.customizableId)} n'appartient pas au scénario ${scenario.scenarioId}`);
	const multimediaType = idOf(message.multimediaType, 'multimediaType');
	if (multimediaType !== node.multimediaType) {
		throw invalidParameter(
			`multimediaType ${multimediaType} ne convient pas à la partie ${node.customizableId} (attendu ${node.multimediaType})`,
		);
	}
	if (typeof message.text !== 'string' || message.text === '' || message.text.length > 4000) {
		throw invalidParameter('text est requis (au plus 4000 caractères)');
	}
	const flag = (name) => message[name] === true || message[name] === 'true';
	const voice = node.typeNode === 'voice_script';
	const media = voice ? 'Vocal' : `${flag('smsUnicode') ? 'SMSUnicode' : 'SMS'}${flag('smsLong') ? 'Long' : ''}`;
	const from = message.messageFrom === undefined || message.messageFrom === null ? undefined : String(message.messageFrom);
	return { customizableId: node.customizableId, multimediaType, text: message.text, from, media, smsLong: flag('smsLong') };
}

const METHODS = {
	'PlanningWS/findPlanning': () => planningList(),

	'BroadcastWS/findScenarii': ({ fields }) => {
		const pattern = jsonField(fields, 'namePattern');
		if (pattern === undefined || pattern === null || pattern === '') return SCENARIOS.map(({ nodes, ...scenario }) => scenario);
		const like = new RegExp(
			`^${String(pattern)
				.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
				.replace(/%/g, '.*')
				.replace(/_/g, '.')}$`,
			'i',
		);
		return SCENARIOS.filter((s) => like.test(s.scenarioName)).map(({ nodes, ...scenario }) => scenario);
	},

	'BroadcastWS/findCustomizableNodes': ({ fields }) => {
		const id = idOf(required(fields, 'scenarioId'), 'scenarioId');
		const scenario = SCENARIOS.find((s) => s.scenarioId === id);
		if (!scenario) throw new DmcError('no_scenario_found', `Scénario ${id} introuvable`);
		return customizableNodesOf(scenario).map(({ multimediaType, ...node }) => node);
	},

	'BroadcastWS/createBroadcast': (context) => {
		const settings = required(context.fields, 'broadcast');
		if (typeof settings !== 'object' || Array.isArray(settings)) throw invalidParameter('broadcast doit être un objet JSON');
		const name = settings.broadcastName;
		if (typeof name !== 'string' || name.trim() === '' || name.length > 255)
			throw invalidParameter('broadcastName est requis (au plus 255 caractères)');
		const scenario = SCENARIOS.find((s) => s.scenarioId === idOf(settings.scenarioId, 'scenarioId'));
		if (!scenario) throw new DmcError('no_scenario_found', `Scénario ${JSON.stringify(settings.scenarioId)} introuvable`);
		const planning = findPlanning(idOf(settings.callPlanningId, 'callPlanningId'));
		if (!planning) throw new DmcError('no_planning_found', `Planning ${JSON.stringify(settings.callPlanningId)} introuvable`);
		const startDate = optionalDate(settings.startDate, 'startDate');
		const stopDate = optionalDate(settings.stopDate, 'stopDate');
		if (startDate !== undefined && stopDate !== undefined && stopDate <= startDate)
			throw invalidParameter('stopDate doit suivre startDate');
		const priority = settings.priority === undefined ? 2 : Number(settings.priority);
		if (![1, 2, 4].includes(priority)) throw invalidParameter('priority vaut 1, 2 ou 4');
		const message = messageOf(context, scenario);
		const broadcast = context.broadcasts.create(context.session.serviceId, {
			name,
			scenario,
			planning,
			startDate,
			stopDate,
			priority,
			message,
		});
		const {
			status,
			statusCode,
			succeededContactNumber,
			failedContactNumber,
			runningContactNumber,
			endedContactNumber,
			totalContactNumber,
			...created
		} = broadcastView(context, broadcast);
		return created;
	},

	'BroadcastWS/getBroadcast': (context) => broadcastView(context, broadcastOf(context)),

	'BroadcastWS/findEditingBroadcast': (context) => {
		const list = context.broadcasts
			.list(context.session.serviceId)
			.filter((b) => context.broadcasts.status(b)[0] === 'Edition')
			.map((b) => broadcastView(context, b));
		return { list, total: list.length };
	},

	'BroadcastWS/addContactToBroadcast': (context) => {
		const broadcast = broadcastOf(context);
		inEdition(context, broadcast);
		const contacts = required(context.fields, 'contact');
		if (!Array.isArray(contacts) || contacts.length === 0) throw invalidParameter('contact doit être une liste de contacts');
		if (contacts.length > MAX_CONTACTS_PER_CALL) {
			throw invalidParameter(`${contacts.length} contacts : au plus ${MAX_CONTACTS_PER_CALL} par appel`);
		}
		const read = contacts.map((contact, index) => {
			const phone = typeof contact.phoneNumber1 === 'string' && contact.phoneNumber1.length <= 15 ? e164Of(contact.phoneNumber1, '') : null;
			if (phone === null) throw invalidParameter(`Contact ${index + 1} : phoneNumber1 invalide ${JSON.stringify(contact.phoneNumber1)}`);
			const text = (name) => (typeof contact[name] === 'string' && contact[name] !== '' ? contact[name] : null);
			return {
				phoneNumber1: contact.phoneNumber1,
				callAdress: phone,
				firstName: text('firstName'),
				lastName: text('lastName'),
				externalReference: text('externalReference'),
				info1: text('info1'),
				info2: text('info2'),
				info3: text('info3'),
				info4: text('info4'),
			};
		});
		return context.broadcasts
			.addContacts(broadcast, read)
			.map((c) => ({ firstName: c.firstName, lastName: c.lastName, saved: true, contactId: c.contactId }));
	},

	'BroadcastWS/importContactBroadcast': (context) => {
		const broadcast = broadcastOf(context);
		inEdition(context, broadcast);
		const fileSource = String(required(context.fields, 'fileSource'));
		const file = context.files.get(fileSource, context.session.serviceId);
		if (!file)
			throw new DmcError('no_file_found', `Fichier ${JSON.stringify(fileSource)} introuvable : téléchargez-le d'abord (uploadService)`);
		return context.broadcasts.startImport(broadcast, fileSource, file, context.importFailure).id;
	},

	'BroadcastWS/getImportStatus': (context) => {
		const id = idOf(required(context.fields, 'idImport'), 'idImport');
		const found = context.broadcasts.importStatus(id, context.session.serviceId);
		if (!found) throw new DmcError('no_import_found', `Import ${id} introuvable`);
		const { record, status, doneAt } = found;
		const answer = {
			contactImportId: record.id,
			broadcast: record.broadcastId,
			status,
			fileName: record.fileName,
			dateCre: record.requestedAt,
		};
		answer.dateMod = status >= 3 ? doneAt : record.requestedAt + status * context.config.importStepMs;
		if (status === 3) Object.assign(answer, { fileSize: record.fileSize, nbImported: record.result.contacts.length });
		if (status === 5) answer.errDesc = record.result.errDesc;
		return answer;
	},

	'BroadcastWS/activateBroadcast': (context) => {
		const broadcast = broadcastOf(context);
		inEdition(context, broadcast);
		if (context.broadcasts.unfinishedImports(broadcast).length > 0) {
			throw new DmcError('import_in_progress', "Un import de contacts n'est pas terminé : vérifiez-le avec getImportStatus");
		}
		if (broadcast.contacts.length === 0) throw new DmcError('no_contact', 'La diffusion ne contient aucun contact');
		context.broadcasts.activate(broadcast);
		return broadcastView(context, broadcast);
	},

	'BroadcastWS/updateBroadcast': (context) => {
		const broadcast = broadcastOf(context);
		const values = required(context.fields, 'valuesToChange');
		if (typeof values !== 'object' || Array.isArray(values)) throw invalidParameter('valuesToChange doit être un objet JSON');
		const now = context.config.now();
		const [status] = context.broadcasts.status(broadcast);
		if (['Terminée', 'Arrêtée'].includes(status)) return false;
		const start = optionalDate(values.brStart, 'brStart');
		const stop = optionalDate(values.brStop, 'brStop');
		// The guide: the start date changes only while it has not passed.
		if (start !== undefined && broadcast.startDate <= now) return false;
		if ((stop ?? broadcast.stopDate) <= (start ?? broadcast.startDate)) return false;
		if (values.planningId !== undefined) {
			const planning = findPlanning(idOf(values.planningId, 'planningId'));
			if (!planning) return false;
			broadcast.planning = planning;
		}
		if (values.priority !== undefined) {
			if (![1, 2, 4].includes(Number(values.priority))) return false;
			broadcast.priority = Number(values.priority);
		}
		if (start !== undefined) broadcast.startDate = start;
		if (stop !== undefined) broadcast.stopDate = stop;
		return true;
	},

	// The guide's example answers {"success":true} with no response: so does the sandbox.
	'BroadcastWS/pauseBroadcast': (context) => control(context, ['Appel/Envoi en cours', 'Appels suspendus', 'Chargement en cours'], 'pause'),
	'BroadcastWS/restartBroadcast': (context) => control(context, ['Pause'], 'restart'),
	'BroadcastWS/terminateBroadcast': (context) =>
		control(context, ['Appel/Envoi en cours', 'Appels suspendus', 'Chargement en cours', 'Pause'], 'terminate'),
	// Sandbox choice: a broadcast is dropped only in Edition or once over, never while it sends.
	'BroadcastWS/dropBroadcast': (context) => control(context, ['Edition', 'Terminée', 'Arrêtée'], 'drop'),

	'SupervisionWS/getBroadcastDetail': (context) => broadcastView(context, broadcastOf(context)),

	'SupervisionWS/findBroadcastStatus': (context) => {
		const list = context.broadcasts
			.list(context.session.serviceId)
			.filter((b) => context.broadcasts.status(b)[0] !== 'Edition')
			.map((b) => broadcastView(context, b));
		return { list, total: list.length };
	},

	'SupervisionWS/findBroadcastCra': (context) => {
		const list = broadcastOf(context).contacts.map((contact) => craOf(context, contact));
		return { list, total: list.length };
	},

	'SupervisionWS/findLastModifiedCra': (context) => {
		const broadcast = broadcastOf(context);
		const since = optionalDate(required(context.fields, 'dSince'), 'dSince');
		const idSinceField = jsonField(context.fields, 'idSince');
		const idSince = idSinceField === undefined || idSinceField === null ? undefined : idOf(idSinceField, 'idSince');
		const sizeField = jsonField(context.fields, 'taille');
		const size = sizeField === undefined || sizeField === null ? MAX_CRA_PER_CALL : idOf(sizeField, 'taille');
		if (size < 1 || size > MAX_CRA_PER_CALL) throw invalidParameter(`taille vaut de 1 à ${MAX_CRA_PER_CALL}`);
		return broadcast.contacts
			.map((contact) => craOf(context, contact))
			.filter((cra) =>
				idSince === undefined
					? cra.statusLastChange >= since
					: cra.statusLastChange > since || (cra.statusLastChange === since && cra.contactId > idSince),
			)
			.sort((a, b) => a.statusLastChange - b.statusLastChange || a.contactId - b.contactId)
			.slice(0, size);
	},

	'SupervisionWS/findCraNumber': (context) => {
		const counts = new Map();
		for (const contact of broadcastOf(context).contacts) {
			const code = context.broadcasts.contactState(contact).resultCode ?? 'CRA_SMS_SUBMITTED';
			counts.set(code, (counts.get(code) || 0) + 1);
		}
		return [...counts].map(([codeResult, nb]) => ({ label: resultText(codeResult, context.session.lang), codeResult, nb }));
	},
};

function control(context, allowed, action) {
	const broadcasts = broadcastsOfList(context);
	for (const broadcast of broadcasts) {
		const [status] = context.broadcasts.status(broadcast);
		if (!allowed.includes(status)) {
			throw new DmcError('invalid_broadcast_state', `${action} impossible : la diffusion ${broadcast.id} est « ${status} »`);
		}
	}
	for (const broadcast of broadcasts) context.broadcasts[action](broadcast);
	return undefined;
}

module.exports = { BROADCAST_METHODS: METHODS, MAX_CONTACTS_PER_CALL, MAX_CRA_PER_CALL, SMS_SCENARIO };
