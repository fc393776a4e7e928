/**
 * The start node of `runWorkflow`. Workflows saved by n8n (examples/*.json) start with
 * n8n-nodes-base's Manual Trigger, which is not installed here; this node type answers to
 * the same type id. In a manual run, n8n-core calls `trigger()` and then the returned
 * `manualTriggerFunction`, and the node outputs what that emitted: one empty item, which is
 * what "Execute workflow" gives the next node in n8n.
 */
import type { INodeType, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

export const MANUAL_TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';

export const manualTriggerNodeType: INodeType = {
	description: {
		displayName: 'Harness Manual Start',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Starts a harness run with one empty item',
		defaults: { name: 'Manual Start' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	},
	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		return {
			manualTriggerFunction: async () => {
				this.emit([[{ json: {} }]]);
			},
		};
	},
};
