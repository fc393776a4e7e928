// DMC calls made by the scripts go through the package's own DmcClient, as built into
// dist/, with a small stand-in for n8n's authenticated request helper.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './paths.mjs';

const require = createRequire(import.meta.url);

const SCRIPT_NODE = { id: 'script', name: 'script', type: 'n8n-nodes-sfr-dmc.script', typeVersion: 1, position: [0, 0], parameters: {} };

/**
 * What n8n's `httpRequestWithAuthentication` does for the fields DmcClient uses: the
 * credential's `authenticate` form field is added to the body (as the credential's generic
 * authentication declares), the body is form-encoded, and with `returnFullResponse` the
 * answer is { body, statusCode, headers }. A time-out fails with code ETIMEDOUT; network
 * failures keep fetch's `cause` (ECONNREFUSED…), which DmcClient reads.
 */
export function requestWithLogin({ serviceId, servicePassword, spaceId }) {
	const authenticate = JSON.stringify({ serviceId, servicePassword, spaceId, lang: 'en_GB' });
	return async (options) => {
		const body = new URLSearchParams({ ...(options.body ?? {}), authenticate });
		let response;
		try {
			response = await fetch(options.url, {
				method: options.method ?? 'GET',
				headers: options.headers,
				body: body.toString(),
				signal: AbortSignal.timeout(options.timeout ?? 30_000),
			});
		} catch (error) {
			if (error?.name === 'TimeoutError') throw Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' });
			throw error;
		}
		const text = await response.text();
		if (!options.ignoreHttpStatusErrors && response.status >= 400) {
			throw Object.assign(new Error(`HTTP ${response.status}`), { httpCode: response.status });
		}
		const parsed = options.json ? JSON.parse(text) : text;
		return options.returnFullResponse
			? { body: parsed, statusCode: response.status, headers: Object.fromEntries(response.headers) }
			: parsed;
	};
}

/**
 * A DmcClient for a credential's fields: { serviceId, servicePassword, spaceId, baseUrl,
 * maxCallsPerSecond? }. dist/ must be built.
 */
export function dmcClient(credentials) {
	const { DmcClient } = require(join(ROOT, 'dist', 'nodes', 'SfrDmc', 'transport', 'DmcClient.js'));
	return new DmcClient({
		node: SCRIPT_NODE,
		request: requestWithLogin(credentials),
		baseUrl: credentials.baseUrl,
		serviceId: credentials.serviceId,
		maxCallsPerSecond: credentials.maxCallsPerSecond,
		secrets: [credentials.servicePassword],
	});
}
