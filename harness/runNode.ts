/**
 * One node under test, run by n8n-core's WorkflowExecute: a start node hands it the given
 * items, n8n resolves its parameters and expressions per item, and its
 * `httpRequestWithAuthentication` is n8n-core's own, so requests really go out (to nock or a
 * local server) with the credential's `authenticate` applied.
 */
import { CUSTOM_NODES_PACKAGE_NAME, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	IRunData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, NodeConnectionTypes, NodeHelpers, Workflow } from 'n8n-workflow';

import { ensureEngine } from './container';
import { HarnessCredentials } from './credentials';
import { additionalDataFor, nextExecutionNumber, toExecutionItems, type WorkflowShape } from './execution';
import { type AnyNodeType, latestVersion, NodeTypeRegistry } from './nodeTypes';

export interface RunNodeOptions {
	/** An instance, e.g. `new SfrDmcSms()`. */
	nodeType: AnyNodeType;
	/** Its `authenticate` is applied on httpRequestWithAuthentication(credentialType.name, ...). */
	credentialType?: ICredentialType;
	/** Plain credential values; the type's defaults are added as n8n does. */
	credentials?: ICredentialDataDecryptedObject;
	/** Node parameters; `={{ ... }}` expressions are resolved by n8n per item. */
	parameters: INodeParameters;
	/** Input items: `{ json }` items, or plain objects wrapped in `{ json }`. */
	items: INodeExecutionData[] | IDataObject[];
	/** Sets `onError: 'continueRegularOutput'` (and the older `continueOnFail`) on the node. */
	continueOnFail?: boolean;
	/** Default: the node type's highest version. */
	typeVersion?: number;
	/** Default: the node's `defaults.name`, else its displayName. */
	nodeName?: string;
	/** Prefix of the type id `<prefix>.<description.name>`; default `CUSTOM`, as for a community node. */
	nodeTypePrefix?: string;
	/** Default 'manual'. */
	mode?: WorkflowExecuteMode;
}

export interface RunNodeResult {
	/** Main output 0 of the node under test: json, pairedItem, error items. */
	items: INodeExecutionData[];
	/** Every main output of the node under test. */
	outputs: INodeExecutionData[][];
	/** The error instance the node threw, else the execution's error as n8n stored it. */
	error?: Error;
	/** The run data of the execution (tests stringify it to look for leaked secrets). */
	runData: IRunData;
	run: IRun;
}

const START_NAME = 'Start';
const START_TYPE = 'n8n-harness.itemsSource';

/** Outputs the items the execution starts with. */
const itemsSource: INodeType = {
	description: {
		displayName: 'Items Source',
		name: 'itemsSource',
		group: ['input'],
		version: 1,
		description: 'Hands the harness items to the node under test',
		defaults: { name: START_NAME },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	},
};

export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	ensureEngine();
	const typeVersion = options.typeVersion ?? latestVersion(options.nodeType);
	const nodeType = NodeHelpers.getVersionedNodeType(options.nodeType, typeVersion);
	const { description } = nodeType;
	let thrown: unknown;
	const typeId = `${options.nodeTypePrefix ?? CUSTOM_NODES_PACKAGE_NAME}.${description.name}`;
	const preferredName = options.nodeName ?? description.defaults?.name ?? description.displayName;
	const nodeName = preferredName === START_NAME ? `${START_NAME} (under test)` : preferredName;

	const nodeUnderTest: INode = {
		id: 'harness-node',
		name: nodeName,
		type: typeId,
		typeVersion,
		position: [250, 0],
		parameters: structuredClone(options.parameters),
	};
	if (options.credentialType)
		nodeUnderTest.credentials = { [options.credentialType.name]: { id: 'harness-credential', name: 'Harness credential' } };
	if (options.continueOnFail) {
		nodeUnderTest.onError = 'continueRegularOutput';
		nodeUnderTest.continueOnFail = true;
	}

	const number = nextExecutionNumber();
	const shape: WorkflowShape = {
		id: `engine-test-workflow-${number}`,
		name: 'Harness node run',
		nodes: [{ id: 'harness-start', name: START_NAME, type: START_TYPE, typeVersion: 1, position: [0, 0], parameters: {} }, nodeUnderTest],
		connections: { [START_NAME]: { main: [[{ node: nodeName, type: NodeConnectionTypes.Main, index: 0 }]] } },
	};
	const workflow = new Workflow({
		...shape,
		nodes: structuredClone(shape.nodes),
		active: false,
		nodeTypes: new NodeTypeRegistry({ [START_TYPE]: itemsSource, [typeId]: nodeType }, (node, error) => {
			if (node === nodeName) thrown = error;
		}),
		settings: { executionOrder: 'v1' },
	});

	const credentialType = options.credentialType;
	const credentials = new HarnessCredentials(
		credentialType ? [credentialType] : [],
		credentialType ? { [credentialType.name]: options.credentials ?? {} } : {},
	);
	const mode = options.mode ?? 'manual';
	const additionalData = additionalDataFor({ credentials, workflow: shape, executionId: `engine-test-${number}`, mode });
	const startData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: workflow.getNode(START_NAME)!, data: { main: [toExecutionItems(options.items)] }, source: null }],
		},
	});

	const run = await new WorkflowExecute(additionalData, mode, startData).processRunExecutionData(workflow);
	const runData = run.data.resultData.runData;
	const task = runData[nodeName]?.[0];
	const outputs = (task?.data?.main ?? []).map((output) => output ?? []);
	const stored = task?.error ?? run.data.resultData.error;
	const error = task?.error !== undefined && thrown instanceof Error ? thrown : (stored as Error | undefined);
	return { items: outputs[0] ?? [], outputs, error, runData, run };
}

/** Several executions at once in this process, each with its own workflow and credentials. */
export async function runNodesConcurrently(runs: RunNodeOptions[]): Promise<RunNodeResult[]> {
	return await Promise.all(runs.map(async (options) => await runNode(options)));
}
