import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { PollHarness } from '../../harness';

/** Emits the next number each poll while `stopAt` is not reached, remembering it in static data. */
class Counter implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Counter',
		name: 'counter',
		group: ['trigger'],
		version: 1,
		description: 'Counts polls',
		defaults: { name: 'Counter' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		polling: true,
		properties: [{ displayName: 'Stop At', name: 'stopAt', type: 'number', default: 3 }],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const data = this.getWorkflowStaticData('node');
		const next = ((data.count as number | undefined) ?? 0) + 1;
		if (next > (this.getNodeParameter('stopAt') as number)) return null;
		data.count = next;
		return [[{ json: { count: next } }]];
	}
}

describe('PollHarness', () => {
	it('gives a polling node the pollTimes parameter, every minute by default', async () => {
		const harness = await PollHarness.create({ nodeType: new Counter(), parameters: {} });
		expect(harness.workflowNode.parameters).toEqual({ stopAt: 3, pollTimes: { item: [{ mode: 'everyMinute' }] } });
		expect(harness.node.type).toBe('CUSTOM.counter');
	});

	it('polls once on activation, then on each tick, until the node returns null', async () => {
		const harness = await PollHarness.create({ nodeType: new Counter(), parameters: { stopAt: 2 } });
		expect(await harness.activate()).toEqual({ items: [{ json: { count: 1 } }], outputs: [[{ json: { count: 1 } }]], emitted: true });
		expect((await harness.poll()).items).toEqual([{ json: { count: 2 } }]);
		expect(await harness.poll()).toEqual({ items: [], outputs: [], emitted: false });
		expect(harness.nodeStaticData()).toMatchObject({ count: 2 });
		await harness.deactivate();
	});

	it('keeps static data across a restart as n8n stores it', async () => {
		const harness = await PollHarness.create({ nodeType: new Counter(), parameters: {}, staticData: { 'node:Counter': { count: 1 } } });
		await harness.poll();
		expect(harness.persistedStaticData()).toEqual({ 'node:Counter': { count: 2 } });
		const restarted = await harness.restart(new Counter());
		expect(restarted.workflowId).toBe(harness.workflowId);
		expect((await restarted.poll()).items).toEqual([{ json: { count: 3 } }]);
	});

	it('fetches a test event in a manual run', async () => {
		const harness = await PollHarness.create({ nodeType: new Counter(), parameters: {} });
		const manual = await harness.fetchTestEvent();
		expect(manual.error).toBeUndefined();
		expect(manual.items.map((item) => item.json)).toEqual([{ count: 1 }]);
	});

	it('refuses a node without poll()', async () => {
		const notPolling: INodeType = { description: new Counter().description };
		await expect(PollHarness.create({ nodeType: notPolling, parameters: {} })).rejects.toThrow('CUSTOM.counter has no poll() method');
	});
});
