/**
 * A dummy credential (generic authenticate in the body, a test request) and a dummy node that
 * sends one request per item through httpRequestWithAuthentication, shared by the harness tests.
 */
import nock from 'nock';
import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { runNode } from '../../harness';

export const BASE_URL = 'http://dummy-api.test';
export const SERVICE_ID = 'svc-123';
export const SERVICE_PASSWORD = 'p@ss w&rd=1';

export class DummyApi implements ICredentialType {
	name = 'dummyApi';

	displayName = 'Dummy API';

	documentationUrl = 'https://example.com/docs';

	properties: INodeProperties[] = [
		{ displayName: 'Service ID', name: 'serviceId', type: 'string', default: '' },
		{
			displayName: 'Service Password',
			name: 'servicePassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: BASE_URL },
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			body: {
				authenticate: '={{JSON.stringify({serviceId:$credentials.serviceId, servicePassword:$credentials.servicePassword})}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/check',
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: { ping: '1' },
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'success', value: false, message: 'Invalid service credentials' },
			},
		],
	};
}

type BodyMode = 'object' | 'urlSearchParams' | 'string' | 'objectNoContentType';

const description: INodeTypeDescription = {
	displayName: 'Dummy Send',
	name: 'dummySend',
	group: ['output'],
	version: 1,
	description: 'Test node',
	defaults: { name: 'Dummy Send' },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [{ name: 'dummyApi', required: true }],
	properties: [
		{ displayName: 'Phone', name: 'phone', type: 'string', default: '' },
		{ displayName: 'Text', name: 'text', type: 'string', default: 'hello' },
		{ displayName: 'Fail On Phone', name: 'failOn', type: 'string', default: '' },
		{
			displayName: 'Body Mode',
			name: 'bodyMode',
			type: 'options',
			options: [
				{ name: 'Object', value: 'object' },
				{ name: 'URLSearchParams', value: 'urlSearchParams' },
				{ name: 'String', value: 'string' },
				{ name: 'Object Without Content-Type', value: 'objectNoContentType' },
			],
			default: 'object',
		},
	],
};

export class DummySend implements INodeType {
	description = description;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const returnData: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const phone = this.getNodeParameter('phone', i) as string;
				const text = this.getNodeParameter('text', i) as string;
				const bodyMode = this.getNodeParameter('bodyMode', i) as BodyMode;
				if (phone === this.getNodeParameter('failOn', i)) {
					throw new NodeOperationError(this.getNode(), `Refusing to send to ${phone}`, {
						itemIndex: i,
					});
				}
				const fields = { to: phone, text };
				const options: IHttpRequestOptions = {
					method: 'POST',
					url: `${BASE_URL}/send`,
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					json: true,
				};
				if (bodyMode === 'object') options.body = fields;
				if (bodyMode === 'urlSearchParams') options.body = new URLSearchParams(fields);
				if (bodyMode === 'string') options.body = new URLSearchParams(fields).toString();
				if (bodyMode === 'objectNoContentType') {
					options.body = fields;
					options.headers = {};
				}
				const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'dummyApi', options)) as IDataObject;
				returnData.push({ json: { phone, response }, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					returnData.push({
						json: { error: (error as Error).message },
						error: error as NodeOperationError,
						pairedItem: { item: i },
					});
					continue;
				}
				if (error instanceof NodeApiError) throw new NodeApiError(this.getNode(), error as unknown as JsonObject);
				throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: i });
			}
		}
		return [returnData];
	}
}

export const credentials = { serviceId: SERVICE_ID, servicePassword: SERVICE_PASSWORD };
export const expectedAuthenticate = JSON.stringify({
	serviceId: SERVICE_ID,
	servicePassword: SERVICE_PASSWORD,
});

interface Captured {
	body: string;
	headers: Record<string, string | string[] | undefined>;
}

/** Intercepts `times` POST /send and records the raw body string + headers. */
export function interceptSend(times: number, status = 200) {
	const captured: Captured[] = [];
	const scope = nock(BASE_URL)
		.post('/send')
		.times(times)
		.reply(function (_uri, requestBody) {
			captured.push({
				body: typeof requestBody === 'string' ? requestBody : JSON.stringify(requestBody),
				headers: this.req.headers,
			});
			return status === 200 ? [200, { success: true, id: captured.length }] : [status, { success: false, message: 'Bad credentials' }];
		});
	return { scope, captured };
}

export function run(parameters: IDataObject, items: IDataObject[], continueOnFail = false) {
	return runNode({
		nodeType: new DummySend(),
		credentialType: new DummyApi(),
		credentials,
		parameters: { phone: '={{ $json.phone }}', ...parameters },
		items,
		continueOnFail,
	});
}
