import { additionalDataFor, toExecutionItems, workflowBase } from '../../harness/execution';
import { HarnessCredentials } from '../../harness/credentials';
import type { IExecuteWorkflowInfo, IWorkflowExecuteAdditionalData, ExecuteWorkflowOptions } from 'n8n-workflow';

const workflow = { id: 'wf-1', name: 'W', nodes: [], connections: {} };

describe('the n8n instance around an execution', () => {
	it('says sub-workflows and task runners are not supported by this harness', async () => {
		const data = additionalDataFor({ credentials: new HarnessCredentials([], {}), workflow, executionId: 'x-1', mode: 'manual' });
		await expect(
			data.executeWorkflow({} as IExecuteWorkflowInfo, {} as IWorkflowExecuteAdditionalData, {} as ExecuteWorkflowOptions),
		).rejects.toThrow('executeWorkflow (sub-workflows) is not supported by this harness');
		await expect((data.startRunnerTask as () => Promise<unknown>)()).rejects.toThrow(/startRunnerTask .* is not supported by this harness/);
		expect(data.executionId).toBe('x-1');
		expect(data.workflowId).toBe('wf-1');
		expect(data.hooks?.workflowData).toMatchObject({ id: 'wf-1', name: 'W', active: false, settings: { executionOrder: 'v1' } });
	});

	it('stores a workflow with its own settings when it has some', () => {
		expect(workflowBase({ ...workflow, settings: { executionOrder: 'v0' }, active: true })).toMatchObject({
			active: true,
			settings: { executionOrder: 'v0' },
		});
	});

	it('wraps plain objects in { json } and copies items as given', () => {
		const item = { json: { a: 1 }, pairedItem: { item: 0 } };
		const [kept, wrapped, arrayJson] = toExecutionItems([item, { b: 2 }, { json: [1] }]);
		expect(kept).toEqual(item);
		expect(kept).not.toBe(item);
		expect(wrapped).toEqual({ json: { b: 2 } });
		// `json` must be an object for an item: an array there is a plain field.
		expect(arrayJson).toEqual({ json: { json: [1] } });
	});
});
