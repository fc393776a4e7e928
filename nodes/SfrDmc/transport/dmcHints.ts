/**
 * What to tell a user whose DMC set-up is wrong, shared by the credential test and the
 * nodes' errors so both point at the same field. Kept free of imports: the credential is
 * built as a file of its own, and must not pull the client or the shared rate limiter in.
 */

/** SFR's production JSON service; the credential's default and the nodes' fallback. */
export const DEFAULT_BASE_URL = 'https://www.dmc.sfr-sh.fr/DmcWS/1.5.8/JsonService';

export const BASE_URL_HINT = `Check the API Base URL of the SFR DMC credential: it ends in /JsonService (SFR's is ${DEFAULT_BASE_URL}).`;

export const LOGIN_HINT = 'Check the Service ID, Service Password and Space ID of the SFR DMC credential.';

/** The credential test's verdicts, one per way its call can go wrong. */
export const CREDENTIAL_TEST_MESSAGES = {
	loginRefused: `DMC refused the login. ${LOGIN_HINT}`,
	notDmc: `This address did not answer as DMC does. ${BASE_URL_HINT}`,
};

// DMC does not document its code for a bad login (`authentication_failed` is what it
// answers); a wrong service or space has documented codes of its own.
const LOGIN_CODES = new Set(['authentication_failed', 'no_service_found', 'no_space_found']);

// Failures that say "nothing listens there" or "what answers is not DMC". A 5xx or a
// time-out may be DMC being down, so they get no hint; nor does a 429 (too many calls).
const WRONG_ADDRESS_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'INVALID_RESPONSE']);

/**
 * The hint for a failed DMC call's error code (DMC's own, a system code, `HTTP_<status>`
 * or `INVALID_RESPONSE`), or undefined when the set-up is not the likely cause.
 */
export function setupHintFor(errorCode: string): string | undefined {
	if (LOGIN_CODES.has(errorCode) || /auth/i.test(errorCode)) return LOGIN_HINT;
	if (WRONG_ADDRESS_CODES.has(errorCode)) return BASE_URL_HINT;
	const status = /^HTTP_(4\d\d)$/.exec(errorCode);
	if (status && status[1] !== '429') return BASE_URL_HINT;
	return undefined;
}
