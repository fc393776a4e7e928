import { NodeOperationError } from 'n8n-workflow';

import { execute } from '../../nodes/SfrDmc/actions/cancel.operation';
import { connectDmc } from '../../nodes/SfrDmc/transport/connectDmc';
import { executeContext, refused, type Parameters } from './executeContext';

jest.mock('../../nodes/SfrDmc/transport/connectDmc');

const findCraByIds = jest.fn();
const stopSingleCall = jest.fn();
beforeEach(() => {
	findCraByIds.mockReset();
	stopSingleCall.mockReset();
	jest.mocked(connectDmc).mockResolvedValue({ findCraByIds, stopSingleCall } as never);
});

const record = (contactId: number, externalReference: string) => ({
	contactId,
	externalReference,
	status: 'RUNNING',
	callAdress: '33612345678',
});
const run = async (parameters: Parameters, options: { items?: number; continueOnFail?: boolean } = {}) =>
	await execute.call(executeContext(parameters, options));

describe('cancel with a mocked transport', () => {
	it("stops the ids of each item, and answers DMC's count, paired with the item", async () => {
		stopSingleCall.mockResolvedValueOnce(1).mockResolvedValueOnce(0);
		const [output] = await run({ messageIds: (i) => (i === 0 ? '11, 12' : ['13']), references: () => '' }, { items: 2 });
		expect(stopSingleCall.mock.calls).toEqual([[['11', '12']], [['13']]]);
		expect(findCraByIds).not.toHaveBeenCalled();
		expect(output).toEqual([
			{ json: { messageIds: ['11', '12'], cancelled: 1 }, pairedItem: { item: 0 } },
			{ json: { messageIds: ['13'], cancelled: 0 }, pairedItem: { item: 1 } },
		]);
	});

	it('looks references up first, and names those DMC does not know', async () => {
		findCraByIds.mockResolvedValue([record(21, 'ALERT'), record(22, 'ALERT'), record(23, 'OTHER')]);
		stopSingleCall.mockResolvedValue(2);
		const [output] = await run({ messageIds: () => '20', references: () => 'ALERT, GONE' });
		expect(findCraByIds).toHaveBeenCalledWith([], ['ALERT', 'GONE']);
		expect(stopSingleCall).toHaveBeenCalledWith(['20', '21', '22']);
		expect(output[0].json).toEqual({ messageIds: ['20', '21', '22'], cancelled: 2, referencesNotFound: ['GONE'] });
	});

	it('does not call stopSingleCall when no message is found', async () => {
		findCraByIds.mockResolvedValue([]);
		const [output] = await run({ messageIds: () => '', references: () => 'GONE' });
		expect(stopSingleCall).not.toHaveBeenCalled();
		expect(output[0].json).toEqual({ messageIds: [], cancelled: 0, referencesNotFound: ['GONE'] });
	});

	it("makes a refused call the item's error item under continue-on-fail, and stops without it", async () => {
		stopSingleCall.mockRejectedValueOnce(refused()).mockResolvedValueOnce(1);
		const [output] = await run({ messageIds: (i) => String(i + 1), references: () => '' }, { items: 2, continueOnFail: true });
		expect(output).toEqual([
			{ json: expect.objectContaining({ errorCode: 'invalid_parameter', outcome: 'refused' }), pairedItem: { item: 0 } },
			{ json: { messageIds: ['2'], cancelled: 1 }, pairedItem: { item: 1 } },
		]);
		const failure = refused();
		stopSingleCall.mockRejectedValue(failure);
		await expect(run({ messageIds: () => '1', references: () => '' })).rejects.toBe(failure);
	});

	it('names the item that gives neither ids nor references', async () => {
		const thrown = await run({ messageIds: () => '', references: () => '' }).catch((error: unknown) => error);
		expect(thrown).toBeInstanceOf(NodeOperationError);
		expect((thrown as NodeOperationError).message).toBe('Give at least one message ID or reference [item 0]');
	});
});
