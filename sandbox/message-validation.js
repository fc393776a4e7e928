'use strict';

/**
 * Validation of messageUnitaire objects, before anything is stored.
 * A call with any invalid message stores nothing.
 */

const { DmcError, invalidParameter } = require('./envelope');
const { MEDIAS: SMS_MEDIAS } = require('./sms-parts');
const { VOICE_MEDIA, TTS_VOICES, DEFAULT_TTS_VOICE } = require('./voice-call');

const MEDIAS = [...SMS_MEDIAS, VOICE_MEDIA];

const MAX_BATCH = 20;
const REQUIRED_FIELDS = ['media', 'textMsg', 'to'];

function isMissing(value) {
	return value === undefined || value === null || value === '';
}

function asText(value, field) {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	throw invalidParameter(`Dans l'objet messageUnitaire le paramètre ${field} doit être une chaîne`);
}

/** Validate one messageUnitaire; returns a normalised copy. */
function validateMessage(value) {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		throw invalidParameter("L'objet messageUnitaire doit être un objet JSON");
	}
	for (const field of REQUIRED_FIELDS) {
		if (isMissing(value[field])) {
			throw new DmcError('BEANPARAMETER_REQUIRED', `Dans l'objet messageUnitaire le paramètre ${field} est requis`, {
				invalidParams: true,
			});
		}
	}
	const media = asText(value.media, 'media');
	if (!MEDIAS.includes(media)) {
		throw invalidParameter(`Dans l'objet messageUnitaire le média ${media} n'est pas supporté (sandbox : ${MEDIAS.join(', ')})`);
	}
	const message = { media, textMsg: asText(value.textMsg, 'textMsg'), to: asText(value.to, 'to') };
	if (!isMissing(value.from)) message.from = asText(value.from, 'from');
	if (!isMissing(value.refExt)) message.refExt = asText(value.refExt, 'refExt');
	// Sandbox choice: ttsVoice is checked for a voice message only; an SMS ignores it (a
	// public client sends it with every message).
	if (media === VOICE_MEDIA) message.ttsVoice = ttsVoiceOf(value.ttsVoice);
	if (!isMissing(value.timeout)) {
		const timeout = Number(value.timeout);
		if (!Number.isInteger(timeout) || timeout <= 0) {
			throw invalidParameter("Dans l'objet messageUnitaire le paramètre timeout doit être un entier positif (minutes)");
		}
		message.timeout = timeout;
	}
	return message;
}

function ttsVoiceOf(value) {
	if (isMissing(value)) return DEFAULT_TTS_VOICE;
	const voice = asText(value, 'ttsVoice');
	if (!TTS_VOICES.includes(voice)) {
		throw invalidParameter(`Dans l'objet messageUnitaire la voix ${voice} n'est pas supportée (ttsVoice : ${TTS_VOICES.join(', ')})`);
	}
	return voice;
}

/** Validate the messageUnitaires array of batchSingleCall. */
function validateBatch(value) {
	if (!Array.isArray(value)) {
		throw invalidParameter('Le paramètre messageUnitaires doit être un tableau JSON');
	}
	if (value.length === 0) {
		throw invalidParameter('Le paramètre messageUnitaires est vide');
	}
	if (value.length > MAX_BATCH) {
		throw invalidParameter(`Le paramètre messageUnitaires contient ${value.length} messages, ${MAX_BATCH} au maximum`);
	}
	return value.map(validateMessage);
}

module.exports = { validateMessage, validateBatch, MAX_BATCH };
