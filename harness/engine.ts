/**
 * Test support: run a node inside n8n's real execution engine.
 *
 * - `WorkflowExecute.processRunExecutionData` from n8n-core runs a real `Workflow`
 *   (n8n-workflow) made of a tiny in-file start node connected to the node under test.
 * - Parameters go through n8n's real parameter/expression machinery (defaults applied by
 *   `Workflow`, `={{ ... }}` resolved per item by the real expression engine).
 * - `this.helpers.httpRequestWithAuthentication` is n8n-core's real helper: it asks our
 *   credentials helper for the credential values and to apply the credential type's
 *   `authenticate`, then sends a REAL request through n8n's OutboundHttp/axios client (so
 *   nock, or a real local server, sees it). n8n-core does not ship a credentials helper;
 *   `EngineCredentialsHelper.authenticate` is a line-by-line port of
 *   packages/cli/src/credentials-helper.ts (function `authenticate` called as is; generic
 *   `authenticate` values resolved as expressions with `$credentials`).
 *
 * DI wiring (n8n-core resolves services through the `@n8n/di` Container):
 * - `InstanceSettings`: replaced by an in-memory instance (the real constructor would
 *   read/write `~/.n8n/config` to create an encryption key).
 * - backend-common `Logger`: replaced by an in-memory logger (debug/info kept in memory,
 *   warn/error kept in memory AND printed), also installed as n8n-workflow's LoggerProxy.
 * - `ErrorReporter`: replaced; node execution errors (which end up in the run data and in
 *   `RunNodeResult.error`) are recorded silently, anything else is logged as an error.
 * - Everything else (OutboundHttp, SSRF config, ExecutionContextService, Cipher...) is the
 *   real service built by the container from its default (env based) config.
 */
import { Container } from '@n8n/di';
import {
	Credentials,
	ErrorReporter,
	ExecuteContext,
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	InstanceSettings,
	RoutingNode,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ExecutionError,
	ExecutionStatus,
	IConnections,
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialsDecrypted,
	ICredentialsExpressionResolveValues,
	ICredentialType,
	IDataObject,
	IExecuteData,
	IExecuteFunctions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IPinData,
	IRequestOptionsSimplified,
	IRun,
	IRunData,
	ITaskDataConnections,
	ITriggerFunctions,
	ITriggerResponse,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	createRunExecutionData,
	ICredentialsHelper,
	isExpression,
	LoggerProxy,
	NodeConnectionTypes,
	NodeHelpers,
	UnexpectedError,
	Workflow,
} from 'n8n-workflow';

/* -------------------------------------------------------------------------- */
/* Logging                                                                    */
/* -------------------------------------------------------------------------- */

export type EngineLogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface EngineLogEntry {
	level: EngineLogLevel;
	message: string;
	meta?: unknown;
}

const MAX_KEPT_LOGS = 2000;

/** Everything n8n logged (through Logger or LoggerProxy) since the process started. */
export const engineLogs: EngineLogEntry[] = [];

type EngineLogSink = (entry: EngineLogEntry) => void;

const defaultSink: EngineLogSink = (entry) => {
	if (entry.level !== 'warn' && entry.level !== 'error') return;
	// Errors/warnings from the engine must stay visible in the jest output.
	// eslint-disable-next-line no-console
	(entry.level === 'error' ? console.error : console.warn)(
		`[n8n ${entry.level}] ${entry.message}`,
		...(entry.meta === undefined ? [] : [entry.meta]),
	);
};

let logSink: EngineLogSink = defaultSink;

/**
 * Replace what happens with each log entry (default: print warn/error, drop debug/info).
 * Pass `undefined` to restore the default. Entries are always kept in `engineLogs`.
 */
export function setEngineLogSink(sink: EngineLogSink | undefined): void {
	logSink = sink ?? defaultSink;
}

function record(level: EngineLogLevel, message: unknown, meta?: unknown): void {
	const entry: EngineLogEntry = { level, message: String(message), meta };
	engineLogs.push(entry);
	if (engineLogs.length > MAX_KEPT_LOGS) engineLogs.splice(0, engineLogs.length - MAX_KEPT_LOGS);
	logSink(entry);
}

/** Quacks like @n8n/backend-common's Logger (the methods n8n-core calls). */
class EngineTestLogger {
	readonly level = 'debug';

	error(message: unknown, meta?: unknown) {
		record('error', message, meta);
	}

	warn(message: unknown, meta?: unknown) {
		record('warn', message, meta);
	}

	info(message: unknown, meta?: unknown) {
		record('info', message, meta);
	}

	debug(message: unknown, meta?: unknown) {
		record('debug', message, meta);
	}

	scoped(): EngineTestLogger {
		return this;
	}
}

/** Errors n8n-core handed to its ErrorReporter (node errors are also in the run data). */
export const reportedErrors: Array<{ error: unknown; options?: unknown }> = [];

