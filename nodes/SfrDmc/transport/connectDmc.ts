import type { FunctionsBase, IHttpRequestOptions } from 'n8n-workflow';

import { DEFAULT_BASE_URL, DmcClient } from './DmcClient';
import { callsPerSecondPerProcess, DEFAULT_MAX_CALLS_PER_SECOND } from './rateLimiter';

export const CREDENTIAL_TYPE = 'sfrDmcApi';

interface DmcCredentials {
	serviceId: string;
	servicePassword: string;
	spaceId: string;
	baseUrl?: string;
	maxCallsPerSecond?: number;
	/** Absent from credentials saved before the field existed: one process. */
	processes?: number;
}

type ContextWithAuthenticatedRequests = Pick<FunctionsBase, 'getCredentials' | 'getNode'> & {
	helpers: {
		httpRequestWithAuthentication(credentialsType: string, options: IHttpRequestOptions): Promise<unknown>;
	};
};

/** A DMC client for the node's credential; n8n adds the login to each request itself. */
export async function connectDmc(context: ContextWithAuthenticatedRequests, timeoutMs?: number): Promise<DmcClient> {
	const credentials = await context.getCredentials<DmcCredentials>(CREDENTIAL_TYPE);
	return new DmcClient({
		node: context.getNode(),
		request: async (options) => await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, options),
		baseUrl: credentials.baseUrl || DEFAULT_BASE_URL,
		serviceId: credentials.serviceId,
		maxCallsPerSecond: callsPerSecondPerProcess(credentials.maxCallsPerSecond || DEFAULT_MAX_CALLS_PER_SECOND, credentials.processes ?? 1),
		timeoutMs,
		secrets: [credentials.servicePassword],
	});
}
