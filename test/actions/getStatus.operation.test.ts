import { ExpressionError, NodeOperationError } from 'n8n-workflow';

import { execute } from '../../nodes/SfrDmc/actions/getStatus.operation';
import { connectDmc } from '../../nodes/SfrDmc/transport/connectDmc';
import { executeContext, NODE, refused, refusedItemJson, type Parameters } from './executeContext';

jest.mock('../../nodes/SfrDmc/transport/connectDmc');

const findCraByIds = jest.fn();
beforeEach(() => {
	findCraByIds.mockReset();
	jest.mocked(connectDmc).mockResolvedValue({ findCraByIds } as never);
});

const record = (contactId: number, externalReference: string, status = 'DONE') => ({
	contactId,
	externalReference,
	status,
	callAdress: '33612345678',
});
const run = async (parameters: Parameters, options: { items?: number; continueOnFail?: boolean } = {}) =>
	await execute.call(executeContext(parameters, options));

describe('getStatus with a mocked transport', () => {
	it('looks the ids of all items up together and pairs each report with the item that asked', async () => {
		findCraByIds.mockResolvedValue([record(11, 'A'), record(12, 'B'), record(13, 'B', 'RUNNING')]);
		const [output] = await run({ messageIds: (i) => (i === 0 ? '11' : ''), references: (i) => (i === 1 ? 'B' : '') }, { items: 2 });
		expect(findCraByIds).toHaveBeenCalledTimes(1);
		expect(findCraByIds).toHaveBeenCalledWith(['11'], ['B']);
		expect(output.map((item) => [item.pairedItem, item.json.messageId, item.json.status])).toEqual([
			[{ item: 0 }, '11', 'DONE'],
			[{ item: 1 }, '12', 'DONE'],
			[{ item: 1 }, '13', 'RUNNING'],
		]);
	});

	it('does not give a reference the failure of a message id written the same', async () => {
		// 100 ids fill the first call, which DMC refuses; reference "5" goes in the second.
		const ids = Array.from({ length: 100 }, (_, n) => String(n + 1));
		findCraByIds.mockRejectedValueOnce(refused()).mockResolvedValueOnce([record(777, '5')]);
		const [output] = await run(
			{ messageIds: (i) => (i === 0 ? ids.join(',') : ''), references: (i) => (i === 1 ? '5' : '') },
			{ items: 2, continueOnFail: true },
		);
		expect(findCraByIds.mock.calls.map(([contactIds, refs]) => [contactIds.length, refs])).toEqual([
			[100, []],
			[0, ['5']],
		]);
		expect(output).toEqual([
			{
				json: refusedItemJson(),
				pairedItem: { item: 0 },
			},
			{ json: expect.objectContaining({ messageId: '777', reference: '5', status: 'DONE' }), pairedItem: { item: 1 } },
		]);
	});

	it('stops on a DMC failure without continue-on-fail', async () => {
		const failure = refused();
		findCraByIds.mockRejectedValue(failure);
		await expect(run({ messageIds: () => '1' })).rejects.toBe(failure);
	});

	it('names the item of a bad input, or makes it an error item, and looks the others up', async () => {
		findCraByIds.mockResolvedValue([record(1, 'A')]);
		const parameters: Parameters = { messageIds: (i) => (i === 0 ? '1' : '') };
		const thrown = await run(parameters, { items: 2 }).catch((error: unknown) => error);
		expect(thrown).toBeInstanceOf(NodeOperationError);
		expect((thrown as NodeOperationError).message).toBe('Give at least one message ID or reference [item 1]');
		expect((thrown as NodeOperationError).context.itemIndex).toBe(1);
		expect(findCraByIds).not.toHaveBeenCalled();

		const [output] = await run(parameters, { items: 2, continueOnFail: true });
		expect(output[1]).toEqual({ json: { error: 'Give at least one message ID or reference [item 1]' }, pairedItem: { item: 1 } });
		expect(output[0].json.messageId).toBe('1');
	});

	it("reports an expression error as the item's, and rethrows our own bugs even under continue-on-fail", async () => {
		const [output] = await run(
			{
				messageIds: () => {
					throw new ExpressionError('invalid syntax');
				},
			},
			{ continueOnFail: true },
		);
		expect(output).toEqual([{ json: { error: 'invalid syntax [item 0]' }, pairedItem: { item: 0 } }]);

		const bug = run(
			{
				messageIds: () => {
					throw new TypeError("Cannot read properties of undefined (reading 'x')");
				},
			},
			{ continueOnFail: true },
		);
		await expect(bug).rejects.toThrow(/^Cannot read properties of undefined/);
		await expect(bug).rejects.toMatchObject({ node: NODE });
		expect(findCraByIds).not.toHaveBeenCalled();
	});
});