class EngineTestErrorReporter {
	error(error: unknown, options?: { extra?: Record<string, unknown> }) {
		reportedErrors.push({ error, options });
		if (reportedErrors.length > MAX_KEPT_LOGS) reportedErrors.shift();
		// WorkflowExecute.reportNodeExecutionError() passes `extra.nodeType`: that error is
		// already stored in the run data and returned in RunNodeResult.error, do not print it.
		if (options?.extra?.nodeType !== undefined) return;
		record('error', error instanceof Error ? (error.stack ?? error.message) : error, options);
	}

	warn(warning: unknown, options?: unknown) {
		record('warn', warning instanceof Error ? warning.message : warning, options);
	}

	info(message: unknown, options?: unknown) {
		record('info', message, options);
	}
}

/* -------------------------------------------------------------------------- */
/* DI container setup (once per module registry)                              */
/* -------------------------------------------------------------------------- */

type MetadataReflect = { getMetadata?: (key: string, target: object) => unknown };

let engineReady = false;

/** Sets up n8n-core's DI container once per process (also used by harness/poll.ts). */
export function ensureEngine(): void {
	if (engineReady) return;

	// n8n-core resolves services through *its* copy of @n8n/di. A different copy would
	// silently ignore Container.set(), so check that ours knows n8n-core's services.
	if (!Container.has(InstanceSettings)) {
		throw new UnexpectedError(
			'test/support/engine.ts: the imported @n8n/di Container is not the one n8n-core uses ' +
				'(npm ls @n8n/di must show a single, deduped copy shared with n8n-core).',
		);
	}

	// The backend-common Logger class n8n-core depends on (n8n-core's own nested copy),
	// taken from the DI constructor metadata instead of importing @n8n/backend-common
	// (which may resolve to another version).
	const getMetadata = (Reflect as unknown as MetadataReflect).getMetadata;
	const paramTypes = getMetadata?.('design:paramtypes', InstanceSettings);
	const LoggerClass = Array.isArray(paramTypes) ? (paramTypes[1] as unknown) : undefined;
	if (typeof LoggerClass !== 'function' || LoggerClass.name !== 'Logger') {
		throw new UnexpectedError('test/support/engine.ts: could not find n8n-core Logger class');
	}

	const logger = new EngineTestLogger();
	Container.set(LoggerClass as unknown as typeof EngineTestLogger, logger);
	LoggerProxy.init(logger);

	const n8nFolder = '/nonexistent/n8n-engine-test/.n8n';
	const instanceSettings = Object.assign(Object.create(InstanceSettings.prototype) as object, {
		n8nFolder,
		staticCacheDir: `${n8nFolder}/cache`,
		customExtensionDir: `${n8nFolder}/custom`,
		nodesDownloadDir: `${n8nFolder}/nodes`,
		nodeDefinitionsDir: `${n8nFolder}/node-definitions`,
		settingsFile: `${n8nFolder}/config`,
		enforceSettingsFilePermissions: { isSet: false, enforce: false },
		canSeedDeploymentState: false,
		instanceRole: 'unset',
		isMultiMainEnabled: false,
		isMultiMainLicensed: false,
		instanceType: 'main',
		hostId: 'main-engine-test',
		settings: { encryptionKey: 'engine-test-encryption-key' },
		derivedInstanceId: 'engine-test-instance-id',
		instanceId: 'engine-test-instance-id',
		hmacSignatureSecret: 'engine-test-hmac-secret',
	}) as unknown as InstanceSettings;
	Container.set(InstanceSettings, instanceSettings);

	Container.set(ErrorReporter, new EngineTestErrorReporter() as unknown as ErrorReporter);

	engineReady = true;
}

/* -------------------------------------------------------------------------- */
/* Credentials helper                                                         */
/* -------------------------------------------------------------------------- */

const CREDENTIAL_ID = 'engine-test-credential-id';
const CREDENTIAL_NAME = 'Engine test credential';

interface StoredCredential {
	type: ICredentialType;
	data: ICredentialDataDecryptedObject;
}

/**
 * ICredentialsHelper for one credential type (runNode, testCredential) or several
 * (runWorkflow: `EngineCredentialsHelper.forTypes`), values stored by credential type
 * name: whatever id/name a node's credential reference carries, it gets the values of its
 * type. `authenticate` mirrors packages/cli/src/credentials-helper.ts (n8n's real
 * implementation): a function `authenticate` is called, a generic one has each key/value of
 * each `properties.<headers|qs|body|auth>` resolved as an expression with `$credentials`
 * and assigned into `requestOptions[outerKey][key]` (object created if missing).
 */
export class EngineCredentialsHelper extends ICredentialsHelper {
	private readonly stored = new Map<string, StoredCredential>();

	/** Types registered without values (`forTypes`): asking for their values fails. */
	private readonly missing = new Set<string>();

