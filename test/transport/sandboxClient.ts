/**
 * A DmcClient talking to the local sandbox over fetch, adding the login the way n8n's
 * credential does (an `authenticate` form field), for transport tests without n8n.
 */
import type { IHttpRequestOptions, INode } from 'n8n-workflow';

import { DmcClient } from '../../nodes/SfrDmc/transport/DmcClient';
import type { Sandbox } from '../../sandbox';

const node: INode = { id: 'n', name: 'SFR DMC', type: 'n8n-nodes-sfr-dmc.sfrDmcSms', typeVersion: 1, position: [0, 0], parameters: {} };
const ACCOUNT = { serviceId: 'sandbox-service', servicePassword: 'sandbox-password', spaceId: 'sandbox-space' };

let clients = 0;

export function sandboxClient(sandbox: Sandbox, timeoutMs = 2000): DmcClient {
	const request = async (options: IHttpRequestOptions) => {
		const body = new URLSearchParams({ ...(options.body as Record<string, string>), authenticate: JSON.stringify(ACCOUNT) });
		const response = await fetch(options.url, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body,
			signal: AbortSignal.timeout(options.timeout ?? timeoutMs),
		});
		return { statusCode: response.status, body: await response.text(), headers: Object.fromEntries(response.headers) };
	};
	// Each client its own limiter key, so tests do not wait on one another's calls.
	return new DmcClient({
		node,
		request,
		baseUrl: sandbox.baseUrl,
		serviceId: `sandbox-client-${++clients}`,
		maxCallsPerSecond: 1000,
		timeoutMs,
	});
}
