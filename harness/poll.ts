/**
 * A polling trigger run the way n8n runs it, with n8n-core's own services:
 * - `activate()`: ActiveWorkflowTriggers.addAllTriggers, as on activation ('activate') or at
 *   start-up ('init'): poll times checked (sub-minute ones refused), one poll at once. No cron
 *   job is registered (this process is never the leader, see container.ts): ticks come from
 * - `poll()`: one scheduled tick through PollTriggerExecutor, in a PollContext of mode
 *   'trigger', the activation's own as in n8n (one is made at the first tick if the test
 *   never activated); what the node returns is what n8n would start an execution with.
 * - `fetchTestEvent()`: the editor's "Fetch Test Event", a manual WorkflowExecute run from
 *   the trigger.
 * Static data lives on the n8n Workflow and is changed in place, as in n8n's memory;
 * `persistedStaticData()` is what n8n would store and `restart()` starts again from it.
 */
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- the harness is a test tool, not in the package: each poll's result must reach it through the one context n8n polls with
import { AsyncLocalStorage } from 'node:async_hooks';

import { Container } from '@n8n/di';
import { ActiveWorkflowTriggers, CUSTOM_NODES_PACKAGE_NAME, PollContext, PollTriggerExecutor, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IPollFunctions,
	IRun,
	IWorkflowExecuteAdditionalData,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { UnexpectedError, Workflow } from 'n8n-workflow';

import { ensureEngine } from './container';
import { HarnessCredentials } from './credentials';
import { additionalDataFor, nextExecutionNumber } from './execution';
import { latestVersion, NodeTypeRegistry, withPollTimes } from './nodeTypes';

export interface PollHarnessOptions {
	/** An instance, e.g. `new SfrDmcSmsTrigger()`. */
	nodeType: INodeType;
	credentialType?: ICredentialType;
	/** Plain credential values; the type's defaults are added as n8n does. */
	credentials?: ICredentialDataDecryptedObject;
	/** Node parameters; `pollTimes` defaults to every minute. */
	parameters: INodeParameters;
	/** The workflow's static data as n8n stored it (see `persistedStaticData()`). */
	staticData?: IDataObject;
	/** Default: the node's `defaults.name`. */
	nodeName?: string;
	/** Prefix of the type id; default `CUSTOM`. */
	nodeTypePrefix?: string;
	/** Default: a new id. A restart keeps it. */
	workflowId?: string;
}

export interface PollResult {
	/** Output 0 of what the poll emitted; [] when it returned null or failed. */
	items: INodeExecutionData[];
	outputs: INodeExecutionData[][];
	/** Whether the poll returned data (n8n would start an execution with it). */
	emitted: boolean;
	/** The error n8n was handed for this poll. */
	error?: Error;
}

export interface ManualPollResult {
	/** The trigger's output in the manual run; [] when the poll returned null. */
	items: INodeExecutionData[];
	error?: Error;
	run: IRun;
}

/** Static data as n8n stores it: plain JSON, without the `__` change flags. */
function asStored(staticData: IDataObject): IDataObject {
	return JSON.parse(JSON.stringify(staticData, (key, value: unknown) => (key.startsWith('__') ? undefined : value))) as IDataObject;
}

export class PollHarness {
	readonly workflow: Workflow;
	readonly node: INode;
	readonly workflowId: string;
	private readonly credentials: HarnessCredentials;
	/**
	 * The context n8n polls through: one per activation, used at activation and at every
	 * tick after it, as n8n does (the trigger tells its activation poll by it).
	 */
	private context?: IPollFunctions;
	/** The result of the poll under way, for the shared context to report into. */
	private readonly results = new AsyncLocalStorage<PollResult>();

	private constructor(private readonly options: PollHarnessOptions) {
		const nodeType = withPollTimes(options.nodeType);
		const { description } = nodeType;
		const typeId = `${options.nodeTypePrefix ?? CUSTOM_NODES_PACKAGE_NAME}.${description.name}`;
		if (!nodeType.poll) throw new UnexpectedError(`${typeId} has no poll() method`);
		this.workflowId = options.workflowId ?? `poll-harness-workflow-${nextExecutionNumber()}`;
		this.node = {
			id: 'poll-harness-node',
			name: options.nodeName ?? description.defaults?.name ?? description.displayName,
			type: typeId,
			typeVersion: latestVersion(nodeType),
			position: [0, 0],
			parameters: structuredClone(options.parameters),
		};
		const { credentialType } = options;
		if (credentialType) this.node.credentials = { [credentialType.name]: { id: 'harness-credential', name: 'Harness credential' } };
		this.workflow = new Workflow({
			id: this.workflowId,
			name: 'Poll harness workflow',
			nodes: [structuredClone(this.node)],
			connections: {},
			active: true,
			nodeTypes: new NodeTypeRegistry({ [typeId]: nodeType }),
			staticData: structuredClone(options.staticData ?? {}),
			settings: { executionOrder: 'v1' },
		});
		this.credentials = new HarnessCredentials(
			credentialType ? [credentialType] : [],
			credentialType ? { [credentialType.name]: options.credentials ?? {} } : {},
		);
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

	/** The node's live static data (what `getWorkflowStaticData('node')` returns). */
	nodeStaticData(): IDataObject {
		return this.workflow.getStaticData('node', this.workflowNode);
	}

	persistedStaticData(): IDataObject {
		return asStored(this.workflow.staticData);
	}

	/** Throws n8n's WorkflowActivationError when activation fails (e.g. the first poll threw). */
	async activate(activation: WorkflowActivateMode = 'activate'): Promise<PollResult> {
		const result = emptyResult();
		await this.workflow.expression.acquireIsolate();
		try {
			await this.results.run(
				result,
				async () =>
					await Container.get(ActiveWorkflowTriggers).addAllTriggers(
						this.workflowId,
						this.workflow,
						this.additionalData('trigger'),
						'trigger',
						activation,
						() => {
							throw new UnexpectedError('The poll harness runs polling nodes only');
						},
						(workflow, node, additionalData, mode, activationMode) =>
							(this.context = this.pollContext(workflow, node, additionalData, mode, activationMode)),
					),
			);
		} finally {
			await this.workflow.expression.releaseIsolate();
		}
		return result;
	}

	async deactivate(): Promise<void> {
		await Container.get(ActiveWorkflowTriggers).remove(this.workflowId);
	}

	/** One scheduled tick, through the activation's context (the first tick makes one if none). */
	async poll(): Promise<PollResult> {
		const result = emptyResult();
		const node = this.workflowNode;
		this.context ??= this.pollContext(this.workflow, node, this.additionalData('trigger'), 'trigger', 'activate');
		const tick = Container.get(PollTriggerExecutor).create(this.workflow, node, this.context, () => true);
		await this.results.run(result, async () => await tick(false));
		return result;
	}

	/** "Fetch Test Event". */
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
	 * An n8n restart: this workflow is deactivated and built again (same id, same parameters)
	 * from its stored static data, with `nodeType`, a new instance. Activate it with
	 * `activate('init')`, as n8n does at start-up.
	 */
	async restart(nodeType: INodeType): Promise<PollHarness> {
		await this.deactivate();
		return new PollHarness({ ...this.options, nodeType, staticData: this.persistedStaticData(), workflowId: this.workflowId });
	}

	private pollContext(
		workflow: Workflow,
		node: INode,
		additionalData: IWorkflowExecuteAdditionalData,
		mode: WorkflowExecuteMode,
		activation: WorkflowActivateMode,
	): IPollFunctions {
		const emit = (data: INodeExecutionData[][]) => {
			const result = this.currentResult();
			result.emitted = true;
			result.outputs = data.map((output) => output ?? []);
			result.items = result.outputs[0] ?? [];
		};
		return new PollContext(workflow, node, additionalData, mode, activation, emit, (error) => {
			this.currentResult().error = error;
		});
	}

	private currentResult(): PollResult {
		const result = this.results.getStore();
		if (!result) throw new UnexpectedError('The poll harness got a poll result outside of a poll');
		return result;
	}

	private additionalData(mode: WorkflowExecuteMode): IWorkflowExecuteAdditionalData {
		const shape = {
			id: this.workflowId,
			name: this.workflow.name ?? 'Poll harness workflow',
			nodes: [this.workflowNode],
			connections: {},
			active: true,
		};
		return additionalDataFor({
			credentials: this.credentials,
			workflow: shape,
			executionId: `${this.workflowId}-execution-${nextExecutionNumber()}`,
			mode,
		});
	}
}

function emptyResult(): PollResult {
	return { items: [], outputs: [], emitted: false };
}
