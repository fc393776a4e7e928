/**
 * A whole workflow as n8n exports it, run as "Execute workflow" runs it: n8n-core's
 * WorkflowExecute from the trigger (or `startNode`), pinned data honoured, nodes run along
 * the connections, credentials given by credential type name.
 */
import { WorkflowExecute } from 'n8n-core';
import type {
	ExecutionError,
	ExecutionStatus,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	IPinData,
	IRun,
	IRunData,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { UnexpectedError, Workflow } from 'n8n-workflow';

import { ensureEngine } from './container';
import { HarnessCredentials } from './credentials';
import { additionalDataFor, nextExecutionNumber, toExecutionItems, type WorkflowShape } from './execution';
import { MANUAL_TRIGGER_TYPE, manualTriggerNodeType } from './manualTrigger';
import { type AnyNodeType, NodeTypeRegistry } from './nodeTypes';

/** A node as n8n exports it; other fields (onError, retryOnFail, notes...) are kept. */
export interface WorkflowJsonNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position?: number[];
	parameters?: IDataObject;
	credentials?: Record<string, { id?: string | null; name: string }>;
	disabled?: boolean;
	[key: string]: unknown;
}

/** A workflow as n8n exports it (examples/*.json). */
export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: WorkflowJsonNode[];
	connections: Record<string, Record<string, Array<Array<{ node: string; type: string; index: number }> | null>>>;
	settings?: IDataObject;
	/** Node name -> items (`{ json }` or plain objects); a pinned node does not run in a manual run. */
	pinData?: Record<string, Array<INodeExecutionData | IDataObject>>;
	[key: string]: unknown;
}

export interface RunWorkflowOptions {
	/** Node types by type id; `n8n-nodes-base.manualTrigger` is built in unless given here. */
	nodeTypes: Record<string, AnyNodeType>;
	/** Credential types the nodes use. */
	credentialTypes?: ICredentialType[];
	/** Values by credential type name: every reference to that type, whatever its id, gets them. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Default: the node n8n picks (the trigger). */
	startNode?: string;
	/** Default 'manual', as when clicking "Execute workflow". */
	mode?: WorkflowExecuteMode;
}

export interface WorkflowNodeError {
	/** Undefined for an error of the workflow itself. */
	node?: string;
	message: string;
	/** The instance the node threw when known, else the copy n8n stored. */
	error: Error;
	storedError: ExecutionError;
}

export interface RunWorkflowResult {
	status: ExecutionStatus;
	/** Main output 0 of each node that ran, all its runs in order. */
	items: Record<string, INodeExecutionData[]>;
	/** Every main output of each node that ran. */
	outputs: Record<string, INodeExecutionData[][]>;
	/** Nodes that ran, in execution order. */
	executedNodes: string[];
	/** One per failed node run, then the workflow's own error if it belongs to no node. */
	errors: WorkflowNodeError[];
	/** The error that stopped the execution. */
	error?: Error;
	runData: IRunData;
	run: IRun;
}

function toNodes(json: WorkflowJson): INode[] {
	if (!Array.isArray(json?.nodes) || json.connections === null || typeof json.connections !== 'object') {
		throw new UnexpectedError('runWorkflow: not an n8n workflow (expected "nodes" and "connections")');
	}
	return json.nodes.map((node, index) => {
		if (typeof node?.name !== 'string' || typeof node.type !== 'string')
			throw new UnexpectedError(`runWorkflow: node ${index} has no name or type`);
		const copy = structuredClone(node);
		return {
			...copy,
			id: copy.id ?? `node-${index}`,
			position: (copy.position ?? [0, 0]) as [number, number],
			parameters: (copy.parameters ?? {}) as INodeParameters,
		} as INode;
	});
}

