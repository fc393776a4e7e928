import { BASE_URL_HINT, DEFAULT_BASE_URL, LOGIN_HINT, setupHintFor } from '../../nodes/SfrDmc/transport/dmcHints';
import { DEFAULT_BASE_URL as CLIENT_DEFAULT } from '../../nodes/SfrDmc/transport/DmcClient';

it('says where to look, naming the fields as the credential shows them', () => {
	expect(LOGIN_HINT).toBe('Check the Service ID, Service Password and Space ID of the SFR DMC credential.');
	expect(BASE_URL_HINT).toBe(
		"Check the API Base URL of the SFR DMC credential: it ends in /JsonService (SFR's is https://www.dmc.sfr-sh.fr/DmcWS/1.5.8/JsonService).",
	);
	expect(CLIENT_DEFAULT).toBe(DEFAULT_BASE_URL);
});

it.each([
	['authentication_failed', LOGIN_HINT],
	['no_service_found', LOGIN_HINT],
	['no_space_found', LOGIN_HINT],
	['AUTHENTICATION_ERROR', LOGIN_HINT],
	['ECONNREFUSED', BASE_URL_HINT],
	['ENOTFOUND', BASE_URL_HINT],
	['EAI_AGAIN', BASE_URL_HINT],
	['INVALID_RESPONSE', BASE_URL_HINT],
	['HTTP_404', BASE_URL_HINT],
	['HTTP_405', BASE_URL_HINT],
	['HTTP_429', undefined],
	['HTTP_502', undefined],
	['ETIMEDOUT', undefined],
	['invalid_parameter', undefined],
	['corruption_base', undefined],
])('%s → %s', (errorCode, hint) => {
	expect(setupHintFor(errorCode)).toBe(hint);
});
