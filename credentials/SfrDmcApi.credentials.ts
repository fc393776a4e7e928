import type { IAuthenticateGeneric, Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { CREDENTIAL_TEST_MESSAGES, DEFAULT_BASE_URL } from '../nodes/SfrDmc/transport/dmcHints';

/** The highest Max Calls per Second for which the form warns when processes outnumber it. */
const HIGHEST_CAP_WARNED = 20;

/**
 * n8n's display rules compare a field with a constant, never with another field, so the
 * warning "more processes than calls per second" is one notice per cap value: the notice for
 * cap m shows when Max Calls per Second is m and the processes are more than m.
 */
function capCannotBeHeldNotices(): INodeProperties[] {
	return Array.from({ length: HIGHEST_CAP_WARNED }, (_, index): INodeProperties => {
		const cap = index + 1;
		return {
			displayName: `More processes than Max Calls per Second (${cap}): each process still makes up to 1 call per second, so together they can exceed ${cap} calls in a second and SFR may suspend the service. Send from fewer processes, or ask SFR for a higher cap.`,
			name: `capCannotBeHeld${cap}`,
			type: 'notice',
			default: '',
			displayOptions: { show: { maxCallsPerSecond: [cap], processes: [{ _cnd: { gt: cap } }] } },
		};
	});
}

export class SfrDmcApi implements ICredentialType {
	name = 'sfrDmcApi';

	displayName = 'SFR DMC API';

	icon: Icon = { light: 'file:../nodes/SfrDmc/sfrDmc.svg', dark: 'file:../nodes/SfrDmc/sfrDmc.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-sfr-dmc/n8n-nodes-sfr-dmc#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Service ID',
			name: 'serviceId',
			type: 'string',
			default: '',
			required: true,
			description: 'The DMC service identifier (serviceId) given by SFR',
		},
		{
			displayName: 'Service Password',
			name: 'servicePassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The password of the DMC service',
		},
		{
			displayName: 'Space ID',
			name: 'spaceId',
			type: 'string',
			default: '',
			required: true,
			description: 'The DMC space (spaceId) the messages are sent from',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description: 'The JSON service root, ending in /JsonService. Change it to use another API version, a proxy, or the local sandbox.',
		},
		{
			displayName: 'Max Calls per Second',
			name: 'maxCallsPerSecond',
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: 5,
			description:
				"SFR's contractual cap is 5 calls per second per service, and going over it may get the service suspended. Raise it only for a negotiated rate. Several n8n processes share it through the next field.",
		},
		{
			displayName: 'n8n Processes Sharing This Service',
			name: 'processes',
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: 1,
			description:
				'How many n8n processes may send with this service at the same time: 1 for a single n8n; in queue mode, the main process plus every worker (main and 2 workers: 3). Each process makes at most Max Calls per Second divided by this number, rounded down, and at least 1.',
		},
		...capCannotBeHeldNotices(),
	];

	// n8n adds the login to every request body as DMC's `authenticate` form field, so the
	// password travels in a POST body and never in a URL.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			body: {
				authenticate:
					'={{ JSON.stringify({ serviceId: $credentials.serviceId, servicePassword: $credentials.servicePassword, spaceId: $credentials.spaceId, lang: "en_GB" }) }}',
			},
		},
	};

	// n8n's declarative test, not a node's `credentialTest` method: n8n looks at this one
	// first, and a method gets only the deprecated `helpers.request`, which n8n's strict
	// lint refuses. Every HTTP status is let through, so that whatever is not a DMC answer
	// (a 404 page, HTML, an empty body) fails on its missing `success` field with the base
	// URL hint. A connection that fails outright (refused, unknown host) never gets to the
	// rules: n8n then shows the system code, and the nodes' own errors carry the hint.
	test: ICredentialTestRequest = {
		request: {
			// An empty base URL falls back to SFR's, as in the nodes.
			baseURL: `={{ ($credentials.baseUrl || ${JSON.stringify(DEFAULT_BASE_URL)}).trim().replace(/\\/+$/, "") }}`,
			url: '/AdminWS/findServiceOadc',
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: {},
			json: true,
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'success', value: false, message: CREDENTIAL_TEST_MESSAGES.loginRefused },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'success', value: undefined, message: CREDENTIAL_TEST_MESSAGES.notDmc },
			},
		],
	};
}