	/** The single-type form: the type, if any, and its values (none = empty values). */
	constructor(credentialType: ICredentialType | undefined, credentials: ICredentialDataDecryptedObject | undefined) {
		super();
		if (credentialType) this.addCredential(credentialType, credentials ?? {});
	}

	/**
	 * Several credential types; `values` maps a type name to its values. A type without
	 * values is known (its properties, `authenticate`...) but asking for its values fails,
	 * as n8n fails for a node whose credential does not exist.
	 */
	static forTypes(
		credentialTypes: readonly ICredentialType[],
		values: Record<string, ICredentialDataDecryptedObject>,
	): EngineCredentialsHelper {
		const helper = new EngineCredentialsHelper(undefined, undefined);
		for (const type of credentialTypes) helper.addCredential(type, values[type.name]);
		const unknown = Object.keys(values).filter((name) => !helper.stored.has(name));
		if (unknown.length > 0) {
			throw new UnexpectedError(
				`Credential values given for unknown credential type(s) ${unknown.join(', ')}: pass their ICredentialType in credentialTypes`,
			);
		}
		return helper;
	}

	/** Registers (or replaces) a credential type and its values. */
	addCredential(credentialType: ICredentialType, credentials: ICredentialDataDecryptedObject | undefined): void {
		this.stored.set(credentialType.name, { type: credentialType, data: { ...(credentials ?? {}) } });
		if (credentials === undefined) this.missing.add(credentialType.name);
		else this.missing.delete(credentialType.name);
	}

	/** Current stored values of the first type (after preAuthentication / updates). */
	get storedData(): ICredentialDataDecryptedObject {
		const first = this.stored.values().next().value;
		return first?.data ?? {};
	}

	/** Current stored values of a type (after preAuthentication / updates). */
	storedDataFor(typeName: string): ICredentialDataDecryptedObject | undefined {
		return this.stored.get(typeName)?.data;
	}

	private entry(typeName: string): StoredCredential {
		const entry = this.stored.get(typeName);
		if (!entry) throw new UnexpectedError(`Unknown credential type "${typeName}" in engine test`);
		return entry;
	}

	private getType(typeName: string): ICredentialType {
		return this.entry(typeName).type;
	}

