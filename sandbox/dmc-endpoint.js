'use strict';

/**
 * One DMC API call, from request to answer:
 *   count it (rate windows, at arrival time) -> read fields -> maybe a fault ->
 *   maybe a rate refusal -> authenticate -> run the method -> wait latency -> answer.
 * Answers are always HTTP 200 DMC envelopes, unless a fault says otherwise.
 */

const { readBody, collectRawFields, jsonField } = require('./request-params');
const { authenticate, claimedServiceId } = require('./account');
const { findMethod, unknownMethod } = require('./dmc-methods');
const { DmcError, successEnvelope, failureEnvelope, envelopeForError } = require('./envelope');
const { UPLOAD_METHOD, readRawBody } = require('./upload');

/**
 * The guide (§2.4): "L'ensemble de ces méthodes est limité à un appel par minute". Read as the
 * strictest it allows: one SupervisionWS call a minute per service, whatever the method.
 */
const isSupervisionMethod = (methodName) => methodName.startsWith('SupervisionWS/');

const HTML_502 =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
	'<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
const GARBAGE = '<!-- DMC --> {"success":tru\u0000e,"respo';

function sendJson(res, body) {
	if (res.destroyed || res.writableEnded) return;
	const text = JSON.stringify(body);
	res.writeHead(200, {
		'content-type': 'application/json;charset=UTF-8',
		'content-length': Buffer.byteLength(text),
		'cache-control': 'no-store',
	});
	res.end(text);
}

/** The upload service answers the stored file's name as plain text (§2.3.1). */
function sendText(res, text) {
	if (res.destroyed || res.writableEnded) return;
	res.writeHead(200, {
		'content-type': 'text/plain;charset=UTF-8',
		'content-length': Buffer.byteLength(text),
		'cache-control': 'no-store',
	});
	res.end(text);
}

/** The upload's multipart fields, as a Map like the JSON methods' (for the service id and the rate window). */
function uploadFields(body) {
	const fields = new Map();
	const serviceId = /name="serviceId"\r\n\r\n([^\r]*)\r\n/.exec(body.subarray(0, 4096).toString('utf8'));
	if (serviceId) fields.set('authenticate', JSON.stringify({ serviceId: serviceId[1] }));
	return fields;
}

/**
 * @param {object} deps { config, store, broadcasts, files, faults, rateWindow, supervisionWindow, stats, log, wait }
 */