function knownTypes(nodes: INode[], given: Record<string, AnyNodeType>, thrown: Map<string, unknown[]>): NodeTypeRegistry {
	const types: Record<string, AnyNodeType> = { [MANUAL_TRIGGER_TYPE]: manualTriggerNodeType, ...given };
	for (const node of nodes) {
		if (!types[node.type]) {
			throw new UnexpectedError(
				`runWorkflow: node "${node.name}" has type "${node.type}", which is not in nodeTypes (known: ${Object.keys(types).join(', ')})`,
			);
		}
	}
	return new NodeTypeRegistry(types, (node, error) => thrown.set(node, [...(thrown.get(node) ?? []), error]));
}

function collect(run: IRun, thrown: Map<string, unknown[]>): Omit<RunWorkflowResult, 'status' | 'run'> {
	const runData = run.data.resultData.runData;
	const instanceOf = (node: string | undefined, stored: ExecutionError): Error =>
		(node === undefined ? [] : (thrown.get(node) ?? []))
			.filter((error): error is Error => error instanceof Error && error.message === stored.message)
			.at(-1) ?? (stored as Error);
	const items: Record<string, INodeExecutionData[]> = {};
	const outputs: Record<string, INodeExecutionData[][]> = {};
	const errors: WorkflowNodeError[] = [];
	const firstRun: Record<string, number> = {};
	for (const [node, tasks] of Object.entries(runData)) {
		firstRun[node] = Math.min(...tasks.map((task) => task.executionIndex ?? Number.MAX_SAFE_INTEGER));
		const byOutput: INodeExecutionData[][] = [];
		for (const task of tasks) {
			(task.data?.main ?? []).forEach((output, index) => {
				byOutput[index] = [...(byOutput[index] ?? []), ...(output ?? [])];
			});
			if (task.error) errors.push({ node, message: task.error.message, error: instanceOf(node, task.error), storedError: task.error });
		}
		outputs[node] = Array.from(byOutput, (output) => output ?? []);
		items[node] = outputs[node][0] ?? [];
	}
	const stopper = run.data.resultData.error;
	let error: Error | undefined;
	if (stopper) {
		const owner = errors.find((entry) => entry.storedError === stopper || entry.message === stopper.message);
		error = owner?.error;
		if (!owner) {
			const node = (stopper as { node?: { name?: string } }).node?.name;
			error = instanceOf(node, stopper);
			errors.push({ node, message: stopper.message, error, storedError: stopper });
		}
	}
	const executedNodes = Object.keys(runData).sort((a, b) => firstRun[a] - firstRun[b]);
	return { items, outputs, executedNodes, errors, error, runData };
}

export async function runWorkflow(json: WorkflowJson, options: RunWorkflowOptions): Promise<RunWorkflowResult> {
	ensureEngine();
	const nodes = toNodes(json);
	const thrown = new Map<string, unknown[]>();
	const nodeTypes = knownTypes(nodes, options.nodeTypes, thrown);
	const number = nextExecutionNumber();
	const shape: WorkflowShape = {
		id: json.id ?? `engine-workflow-${number}`,
		name: json.name ?? 'Harness workflow',
		nodes,
		connections: structuredClone(json.connections) as unknown as IConnections,
		settings: structuredClone(json.settings ?? {}) as IWorkflowSettings,
	};
	const pinData: IPinData = {};
	for (const [node, items] of Object.entries(json.pinData ?? {})) pinData[node] = toExecutionItems(items);
	const workflow = new Workflow({ ...shape, nodes: structuredClone(nodes), active: false, nodeTypes, pinData });

	let startNode: INode | undefined;
	if (options.startNode !== undefined) {
		startNode = workflow.getNode(options.startNode) ?? undefined;
		if (!startNode) throw new UnexpectedError(`runWorkflow: no node named "${options.startNode}"`);
	}
	const credentials = new HarnessCredentials(options.credentialTypes ?? [], options.credentials ?? {});
	const mode = options.mode ?? 'manual';
	const additionalData = additionalDataFor({ credentials, workflow: shape, executionId: `engine-workflow-${number}`, mode });
	const run = await new WorkflowExecute(additionalData, mode).run({
		workflow,
		startNode,
		pinData: Object.keys(pinData).length > 0 ? pinData : undefined,
	});
	return { status: run.status, run, ...collect(run, thrown) };
}
