import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

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
			default: 'https://www.dmc.sfr-sh.fr/DmcWS/1.5.8/JsonService',
			description:
				'The JSON service root, ending in /JsonService. Change it to use another API version, a proxy, or the local sandbox.',
		},
		{
			displayName: 'Max Calls per Second',
			name: 'maxCallsPerSecond',
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: 5,
			description:
				"SFR's contractual cap is 5 calls per second per service, and going over it may get the service suspended. Raise it only for a negotiated rate; lower it to share the cap between n8n workers.",
		},
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

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.baseUrl.replace(/\\/+$/, "") }}',
			url: '/AdminWS/findServiceOadc',
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: {},
			json: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'success',
					value: false,
					message: 'DMC refused the login: check the service ID, password and space ID',
				},
			},
		],
	};
}
