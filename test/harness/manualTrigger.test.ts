import type { INodeExecutionData, ITriggerFunctions } from 'n8n-workflow';

import { MANUAL_TRIGGER_TYPE, manualTriggerNodeType } from '../../harness';

describe('the start node of runWorkflow', () => {
	it("answers to n8n's Manual Trigger type id", () => {
		expect(MANUAL_TRIGGER_TYPE).toBe(`n8n-nodes-base.${manualTriggerNodeType.description.name}`);
		expect(manualTriggerNodeType.description.inputs).toEqual([]);
	});

	it('emits one empty item when n8n calls its manual trigger function, not before', async () => {
		const emitted: INodeExecutionData[][][] = [];
		const context = { emit: (data: INodeExecutionData[][]) => emitted.push(data) } as unknown as ITriggerFunctions;
		const response = await manualTriggerNodeType.trigger!.call(context);
		expect(emitted).toEqual([]);
		expect(response?.manualTriggerFunction).toBeInstanceOf(Function);
		await response?.manualTriggerFunction?.();
		expect(emitted).toEqual([[[{ json: {} }]]]);
	});
});
