import type { FunctionsBase, IHttpRequestOptions } from 'n8n-workflow';

import { BroadcastClient } from './BroadcastClient';
import { DEFAULT_BASE_URL, DEFAULT_TIMEOUT_MS, DmcClient, normalizeBaseUrl } from './DmcClient';
import { loginFingerprint } from './loginFingerprint';
import { callsPerSecondPerProcess, DEFAULT_MAX_CALLS_PER_SECOND } from './rateLimiter';
import { UploadService } from './uploadService';

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

type ContextWithAuthenticatedRequests = Pick<FunctionsBase, 'getCredentials' | 'getNode' | 'logger'> & {
	helpers: {
		httpRequestWithAuthentication(credentialsType: string, options: IHttpRequestOptions): Promise<unknown>;
	};
};

/** The upload service takes its login as multipart fields: it needs n8n's plain request helper too. */
type ContextWithPlainRequests = ContextWithAuthenticatedRequests & {
	helpers: { httpRequest(options: IHttpRequestOptions): Promise<unknown> };
};

/**
 * A DMC client for the node's credential; n8n adds the login to each request itself.
 *
 * n8n ties an authenticated request to the cancellation of the execution whose context
 * makes it, when that context has a cancel signal. A sending call may carry other
 * executions' messages, and aborting it would leave them all in doubt; a call that has left
 * is better finished. So requests go through a context that delegates what n8n's request
 * helper uses (credentials, node, helpers, logger) and has no cancel signal; an execution's
 * cancellation withdraws its messages that have not left instead (see batchSender).
 */
export async function connectDmc(context: ContextWithAuthenticatedRequests, timeoutMs?: number): Promise<DmcClient> {
	const credentials = await context.getCredentials<DmcCredentials>(CREDENTIAL_TYPE);
	return clientFor(context, credentials, timeoutMs);
}

/**
 * The campaign client: the DmcClient above, and the upload service, which takes the login
 * as its own multipart fields and so goes through n8n's plain request helper.
 */
export async function connectBroadcasts(context: ContextWithPlainRequests, timeoutMs?: number): Promise<BroadcastClient> {
	const credentials = await context.getCredentials<DmcCredentials>(CREDENTIAL_TYPE);
	const dmc = clientFor(context, credentials, timeoutMs);
	const uploads = new UploadService({
		node: context.getNode(),
		request: async (options) => await context.helpers.httpRequest(options),
		baseUrl: normalizeBaseUrl(credentials.baseUrl || DEFAULT_BASE_URL),
		serviceId: credentials.serviceId,
		servicePassword: credentials.servicePassword,
		limiter: dmc.limiter,
		timeoutMs: timeoutMs ?? DEFAULT_TIMEOUT_MS,
	});
	return new BroadcastClient(dmc, uploads, context.getNode());
}

function clientFor(context: ContextWithAuthenticatedRequests, credentials: DmcCredentials, timeoutMs?: number): DmcClient {
	const requestContext: ContextWithAuthenticatedRequests = {
		getCredentials: async (type, itemIndex) => await context.getCredentials(type, itemIndex),
		getNode: () => context.getNode(),
		helpers: context.helpers,
		logger: context.logger,
	};
	return new DmcClient({
		node: context.getNode(),
		request: async (options) => await context.helpers.httpRequestWithAuthentication.call(requestContext, CREDENTIAL_TYPE, options),
		loginKey: JSON.stringify([credentials.spaceId, loginFingerprint(credentials.servicePassword)]),
		baseUrl: credentials.baseUrl || DEFAULT_BASE_URL,
		serviceId: credentials.serviceId,
		maxCallsPerSecond: callsPerSecondPerProcess(credentials.maxCallsPerSecond || DEFAULT_MAX_CALLS_PER_SECOND, credentials.processes ?? 1),
		processes: credentials.processes ?? 1,
		logger: context.logger,
		timeoutMs,
		secrets: [credentials.servicePassword],
	});
}
