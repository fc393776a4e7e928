/**
 * What an execution needs around it: ids, the stored form of its workflow (for lifecycle
 * hooks), and the `additionalData` that stands for the n8n instance.
 */
import { ExecutionLifecycleHooks, ExternalSecretsProxy } from 'n8n-core';
import type {
	ICredentialsHelper,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { NotSupportedByHarnessError } from './credentials';

let executions = 0;

/** A process-wide unique number for execution and workflow ids. */
export function nextExecutionNumber(): number {
	return ++executions;
}

export interface WorkflowShape {
	id: string;
	name: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
	active?: boolean;
}

/** The workflow as n8n stores it, which execution hooks and contexts read. */
export function workflowBase(workflow: WorkflowShape): IWorkflowBase {
	const now = new Date();
	return {
		id: workflow.id,
		name: workflow.name,
		active: workflow.active ?? false,
		isArchived: false,
		createdAt: now,
		updatedAt: now,
		nodes: workflow.nodes,
		connections: workflow.connections,
		settings: workflow.settings ?? { executionOrder: 'v1' },
		activeVersionId: null,
	};
}

export interface ExecutionSetup {
	credentials: ICredentialsHelper;
	workflow: WorkflowShape;
	executionId: string;
	mode: WorkflowExecuteMode;
}

function notSupported(what: string) {
	return async (): Promise<never> => {
		throw new NotSupportedByHarnessError(what);
	};
}

/** The n8n instance around one execution: credentials, hooks, base URLs; no sub-workflows. */
export function additionalDataFor({ credentials, workflow, executionId, mode }: ExecutionSetup): IWorkflowExecuteAdditionalData {
	const base = 'http://localhost:5678';
	return {
		credentialsHelper: credentials,
		hooks: new ExecutionLifecycleHooks(mode, executionId, workflowBase(workflow)),
		externalSecretsProxy: new ExternalSecretsProxy(),
		executionId,
		workflowId: workflow.id,
		userId: 'harness-user',
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: {},
		executeWorkflow: notSupported('executeWorkflow (sub-workflows)'),
		startRunnerTask: notSupported('startRunnerTask (Code node task runners)'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
	};
}

/** Items as given by a test: `{ json }` items, or plain objects to wrap in `{ json }`. */
export function toExecutionItems(items: ReadonlyArray<INodeExecutionData | IDataObject>): INodeExecutionData[] {
	return items.map((item) => {
		const { json } = item as Partial<INodeExecutionData>;
		const isItem = json !== null && typeof json === 'object' && !Array.isArray(json);
		return isItem ? { ...(item as INodeExecutionData) } : { json: { ...(item as IDataObject) } };
	});
}
