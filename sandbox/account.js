'use strict';

/**
 * The sandbox account and the `authenticate` parameter check.
 * The password is compared and then forgotten: it is never stored, logged or echoed.
 */

const { DmcError } = require('./envelope');

const LANGS = ['fr_FR', 'en_GB'];

/** Parse the `authenticate` field; returns an object or null when absent/unparseable. */
function parseAuthenticate(fields) {
	if (!fields.has('authenticate')) return null;
	try {
		const value = JSON.parse(fields.get('authenticate'));
		return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
	} catch {
		return null;
	}
}

/** The serviceId a call claims, whether or not its password is right (used for rate limiting). */
function claimedServiceId(fields) {
	const auth = parseAuthenticate(fields);
	return auth && typeof auth.serviceId === 'string' && auth.serviceId !== '' ? auth.serviceId : '(anonymous)';
}

/**
 * Check the credentials against the configured account.
 * @returns {{ serviceId: string, spaceId: string, lang: 'fr_FR'|'en_GB' }}
 */
function authenticate(fields, account) {
	const auth = parseAuthenticate(fields);
	if (auth === null) {
		throw new DmcError('authentication_failed', 'Paramètre authenticate manquant ou invalide');
	}
	const ok = auth.serviceId === account.serviceId && auth.servicePassword === account.servicePassword && auth.spaceId === account.spaceId;
	if (!ok) {
		throw new DmcError('authentication_failed', "Échec de l'authentification : serviceId, servicePassword ou spaceId incorrect");
	}
	const lang = LANGS.includes(auth.lang) ? auth.lang : 'fr_FR';
	return { serviceId: account.serviceId, spaceId: account.spaceId, lang };
}

module.exports = { authenticate, claimedServiceId };