	getParentTypes(name: string): string[] {
		return this.stored.get(name)?.type.extends ?? [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions;
		const { authenticate } = this.getType(typeName);
		if (authenticate) {
			if (typeof authenticate === 'function') {
				return await authenticate(credentials, requestOptions as IHttpRequestOptions);
			}
			if (typeof authenticate === 'object') {
				if (!workflow || !node) {
					throw new UnexpectedError(
						'Workflow and node are required for declarative credential authentication',
					);
				}
				if (requestOptions.headers === undefined) requestOptions.headers = {};
				if (authenticate.type === 'generic') {
					const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
					for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
						for (const [key, value] of Object.entries(outerValue as Record<string, unknown>)) {
							const keyResolved = resolveCredentialValue(key, credentials, workflow, node);
							const valueResolved = resolveCredentialValue(
								value as string,
								credentials,
								workflow,
								node,
							);
							if (!target[outerKey]) target[outerKey] = {};
							target[outerKey][keyResolved] = valueResolved;
						}
					}
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.getType(typeName);
		const expirableProperty = credentialType.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirableProperty?.name === undefined) return undefined;
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		if (credentials[expirableProperty.name] !== '' && !credentialsExpired) return undefined;

		const output = await credentialType.preAuthentication.call(helpers, credentials);
		if (output[expirableProperty.name] === undefined) return undefined;
		const update = output as ICredentialDataDecryptedObject;
		const entry = this.entry(typeName);
		entry.data = { ...entry.data, ...update };
		return Object.assign(credentials, update);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.getType(typeName);
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		const output = await credentialType.preAuthentication.call(helpers, credentials);
		return (output as ICredentialDataDecryptedObject | undefined) ?? undefined;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		return new Credentials({ id: nodeCredentials.id, name: nodeCredentials.name }, type);
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const { type: credentialType, data } = this.entry(type);
		if (this.missing.has(type)) {
			// What n8n says when a node's credential reference points to nothing.
			throw new UnexpectedError(
				`Credential with ID "${nodeCredentials.id ?? ''}" (${nodeCredentials.name}) does not exist for type "${type}": no values were given for it`,
			);
		}
		const original = { ...data };
		if (raw === true) return original;

		// Same as n8n's applyDefaultsAndOverwrites(): add defaults of the credential
		// properties, then resolve expressions in the values.
		let decrypted = applyCredentialDefaults(credentialType, original);
		if (original.oauthTokenData !== undefined) decrypted.oauthTokenData = original.oauthTokenData;

		if (expressionResolveValues) {
			decrypted = expressionResolveValues.workflow.expression.getParameterValue(
				decrypted as INodeParameters,
				expressionResolveValues.runExecutionData,
				expressionResolveValues.runIndex,
				expressionResolveValues.itemIndex,
				expressionResolveValues.node.name,
				expressionResolveValues.connectionInputData,
				mode,
				{},
				executeData,
				false,
				decrypted,
			) as ICredentialDataDecryptedObject;
		}
		return decrypted;
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.entry(type).data = { ...data };
		this.missing.delete(type);
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const entry = this.entry(type);
		entry.data = { ...entry.data, oauthTokenData: data.oauthTokenData };
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.getType(type).properties;
	}
}

function applyCredentialDefaults(
	credentialType: ICredentialType,
	data: ICredentialDataDecryptedObject,
): ICredentialDataDecryptedObject {
	return (NodeHelpers.getNodeParameters(
		credentialType.properties,
		data as INodeParameters,
		true,
		false,
		null,
		null,
	) ?? {}) as ICredentialDataDecryptedObject;
}

function resolveCredentialValue(
	parameterValue: string,
	credentials: ICredentialDataDecryptedObject,
	workflow: Workflow,
	node: INode,
): string {
	if (!isExpression(parameterValue)) return parameterValue;
	const returnValue = workflow.expression.getSimpleParameterValue(
		node,
		parameterValue,
		'internal',
		{ $credentials: credentials },
		undefined,
		'',
	);
	if (!returnValue) return '';
	return returnValue.toString();
}

/* -------------------------------------------------------------------------- */
/* Workflow plumbing                                                          */
/* -------------------------------------------------------------------------- */

const START_NODE_TYPE = 'n8n-engine-test.itemsSource';
const START_NODE_NAME = 'Start';

/** Start node: no inputs; outputs the items it is started with (the nodeExecutionStack). */
const itemsSourceNodeType: INodeType = {
	description: {
		displayName: 'Items Source (test)',
		name: 'itemsSource',
		group: ['input'],
		version: 1,
		description: 'Emits the items the test execution was started with',
		defaults: { name: START_NODE_NAME },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	},
};

class EngineNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types[nodeType];
		if (!type) throw new UnexpectedError(`Unknown node type "${nodeType}" in engine test`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

function latestVersion(nodeType: INodeType | IVersionedNodeType): number {
	if ('nodeVersions' in nodeType) return nodeType.currentVersion;
	const { version } = nodeType.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

/**
 * Same node type, but the error its `execute` throws is handed to `onError` (with the
 * execute context) before being rethrown unchanged (WorkflowExecute only stores a
 * plain-object copy of it in the run data).
 */
function captureThrownErrors(
	nodeType: INodeType,
	onError: (error: unknown, context: IExecuteFunctions) => void,
): INodeType {
	const originalExecute = nodeType.execute as ((...args: unknown[]) => unknown) | undefined;
	if (!originalExecute) return nodeType;
	const wrapped = Object.create(nodeType) as INodeType;
	const execute = async function (this: unknown, ...args: unknown[]): Promise<unknown> {
		try {
			return await originalExecute.apply(this === wrapped ? nodeType : this, args);
		} catch (error) {
			onError(error, this as IExecuteFunctions);
			// The harness must hand the engine the node's own error, unchanged.
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
			throw error;
		}
	};
	wrapped.execute = execute as INodeType['execute'];
	return wrapped;
}

function toExecutionItems(items: INodeExecutionData[] | IDataObject[]): INodeExecutionData[] {
	return items.map((item) => {
		const candidate = item as Partial<INodeExecutionData>;
		if (candidate.json !== null && typeof candidate.json === 'object' && !Array.isArray(candidate.json)) {
			return { ...(item as INodeExecutionData) };
		}
		return { json: { ...(item as IDataObject) } };
	});
}

function notSupported(what: string) {
	return async (): Promise<never> => {
		throw new UnexpectedError(`${what} is not supported by the engine test harness`);
	};
}

let executionCounter = 0;

/** The stored form of a workflow, as execution hooks and contexts expect it. */
export function workflowBase(workflow: {
	id: string;
	name: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
	active?: boolean;
}): IWorkflowBase {
	return {
		id: workflow.id,
		name: workflow.name,
		active: workflow.active ?? false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: workflow.nodes,
		connections: workflow.connections,
		settings: workflow.settings ?? { executionOrder: 'v1' },
		activeVersionId: null,
	};
}

/** What WorkflowExecute and the node contexts need of the n8n instance around them. */
export function createAdditionalData(
	credentialsHelper: ICredentialsHelper,
	hooks: ExecutionLifecycleHooks | undefined,
	executionId: string,
	workflowId: string,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper,
		hooks,
		externalSecretsProxy: new ExternalSecretsProxy(),
		executionId,
		workflowId,
		userId: 'engine-test-user',
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		variables: {},
		executeWorkflow: notSupported('executeWorkflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: notSupported('startRunnerTask'),
	};
}

/* -------------------------------------------------------------------------- */
/* Public API                                                                 */
/* -------------------------------------------------------------------------- */

export interface RunNodeOptions {
	/** An instance, e.g. `new SfrDmcSms()`. */
	nodeType: INodeType | IVersionedNodeType;
	/** Its `authenticate` is applied by the engine on httpRequestWithAuthentication(credentialType.name, ...). */
	credentialType?: ICredentialType;
	/** Plain credential values (defaults of `credentialType.properties` are added like n8n does). */
	credentials?: ICredentialDataDecryptedObject;
	/** Node parameters; `={{ ... }}` expressions are resolved by n8n's expression engine. */
	parameters: INodeParameters;
	/** Input items (`{ json }` items, or plain objects which get wrapped in `{ json }`). */
	items: INodeExecutionData[] | IDataObject[];
	/** Sets `onError: 'continueRegularOutput'` and `continueOnFail: true` on the node. */
	continueOnFail?: boolean;
	/** Defaults to the node type's highest version. */
	typeVersion?: number;
	/** Node name in the workflow; defaults to the node's `defaults.name` or its displayName. */
	nodeName?: string;
	/** Prefix of the node type id (`<prefix>.<description.name>`); defaults to `CUSTOM`. */
	nodeTypePrefix?: string;
	/** Execution mode; defaults to 'manual'. */
	mode?: WorkflowExecuteMode;
}

export interface RunNodeResult {
	/** Output items of the node under test (main output 0), incl. json, pairedItem, error. */
	items: INodeExecutionData[];
	/** All main outputs of the node under test. */
	outputs: INodeExecutionData[][];
	/**
	 * The error of the node under test: the instance its execute() threw (real
	 * NodeApiError/NodeOperationError) when the engine recorded an error for it; otherwise
	 * the execution-level error as n8n stores it.
	 */
	error?: Error;
	/** The error exactly as WorkflowExecute stored it (plain-object copy: { ...error, message, stack }). */
	storedError?: ExecutionError;
	/** Full run data of the execution (JSON.stringify it to look for leaked secrets). */
	runData: IRunData;
	/** The whole IRun returned by WorkflowExecute. */
	run: IRun;
	/** The workflow node that was executed (name, type, parameters as given). */
	node: INode;
	/** The credentials helper used (stored values, after preAuthentication if any). */
	credentialsHelper: EngineCredentialsHelper;
}

export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	ensureEngine();

	const { nodeType, credentialType } = options;
	const typeVersion = options.typeVersion ?? latestVersion(nodeType);
	const versionNodeType = NodeHelpers.getVersionedNodeType(nodeType, typeVersion);
	const { description } = versionNodeType;
	let thrownError: unknown;
	const nodeTypeUnderTest = captureThrownErrors(versionNodeType, (error) => {
		thrownError = error;
	});
	const typeId = `${options.nodeTypePrefix ?? 'CUSTOM'}.${description.name}`;
	let nodeName = options.nodeName ?? description.defaults?.name ?? description.displayName;
	if (nodeName === START_NODE_NAME) nodeName = `${nodeName} (under test)`;

	const executionId = `engine-test-${++executionCounter}`;
	const workflowId = `engine-test-workflow-${executionCounter}`;

	const startNode: INode = {
		id: 'engine-test-start',
		name: START_NODE_NAME,
		type: START_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const testNode: INode = {
		id: 'engine-test-node',
		name: nodeName,
		type: typeId,
		typeVersion,
		position: [250, 0],
		parameters: structuredClone(options.parameters),
	};
	if (credentialType) {
		testNode.credentials = {
			[credentialType.name]: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME },
		};
	}
	if (options.continueOnFail) {
		testNode.onError = 'continueRegularOutput';
		testNode.continueOnFail = true;
	}

	const nodes = [startNode, testNode];
	const connections = {
		[START_NODE_NAME]: {
			main: [[{ node: nodeName, type: NodeConnectionTypes.Main, index: 0 }]],
		},
	};
	const workflowData = workflowBase({ id: workflowId, name: 'Engine test workflow', nodes, connections });

	const workflow = new Workflow({
		id: workflowId,
		name: workflowData.name,
		nodes: structuredClone(nodes),
		connections,
		active: false,
		nodeTypes: new EngineNodeTypes({
			[START_NODE_TYPE]: itemsSourceNodeType,
			[typeId]: nodeTypeUnderTest,
		}),
		settings: { executionOrder: 'v1' },
	});

	const credentialsHelper = new EngineCredentialsHelper(credentialType, options.credentials);
	const mode = options.mode ?? 'manual';
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	const additionalData = createAdditionalData(credentialsHelper, hooks, executionId, workflowId);

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node: workflow.getNode(START_NODE_NAME)!,
					data: { main: [toExecutionItems(options.items)] },
					source: null,
				},
			],
		},
	});

	const run = await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(
		workflow,
	);

	const runData = run.data.resultData.runData;
	const taskData = runData[nodeName]?.[0];
	const outputs = (taskData?.data?.main ?? []).map((output) => output ?? []);
	const storedError = taskData?.error ?? run.data.resultData.error;
	const error =
		taskData?.error !== undefined && thrownError instanceof Error
			? thrownError
			: (storedError as Error | undefined);

	return {
		items: outputs[0] ?? [],
		outputs,
		error,
		storedError,
		runData,
		run,
		node: testNode,
		credentialsHelper,
	};
}

