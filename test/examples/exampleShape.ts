/**
 * What every example workflow must keep as our nodes change: only parameters, operations,
 * events and options our nodes have, n8n's own nodes only among those named, and
 * connections between nodes it has. Examples that need n8n's own nodes are checked this way;
 * the runnable parts run through n8n-core's WorkflowExecute in their own tests.
 */
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { SfrDmcSms } from '../../nodes/SfrDmc/SfrDmcSms.node';
import { SfrDmcSmsTrigger } from '../../nodes/SfrDmc/SfrDmcSmsTrigger.node';

export interface ExampleJson {
	nodes: Array<{ name: string; type: string; parameters?: object }>;
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}

const ours: Record<string, INodeTypeDescription> = {
	'n8n-nodes-sfr-dmc.sfrDmcSms': new SfrDmcSms().description,
	'n8n-nodes-sfr-dmc.sfrDmcSmsTrigger': new SfrDmcSmsTrigger().description,
};
const names = (properties: readonly INodeProperties[]) => properties.map((property) => property.name);

export function expectOnlyOurParameters(workflow: ExampleJson, n8nNodeTypes: readonly string[]): void {
	for (const node of workflow.nodes) {
		const description = ours[node.type];
		if (!description) {
			expect(n8nNodeTypes).toContain(node.type);
			continue;
		}
		const parameters = (node.parameters ?? {}) as Record<string, unknown>;
		for (const name of Object.keys(parameters)) if (name !== 'pollTimes') expect(names(description.properties)).toContain(name);
		// The action node has one Operation selector per resource; a workflow without a resource runs Message's.
		const resource = (parameters.resource as string | undefined) ?? 'message';
		const shownFor = (property: INodeProperties) => property.displayOptions?.show?.resource?.includes(resource) ?? true;
		const choice = description.properties.find(
			(property) => property.name === (parameters.operation ? 'operation' : 'event') && shownFor(property),
		);
		expect(choice?.options?.map((option) => ('value' in option ? option.value : undefined))).toContain(
			parameters.operation ?? parameters.event,
		);
		const options = parameters.options as Record<string, unknown> | undefined;
		if (!options) continue;
		const collection = description.properties.find(
			(property) =>
				property.name === 'options' &&
				shownFor(property) &&
				property.displayOptions?.show?.operation?.includes(parameters.operation as string),
		);
		for (const name of Object.keys(options)) expect(names((collection?.options ?? []) as INodeProperties[])).toContain(name);
	}
}

export function expectConnectedNodesOnly(workflow: ExampleJson): void {
	const nodeNames = workflow.nodes.map((node) => node.name);
	for (const [from, outputs] of Object.entries(workflow.connections)) {
		expect(nodeNames).toContain(from);
		for (const link of outputs.main.flat()) expect(nodeNames).toContain(link.node);
	}
}
