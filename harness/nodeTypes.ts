/**
 * Node types as a workflow sees them: a registry by type id, and the two adjustments the
 * harness makes to a node type (reporting the error its `execute` throws, and adding the
 * `pollTimes` parameter that n8n's loader gives every polling node).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';
import { isNodeClassInstance, NodeHelpers, UnexpectedError } from 'n8n-workflow';

export type AnyNodeType = INodeType | IVersionedNodeType;

export type ThrownErrorListener = (nodeName: string, error: unknown) => void;

export class NodeTypeRegistry implements INodeTypes {
	/** `onThrown` hears the error each node's `execute` throws, with the node's name. */
	constructor(
		private readonly types: Record<string, AnyNodeType>,
		private readonly onThrown?: ThrownErrorListener,
	) {}

	getByName(typeId: string): AnyNodeType {
		const type = this.types[typeId];
		if (!type) throw new UnexpectedError(`Unknown node type "${typeId}" in the harness`);
		return type;
	}

	getByNameAndVersion(typeId: string, version?: number): INodeType {
		const type = NodeHelpers.getVersionedNodeType(this.getByName(typeId), version);
		return this.onThrown ? reportingThrownErrors(type, this.onThrown) : type;
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

export function latestVersion(nodeType: AnyNodeType): number {
	if ('nodeVersions' in nodeType) return nodeType.currentVersion;
	const { version } = nodeType.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

/**
 * The same node type, whose `execute` hands the error it throws to `onThrown` before
 * rethrowing it: n8n's run data keeps only a plain copy, tests want the real instance.
 */
function reportingThrownErrors(nodeType: INodeType, onThrown: ThrownErrorListener): INodeType {
	if (!nodeType.execute) return nodeType;
	const execute = nodeType.execute as (this: unknown, ...given: unknown[]) => ReturnType<NonNullable<INodeType['execute']>>;
	const reporting = Object.create(nodeType) as INodeType;
	reporting.execute = async function (this: IExecuteFunctions, ...args: unknown[]) {
		// A node written as a class (n8n's newer style, e.g. its Wait node) gets the context as
		// its first argument, `this` being the node itself.
		const context = isNodeClassInstance(nodeType) ? (args[0] as IExecuteFunctions) : this;
		try {
			return await execute.apply(this, args);
		} catch (error) {
			onThrown(context.getNode().name, error);
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- n8n must get the node's own error, unchanged
			throw error;
		}
	};
	return reporting;
}

/** n8n's default poll schedule: every minute. */
const pollTimesParameter: INodeProperties = {
	displayName: 'Poll Times',
	name: 'pollTimes',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Poll Time' },
	default: { item: [{ mode: 'everyMinute' }] },
	placeholder: 'Add Poll Time',
	options: NodeHelpers.cronNodeOptions,
};

/** The polling node as n8n's loader hands it to a workflow: with a `pollTimes` parameter. */
export function withPollTimes(nodeType: INodeType): INodeType {
	const loaded = Object.create(nodeType) as INodeType;
	loaded.description = { ...nodeType.description, properties: [...nodeType.description.properties, pollTimesParameter] };
	return loaded;
}