/**
 * Run several executions at the same time in this process (each one is a separate
 * WorkflowExecute with its own workflow, hooks, additionalData and credentials helper).
 */
export async function runNodesConcurrently(runs: RunNodeOptions[]): Promise<RunNodeResult[]> {
	return await Promise.all(runs.map(async (options) => await runNode(options)));
}

/* -------------------------------------------------------------------------- */
/* Credential test                                                            */
/* -------------------------------------------------------------------------- */

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

function getPath(data: unknown, path: string): unknown {
	let current: unknown = data;
	for (const key of path.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

/**
 * Runs `credentialType.test` (an ICredentialTestRequest) the way n8n's CredentialsTester
 * does: a temporary node whose only property routes `test.request`, executed by n8n-core's
 * RoutingNode through httpRequestWithAuthentication (so `authenticate` is applied), then
 * `test.rules` are evaluated. Returns n8n's { status, message }.
 */
export async function testCredential(
	credentialType: ICredentialType,
	credentials: ICredentialDataDecryptedObject,
): Promise<CredentialTestResult> {
	ensureEngine();
	const testRequest = credentialType.test;
	if (!testRequest) {
		return { status: 'Error', message: 'No testing function found for this credential.' };
	}

	const credentialsHelper = new EngineCredentialsHelper(credentialType, credentials);
	const credentialsDecrypted: ICredentialsDecrypted = {
		id: CREDENTIAL_ID,
		name: CREDENTIAL_NAME,
		type: credentialType.name,
		data: applyCredentialDefaults(credentialType, credentials),
	};

	const nodeTypeCopy: INodeType = {
		description: {
			displayName: 'Temp',
			name: 'engineCredentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'Temp-Node' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: credentialType.name, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	};
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: nodeTypeCopy.description.name,
		typeVersion: 1,
		position: [0, 0],
		credentials: { [credentialType.name]: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new EngineNodeTypes({ [nodeTypeCopy.description.name]: nodeTypeCopy }),
	});

	const executionId = `engine-credential-test-${++executionCounter}`;
	const additionalData = createAdditionalData(credentialsHelper, undefined, executionId, 'temp');
	const inputData: ITaskDataConnections = { main: [[{ json: {} }]] };
	const executeData: IExecuteData = { node, data: {}, source: null };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData({ executionData: null }),
		0,
		[],
		inputData,
		executeData,
		[],
	);
	const routingNode = new RoutingNode(context, nodeTypeCopy, credentialsDecrypted);

	let response: INodeExecutionData[][] | undefined;
	await workflow.expression.acquireIsolate();
	try {
		response = await routingNode.runNode();
	} catch (e) {
		const error = e as Error & {
			cause?: { response?: { status: number; statusText?: string }; code?: string };
		};
		const errorResponse = error.cause?.response;
		if (errorResponse) {
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && errorResponse.status === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			if (errorResponse.status < 199 || errorResponse.status > 299) {
				return {
					status: 'Error',
					message: errorResponse.statusText || `Received HTTP status code: ${errorResponse.status}`,
				};
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: String(error.message) };
	} finally {
		await workflow.expression.releaseIsolate();
	}

	for (const rule of testRequest.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const responseData = response?.[0]?.[0]?.json;
			if (getPath(responseData, rule.properties.key) === rule.properties.value) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/* -------------------------------------------------------------------------- */
/* Whole workflows                                                            */
/* -------------------------------------------------------------------------- */

/** Type id of n8n's Manual Trigger, built into runWorkflow (see manualTriggerNodeType). */
export const MANUAL_TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';

/**
 * Stand-in for n8n-nodes-base's Manual Trigger (n8n-nodes-base is not installed here).
 * It is a copy of n8n's ManualTrigger.node.ts: a trigger node whose `trigger()` returns a
 * `manualTriggerFunction` that emits one empty item. In a manual run, WorkflowExecute
 * (executeTriggerNode, through n8n-core's TriggersAndPollers) calls `trigger()`, then
 * `manualTriggerFunction()`, and outputs what was emitted: `[[{ json: {} }]]`, exactly as
 * clicking "Execute workflow" in n8n does. Like the real node, it only makes sense in
 * mode 'manual' (in other modes WorkflowExecute passes the start data through).
 */
export const manualTriggerNodeType: INodeType = {
	description: {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Runs the flow on clicking a button in n8n',
		eventTriggerDescription: '',
		maxNodes: 1,
		defaults: { name: "When clicking 'Execute workflow'" },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'This node is where the workflow execution starts (when you click the ‘test’ button on the canvas)',
				name: 'notice',
				type: 'notice',
				default: '',
			},
		],
	},
	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const manualTriggerFunction = async () => {
			this.emit([this.helpers.returnJsonArray([{}])]);
		};
		return { manualTriggerFunction };
	},
};

/** A node as n8n exports it (extra fields such as onError, retryOnFail, notes are kept). */
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

/** A workflow as n8n exports it (examples/*.json): nodes, connections, settings, pinData. */
export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: WorkflowJsonNode[];
	connections: Record<string, Record<string, Array<Array<{ node: string; type: string; index: number }> | null>>>;
	settings?: IDataObject;
	/** n8n's pinned data: node name -> items (`{ json }` or plain objects). Used, as n8n does in manual runs. */
	pinData?: Record<string, Array<INodeExecutionData | IDataObject>>;
	[key: string]: unknown;
}

export interface RunWorkflowOptions {
	/**
	 * Node types by type id, e.g. `{ 'n8n-nodes-sfr-dmc.sfrDmcSms': new SfrDmcSms() }`.
	 * `n8n-nodes-base.manualTrigger` is built in (manualTriggerNodeType) unless given here.
	 */
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	/** Credential types the workflow's nodes use (their `authenticate` is applied). */
	credentialTypes?: ICredentialType[];
	/**
	 * Credential values by credential type name, e.g. `{ sfrDmcApi: { serviceId, ... } }`.
	 * Every credential reference of that type in the workflow (whatever its id/name)
	 * resolves to them; defaults of the type's properties are added as n8n does.
	 */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Name of the node to start from; default: n8n's choice (`Workflow.getStartNode()`, the trigger). */
	startNode?: string;
	/** Execution mode; defaults to 'manual' (as when clicking "Execute workflow"). */
	mode?: WorkflowExecuteMode;
}

export interface WorkflowNodeError {
	/** Node the error belongs to (undefined for a workflow-level error, e.g. workflow issues). */
	node?: string;
	message: string;
	/** The instance the node's execute() threw when available, else the stored copy. */
	error: Error;
	/** As WorkflowExecute stored it. */
	storedError: ExecutionError;
}

export interface RunWorkflowResult {
	/** n8n's execution status: 'success', 'error', ... */
	status: ExecutionStatus;
	/** Main output 0 of each node that ran, by node name (all runs of the node, in order). */
	items: Record<string, INodeExecutionData[]>;
	/** Every main output of each node that ran, by node name (all runs concatenated per output). */
	outputs: Record<string, INodeExecutionData[][]>;
	/** Names of the nodes that ran, in execution order. */
	executedNodes: string[];
	/** Errors of the nodes (one per failed node run), then the workflow-level one if it belongs to no node. */
	errors: WorkflowNodeError[];
	/** The error that stopped the execution, if any (the thrown instance when known). */
	error?: Error;
	/** Full run data of the execution. */
	runData: IRunData;
	/** The whole IRun returned by WorkflowExecute. */
	run: IRun;
	/** The n8n Workflow that was executed (nodes with their defaults applied). */
	workflow: Workflow;
	credentialsHelper: EngineCredentialsHelper;
}

/** Node types of a workflow run: each `execute` reports the error it throws, by node name. */
class WorkflowNodeTypes extends EngineNodeTypes {
	private readonly wrapped = new Map<string, INodeType>();

	constructor(
		types: Record<string, INodeType | IVersionedNodeType>,
		private readonly onError: (nodeName: string, error: unknown) => void,
	) {
		super(types);
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		const key = `${nodeType}@${version ?? 'latest'}`;
		let type = this.wrapped.get(key);
		if (!type) {
			type = captureThrownErrors(super.getByNameAndVersion(nodeType, version), (error, context) => {
				this.onError(context.getNode().name, error);
			});
			this.wrapped.set(key, type);
		}
		return type;
	}
}

function workflowNodes(json: WorkflowJson): INode[] {
	if (!Array.isArray(json?.nodes) || json.connections === null || typeof json.connections !== 'object') {
		throw new UnexpectedError('runWorkflow: not an n8n workflow (expected "nodes" and "connections")');
	}
	return json.nodes.map((node, index) => {
		if (typeof node?.name !== 'string' || typeof node.type !== 'string') {
			throw new UnexpectedError(`runWorkflow: node ${index} has no name or type`);
		}
		const copy = structuredClone(node);
		return {
			...copy,
			id: copy.id ?? `node-${index}`,
			position: (copy.position ?? [0, 0]) as [number, number],
			parameters: (copy.parameters ?? {}) as INodeParameters,
		} as INode;
	});
}

/**
 * Executes a whole n8n workflow (as exported by n8n) with n8n-core's real WorkflowExecute,
 * the way n8n runs "Execute workflow": `WorkflowExecute.run()` from the trigger (or
 * `startNode`), pinned data honoured, nodes executed along the connections, parameters and
 * `={{ }}` expressions resolved by n8n, credentials asked from an EngineCredentialsHelper
 * holding `credentials` by type name.
 */
export async function runWorkflow(workflowJson: WorkflowJson, options: RunWorkflowOptions): Promise<RunWorkflowResult> {
	ensureEngine();

	const nodes = workflowNodes(workflowJson);
	const registry: Record<string, INodeType | IVersionedNodeType> = {
		[MANUAL_TRIGGER_TYPE]: manualTriggerNodeType,
		...options.nodeTypes,
	};
	for (const node of nodes) {
		if (!registry[node.type]) {
			throw new UnexpectedError(
				`runWorkflow: node "${node.name}" has type "${node.type}", which is not in nodeTypes (known: ${Object.keys(registry).join(', ')})`,
			);
		}
	}

	const thrown = new Map<string, unknown[]>();
	const nodeTypes = new WorkflowNodeTypes(registry, (nodeName, error) => {
		thrown.set(nodeName, [...(thrown.get(nodeName) ?? []), error]);
	});

	executionCounter++;
	const executionId = `engine-workflow-${executionCounter}`;
	const workflowId = workflowJson.id ?? `engine-workflow-${executionCounter}`;
	const name = workflowJson.name ?? 'Engine workflow';
	const connections = structuredClone(workflowJson.connections) as unknown as IConnections;
	const settings = structuredClone(workflowJson.settings ?? {}) as IWorkflowSettings;
	const pinData: IPinData = {};
	for (const [nodeName, items] of Object.entries(workflowJson.pinData ?? {})) {
		pinData[nodeName] = toExecutionItems(items as IDataObject[]);
	}

	const workflowData = workflowBase({ id: workflowId, name, nodes, connections, settings });
	const workflow = new Workflow({
		id: workflowId,
		name,
		nodes: structuredClone(nodes),
		connections,
		active: false,
		nodeTypes,
		settings,
		pinData,
	});

	let startNode: INode | undefined;
	if (options.startNode !== undefined) {
		startNode = workflow.getNode(options.startNode) ?? undefined;
		if (!startNode) throw new UnexpectedError(`runWorkflow: no node named "${options.startNode}"`);
	}

	const credentialsHelper = EngineCredentialsHelper.forTypes(
		options.credentialTypes ?? [],
		options.credentials ?? {},
	);
	const mode = options.mode ?? 'manual';
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	const additionalData = createAdditionalData(credentialsHelper, hooks, executionId, workflowId);

	const run = await new WorkflowExecute(additionalData, mode).run({
		workflow,
		startNode,
		pinData: Object.keys(pinData).length > 0 ? pinData : undefined,
	});

	const runData = run.data.resultData.runData;
	const items: Record<string, INodeExecutionData[]> = {};
	const outputs: Record<string, INodeExecutionData[][]> = {};
	const errors: WorkflowNodeError[] = [];
	const firstIndex: Record<string, number> = {};
	const instanceOf = (nodeName: string | undefined, stored: ExecutionError): Error => {
		const candidates = (nodeName === undefined ? [] : (thrown.get(nodeName) ?? [])).filter(
			(error): error is Error => error instanceof Error && error.message === stored.message,
		);
		return candidates.at(-1) ?? (stored as Error);
	};

	for (const [nodeName, tasks] of Object.entries(runData)) {
		firstIndex[nodeName] = Math.min(...tasks.map((task) => task.executionIndex ?? Number.MAX_SAFE_INTEGER));
		const nodeOutputs: INodeExecutionData[][] = [];
		for (const task of tasks) {
			(task.data?.main ?? []).forEach((output, index) => {
				nodeOutputs[index] = [...(nodeOutputs[index] ?? []), ...(output ?? [])];
			});
			if (task.error) {
				errors.push({
					node: nodeName,
					message: task.error.message,
					error: instanceOf(nodeName, task.error),
					storedError: task.error,
				});
			}
		}
		outputs[nodeName] = Array.from(nodeOutputs, (output) => output ?? []);
		items[nodeName] = outputs[nodeName][0] ?? [];
	}
	const executedNodes = Object.keys(runData).sort((a, b) => firstIndex[a] - firstIndex[b]);

	const storedError = run.data.resultData.error;
	let error: Error | undefined;
	if (storedError) {
		const owner = errors.find((entry) => entry.storedError === storedError || entry.message === storedError.message);
		if (owner) {
			error = owner.error;
		} else {
			const failedNode = (storedError as { node?: { name?: string } }).node?.name;
			error = instanceOf(failedNode, storedError);
			errors.push({ node: failedNode, message: storedError.message, error, storedError });
		}
	}

	return {
		status: run.status,
		items,
		outputs,
		executedNodes,
		errors,
		error,
		runData,
		run,
		workflow,
		credentialsHelper,
	};
}