function createDmcEndpoint(deps) {
	const { config, store, broadcasts, files, faults, rateWindow, supervisionWindow, stats, log, wait } = deps;

	function runUpload(req, body) {
		try {
			return successEnvelope(files.upload(req.headers['content-type'], body, config));
		} catch (error) {
			if (error instanceof DmcError) return envelopeForError(error);
			log('warn', `internal error in ${UPLOAD_METHOD}: ${error && error.message}`);
			return failureEnvelope('internal_error', 'Erreur interne de la sandbox');
		}
	}

	function runMethod(methodName, fields, violation, tooFrequent, importFailure = null) {
		if (violation && config.rateMode === 'refuse') {
			stats.refused++;
			return failureEnvelope('quota_exceeded', `Trop d'appels : au plus ${config.rateLimit} appels par seconde et par service`);
		}
		if (tooFrequent && config.strictSupervision) {
			stats.refused++;
			stats.refusedTooFrequent++;
			// Our own code and text: the guide does not give DMC's.
			return failureEnvelope(
				'supervision_too_frequent',
				`Appels trop fréquents : les méthodes SupervisionWS acceptent au plus un appel par minute et par service (${methodName} refusé)`,
			);
		}
		try {
			const handler = findMethod(methodName);
			if (!handler) throw unknownMethod(methodName);
			const session = authenticate(fields, config);
			return successEnvelope(handler({ fields, session, store, config, broadcasts, files, importFailure }));
		} catch (error) {
			if (error instanceof DmcError) return envelopeForError(error);
			log('warn', `internal error in ${methodName}: ${error && error.message}`);
			return failureEnvelope('internal_error', 'Erreur interne de la sandbox');
		}
	}

	/** @param envelope the answer DMC had ready, for faults applied after the call was processed */
	async function answerWithFault(fault, req, res, envelope) {
		stats.faultsApplied++;
		if (fault.kind === 'noAnswer') return; // keep the socket open; close() destroys it
		if (fault.kind === 'reset') {
			req.socket.destroy();
			return;
		}
		await wait(config.latencyMs);
		if (res.destroyed || res.writableEnded) return;
		if (fault.kind === 'html502') {
			res.writeHead(502, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(HTML_502) });
			res.end(HTML_502);
		} else if (fault.kind === 'missingIds') {
			sendJson(res, envelope.success ? withoutLastId(envelope) : envelope);
		} else if (fault.kind === 'garbage') {
			res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
			res.end(GARBAGE);
		} else {
			sendJson(res, failureEnvelope(fault.errorCode, fault.errorDetail));
		}
	}

	/**
	 * @param {number} arrival high-resolution arrival time (ms) of the request
	 * @param {string} methodName "<Service>/<method>"
	 */
	return async function handleDmcCall(req, res, url, arrival, methodName) {
		const upload = methodName === UPLOAD_METHOD;
		let body;
		try {
			body = upload ? await readRawBody(req) : await readBody(req);
		} catch {
			return;
		}
		const fields = upload ? uploadFields(body) : collectRawFields(url, req.headers['content-type'], body);
		const service = claimedServiceId(fields);
		stats.countCall(methodName);
		const rate = rateWindow.record(service, arrival);
		if (rate.violation) {
			log(
				'warn',
				`RATE LIMIT: ${methodName} for service "${service}" arrived with ${rate.inWindow} calls in the ` +
					`preceding ${config.rateWindowMs} ms (limit ${config.rateLimit})` +
					(config.rateMode === 'refuse' ? ' - refused' : ' - served anyway (warn mode)'),
			);
		}
		let tooFrequent = false;
		if (isSupervisionMethod(methodName)) {
			// Every arrival counts, refused ones too: the guide speaks of two calls, not two answers.
			tooFrequent = supervisionWindow.record(service, arrival).violation;
			if (tooFrequent) {
				log(
					'warn',
					`SUPERVISION LIMIT: ${methodName} for service "${service}" within ${config.supervisionIntervalMs} ms of its previous SupervisionWS call` +
						(config.strictSupervision ? ' - refused' : ' - served anyway (strictSupervision off)'),
				);
			}
		}

		const taken = faults.take(methodName, recipientsOf(fields));
		// importFailed is no fault of the answer: the call runs and answers as usual, its import fails later.
		const importFailure = taken && taken.kind === 'importFailed' ? taken.errorDetail : null;
		const fault = importFailure === null ? taken : null;
		if (importFailure !== null) stats.faultsApplied++;
		if (fault && !fault.afterStore) {
			log('info', `${req.method} ${methodName} service=${service} -> fault ${fault.kind}`);
			await answerWithFault(fault, req, res);
			return;
		}
		const envelope =
			upload && !(rate.violation && config.rateMode === 'refuse')
				? runUpload(req, body)
				: runMethod(methodName, fields, rate.violation, tooFrequent, importFailure);
		stats.countAnswer(methodName, envelope);
		if (fault) {
			log('info', `${req.method} ${methodName} service=${service} -> processed, then fault ${fault.kind}`);
			await answerWithFault(fault, req, res, envelope);
			return;
		}
		log(
			'info',
			`${req.method} ${methodName} service=${service} -> ` +
				(envelope.success ? 'success' : `${envelope.errorCode}: ${envelope.errorDetail}`),
		);
		await wait(config.latencyMs);
		if (upload && envelope.success) sendText(res, envelope.response);
		else sendJson(res, envelope);
	};
}

/** The numbers a call sends to, as written (for faults aimed at one recipient's call). */
function recipientsOf(fields) {
	let messages;
	try {
		messages = jsonField(fields, 'messageUnitaires') ?? [jsonField(fields, 'messageUnitaire')];
	} catch {
		return [];
	}
	if (!Array.isArray(messages)) return [];
	return messages.filter((m) => m !== null && typeof m === 'object' && typeof m.to === 'string').map((m) => m.to);
}

/** A success answer that lost its last id (or its whole response when that is not a list). */
function withoutLastId(envelope) {
	return { ...envelope, response: Array.isArray(envelope.response) ? envelope.response.slice(0, -1) : null };
}

function unknownPathEnvelope(path) {
	return failureEnvelope('unknown_method', `Chemin inconnu : ${path}. Attendu /DmcWS/<version>/JsonService/<Service>/<méthode>`);
}

module.exports = { createDmcEndpoint, sendJson, unknownPathEnvelope, isSupervisionMethod };
