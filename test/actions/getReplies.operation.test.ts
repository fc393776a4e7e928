import { NodeOperationError } from 'n8n-workflow';

import { execute } from '../../nodes/SfrDmc/actions/getReplies.operation';
import { connectDmc } from '../../nodes/SfrDmc/transport/connectDmc';
import { executeContext, refused, refusedItemJson, type Parameters } from './executeContext';

jest.mock('../../nodes/SfrDmc/transport/connectDmc');

const getResponsesSMS = jest.fn();
beforeEach(() => {
	getResponsesSMS.mockReset();
	jest.mocked(connectDmc).mockResolvedValue({ getResponsesSMS } as never);
});

const window: Parameters = { since: () => '2025-03-01T00:00:00.000Z', until: () => '2025-03-02T00:00:00.000Z', stopOnly: () => true };

describe('getReplies with a mocked transport', () => {
	it("asks DMC for the item's window and outputs each reply paired with it", async () => {
		getResponsesSMS.mockResolvedValue([{ callAdress: '33612345678', callResponse: 'STOP', callDate: 1740787200000, contactId: 42 }]);
		const [output] = await execute.call(executeContext(window));
		expect(getResponsesSMS).toHaveBeenCalledWith(true, new Date('2025-03-01T00:00:00.000Z'), new Date('2025-03-02T00:00:00.000Z'));
		expect(output).toEqual([
			{
				json: { from: '+33612345678', text: 'STOP', receivedAt: '2025-03-01T00:00:00.000Z', isStop: true, messageId: '42' },
				pairedItem: { item: 0 },
			},
		]);
	});

	it("keeps DMC's errorCode, outcome and text in the error item under continue-on-fail", async () => {
		getResponsesSMS.mockRejectedValueOnce(refused()).mockResolvedValueOnce([]);
		const [output] = await execute.call(executeContext(window, { items: 2, continueOnFail: true }));
		expect(output).toEqual([
			{
				json: refusedItemJson(),
				pairedItem: { item: 0 },
			},
		]);
	});

	it('names the item whose window ends before it starts, and asks DMC nothing for it', async () => {
		const backwards = { ...window, since: () => '2025-03-03T00:00:00.000Z' };
		const thrown = await execute.call(executeContext(backwards)).catch((error: unknown) => error);
		expect(thrown).toBeInstanceOf(NodeOperationError);
		expect((thrown as Error).message).toBe('Since (2025-03-03T00:00:00.000Z) is after Until (2025-03-02T00:00:00.000Z) [item 0]');
		expect(getResponsesSMS).not.toHaveBeenCalled();
	});
});
