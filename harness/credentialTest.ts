/**
 * The credential's "Test" button: its `test.request` goes out through n8n-core's declarative
 * routing (so `$credentials` expressions and `authenticate` apply), then its `test.rules`
 * decide, and the answer has n8n's { status, message } shape.
 */
import { type ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runNode } from './runNode';

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

type TestRules = NonNullable<ICredentialTestRequest['rules']>;

/**
 * A node whose single parameter routes the test request. Its `execute` hands itself to
 * n8n-core's RoutingNode, so that the harness gets the error instance RoutingNode throws.
 */
function probeFor(credentialType: ICredentialType, test: ICredentialTestRequest): INodeType {
	const description: INodeTypeDescription = {
		displayName: 'Credential Probe',
		name: 'credentialProbe',
		group: ['transform'],
		version: 1,
		description: 'Sends the test request of a credential',
		defaults: { name: 'Credential Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: credentialType.name, required: true }],
		properties: [{ displayName: 'Request', name: 'request', type: 'string', default: '', routing: { request: test.request } }],
	};
	const declarative: INodeType = { description };
	return {
		description,
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			// WorkflowExecute runs `execute` with an ExecuteContext, which is what RoutingNode takes.
			return (await new RoutingNode(this as unknown as ExecuteContext, declarative).runNode()) ?? [[]];
		},
	};
}

function valueAt(data: unknown, path: string): unknown {
	return path
		.split('.')
		.reduce<unknown>(
			(current, key) => (current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined),
			data,
		);
}

type RequestFailure = Error & { cause?: { response?: { status: number; statusText?: string }; code?: string } };

function verdictOnFailure(error: RequestFailure, rules: TestRules): CredentialTestResult {
	const response = error.cause?.response;
	if (response) {
		const rule = rules.find((candidate) => candidate.type === 'responseCode' && candidate.properties.value === response.status);
		if (rule) return { status: 'Error', message: rule.properties.message };
		if (response.status < 200 || response.status > 299) {
			return { status: 'Error', message: response.statusText || `Received HTTP status code: ${response.status}` };
		}
	}
	if (!response && error.cause?.code) return { status: 'Error', message: error.cause.code };
	return { status: 'Error', message: error.message };
}

function verdictOnBody(body: unknown, rules: TestRules): CredentialTestResult {
	for (const rule of rules) {
		if (rule.type === 'responseSuccessBody' && valueAt(body, rule.properties.key) === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

export async function testCredential(
	credentialType: ICredentialType,
	credentials: ICredentialDataDecryptedObject,
): Promise<CredentialTestResult> {
	const { test } = credentialType;
	if (!test) return { status: 'Error', message: 'No testing function found for this credential.' };
	const result = await runNode({
		nodeType: probeFor(credentialType, test),
		credentialType,
		credentials,
		parameters: {},
		items: [{}],
		mode: 'internal',
	});
	const rules = test.rules ?? [];
	if (result.error) return verdictOnFailure(result.error as RequestFailure, rules);
	return verdictOnBody(result.items[0]?.json, rules);
}
