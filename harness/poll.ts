/**
 * Test support: run a polling trigger node the way n8n runs it, with n8n-core's real
 * machinery (the sibling of harness/engine.ts, which runs regular nodes and workflows).
 *
 * - `activate()`: n8n-core's `ActiveWorkflowTriggers.addAllTriggers`, as n8n does when a
 *   workflow is activated (activation `activate`) or when n8n starts (`init`): it checks the
 *   poll times (refusing sub-minute ones, as n8n does) and runs the first poll at once. Its
 *   cron jobs are not registered: the harness instance is not the "leader", so n8n's
 *   ScheduledTaskManager skips them. Ticks are the test's to give:
 * - `poll()`: one scheduled tick, through n8n-core's `PollTriggerExecutor` (what each cron
 *   fire runs): the node's `poll()` in a real `PollContext` (mode `trigger`); a non-null
 *   answer is emitted (`__emit`, where n8n would start an execution), an error reported
 *   (`__emitError`).
 * - `fetchTestEvent()`: the editor's "Fetch Test Event": n8n-core's `WorkflowExecute` runs the
 *   workflow from the trigger in mode `manual`, which polls once in a manual PollContext.
 * - Static data lives on the n8n `Workflow`, as in n8n, and is changed in place: a node that
 *   writes its cursor before a call that then fails keeps that write here, as it would in
 *   n8n's memory. `persistedStaticData()` is what n8n would store; `restart()` builds a new
 *   node instance and workflow from it, as after an n8n restart.
 * - Parameters get their defaults, and a polling node its `pollTimes` parameter, from n8n's
 *   own code (`Workflow`, and DirectoryLoader's special parameters).
 */
import { Container } from '@n8n/di';
import {
	ActiveWorkflowTriggers,
	DirectoryLoader,
	ExecutionLifecycleHooks,
	PollContext,
	PollTriggerExecutor,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IPollFunctions,
	IRun,
	IWorkflowExecuteAdditionalData,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { UnexpectedError, Workflow } from 'n8n-workflow';

import { createAdditionalData, EngineCredentialsHelper, ensureEngine, workflowBase } from './engine';

export interface PollHarnessOptions {
	/** An instance, e.g. `new SfrDmcTrigger()`. */
	nodeType: INodeType;
	credentialType?: ICredentialType;
	/** Plain credential values (the type's defaults are added as n8n does). */
	credentials?: ICredentialDataDecryptedObject;
	/** Node parameters; `pollTimes` defaults to n8n's "every minute". */
	parameters: INodeParameters;
	/** The workflow's static data as n8n stored it (see `persistedStaticData()`). */
	staticData?: IDataObject;
	/** Default: the node's `defaults.name`. */
	nodeName?: string;
	/** Prefix of the node type id; default `CUSTOM`. */
	nodeTypePrefix?: string;
	/** Default: a new id. A restart keeps it. */
	workflowId?: string;
}

export interface PollResult {
	/** First output of what the poll emitted; [] when it returned null or failed. */
	items: INodeExecutionData[];
	/** Every output of what it emitted. */
	outputs: INodeExecutionData[][];
	/** Whether the poll returned data (n8n would start an execution with it). */
	emitted: boolean;
	/** The error n8n was handed for this poll (`__emitError`). */
	error?: Error;
}

export interface ManualPollResult {
	/** The trigger's output in the manual run; [] when the poll returned null. */
	items: INodeExecutionData[];
	/** The error of the manual run, if any. */
	error?: Error;
	run: IRun;
}

const CREDENTIAL_ID = 'poll-harness-credential-id';
const CREDENTIAL_NAME = 'Poll harness credential';

class PollNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType>) {}

	getByName(nodeType: string): INodeType {
		const type = this.types[nodeType];
		if (!type) throw new UnexpectedError(`Unknown node type "${nodeType}" in the poll harness`);
		return type;
	}

	getByNameAndVersion(nodeType: string): INodeType {
		return this.getByName(nodeType);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

/** The node type as n8n's loader hands it over: a polling node gets the `pollTimes` parameter. */
function asLoaded(nodeType: INodeType): INodeType {
	const loaded = Object.create(nodeType) as INodeType;
	loaded.description = { ...nodeType.description, properties: [...nodeType.description.properties] };
	const loader = DirectoryLoader.prototype as unknown as { applySpecialNodeParameters(type: INodeType): void };
	loader.applySpecialNodeParameters.call(undefined, loaded);
	return loaded;
}

function persisted(staticData: IDataObject): IDataObject {
	return JSON.parse(JSON.stringify(staticData, (key, value: unknown) => (key.startsWith('__') ? undefined : value))) as IDataObject;
}

let harnessCounter = 0;

export class PollHarness {
	readonly workflow: Workflow;
	readonly node: INode;
	readonly workflowId: string;
	private readonly credentialsHelper: EngineCredentialsHelper;
	private readonly nodeTypes: PollNodeTypes;
	private executionCounter = 0;

	private constructor(private readonly options: PollHarnessOptions) {
		harnessCounter++;
		this.workflowId = options.workflowId ?? `poll-harness-workflow-${harnessCounter}`;
		const loaded = asLoaded(options.nodeType);
		const { description } = loaded;
		const typeId = `${options.nodeTypePrefix ?? 'CUSTOM'}.${description.name}`;
		if (!loaded.poll) throw new UnexpectedError(`${typeId} has no poll() method`);
		this.nodeTypes = new PollNodeTypes({ [typeId]: loaded });
		const version = Array.isArray(description.version) ? Math.max(...description.version) : description.version;
		this.node = {
			id: 'poll-harness-node',
			name: options.nodeName ?? description.defaults?.name ?? description.displayName,
			type: typeId,
			typeVersion: version,
			position: [0, 0],
			parameters: structuredClone(options.parameters),
		};
		if (options.credentialType) {
			this.node.credentials = { [options.credentialType.name]: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } };
		}
		this.workflow = new Workflow({
			id: this.workflowId,
			name: 'Poll harness workflow',
			nodes: [structuredClone(this.node)],
			connections: {},
			active: true,
			nodeTypes: this.nodeTypes,
			staticData: structuredClone(options.staticData ?? {}),
			settings: { executionOrder: 'v1' },
		});
		this.credentialsHelper = new EngineCredentialsHelper(options.credentialType, options.credentials);
	}

	static async create(options: PollHarnessOptions): Promise<PollHarness> {
		ensureEngine();
		return new PollHarness(options);
	}

	/** The workflow node, with its parameters' defaults applied by n8n. */
	get workflowNode(): INode {
		const node = this.workflow.getNode(this.node.name);
		if (!node) throw new UnexpectedError('The poll harness lost its node');
		return node;
	}

	/** The node's static data, live (what `getWorkflowStaticData('node')` returns). */
	nodeStaticData(): IDataObject {
		return this.workflow.getStaticData('node', this.workflowNode);
	}

	/** The workflow's static data as n8n would store it: plain JSON, no change flags. */
	persistedStaticData(): IDataObject {
		return persisted(this.workflow.staticData);
	}

	/**
	 * Activates the workflow as n8n does: poll times checked, a first poll at once. Throws
	 * n8n's WorkflowActivationError when activation fails (e.g. that first poll threw).
	 */
	async activate(activation: WorkflowActivateMode = 'activate'): Promise<PollResult> {
		const result = this.newResult();
		const triggers = Container.get(ActiveWorkflowTriggers);
		await this.workflow.expression.acquireIsolate();
		try {
			await triggers.addAllTriggers(
				this.workflowId,
				this.workflow,
				this.additionalData('trigger'),
				'trigger',
				activation,
				() => {
					throw new UnexpectedError('The poll harness runs polling nodes only');
				},
				(workflow, node, additionalData, mode, activationMode) => this.pollContext(workflow, node, additionalData, mode, activationMode, result),
			);
		} finally {
			await this.workflow.expression.releaseIsolate();
		}
		return result;
	}

	/** Deactivates the workflow (n8n's ActiveWorkflowTriggers forgets it). */
	async deactivate(): Promise<void> {
		await Container.get(ActiveWorkflowTriggers).remove(this.workflowId);
	}

	/** One scheduled poll, as a cron fire runs it. */
	async poll(): Promise<PollResult> {
		const result = this.newResult();
		const context = this.pollContext(this.workflow, this.workflowNode, this.additionalData('trigger'), 'trigger', 'activate', result);
		const executePoll = Container.get(PollTriggerExecutor).create(this.workflow, this.workflowNode, context, () => true);
		await executePoll(false);
		return result;
	}

	/** "Fetch Test Event": a manual run of the workflow from the trigger. */
	async fetchTestEvent(): Promise<ManualPollResult> {
		const run = await new WorkflowExecute(this.additionalData('manual'), 'manual').run({
			workflow: this.workflow,
			startNode: this.workflowNode,
		});
		const task = run.data.resultData.runData[this.node.name]?.[0];
		const error = (task?.error ?? run.data.resultData.error) as Error | undefined;
		return { items: task?.data?.main?.[0] ?? [], error, run };
	}

	/**
	 * An n8n restart: this workflow is deactivated, and the same workflow (same id, same
	 * parameters) is built again from its stored static data, with `nodeType` (a new
	 * instance) as the node. Activate it with `activate('init')`, as n8n does at start-up.
	 */
	async restart(nodeType: INodeType): Promise<PollHarness> {
		await this.deactivate();
		return new PollHarness({ ...this.options, nodeType, staticData: this.persistedStaticData(), workflowId: this.workflowId });
	}

	private newResult(): PollResult {
		return { items: [], outputs: [], emitted: false };
	}

	private pollContext(
		workflow: Workflow,
		node: INode,
		additionalData: IWorkflowExecuteAdditionalData,
		mode: WorkflowExecuteMode,
		activation: WorkflowActivateMode,
		result: PollResult,
	): IPollFunctions {
		return new PollContext(
			workflow,
			node,
			additionalData,
			mode,
			activation,
			(data) => {
				result.emitted = true;
				result.outputs = data.map((output) => output ?? []);
				result.items = result.outputs[0] ?? [];
			},
			(error) => {
				result.error = error;
			},
		);
	}

	private additionalData(mode: WorkflowExecuteMode): IWorkflowExecuteAdditionalData {
		const executionId = `${this.workflowId}-execution-${++this.executionCounter}`;
		const workflowData = workflowBase({
			id: this.workflowId,
			name: this.workflow.name ?? 'Poll harness workflow',
			nodes: [this.workflowNode],
			connections: {},
			active: true,
		});
		const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
		return createAdditionalData(this.credentialsHelper, hooks, executionId, this.workflowId);
	}
}
