import { NodeOperationError } from 'n8n-workflow';

import { execute } from '../../nodes/SfrDmc/actions/send.operation';
import { connectDmc } from '../../nodes/SfrDmc/transport/connectDmc';
import { heldClients, manualSlots, settle } from '../transport/queueFixtures';
import { executeContext } from './executeContext';

jest.mock('../../nodes/SfrDmc/transport/connectDmc');

/** Item n: 20 recipients, +33 6 12 nn 00 00 … +33 6 12 nn 00 19. */
const parameters = {
	to: (item: number) =>
		Array.from({ length: 20 }, (_, k) => `+33612${String(item).padStart(2, '0')}00${String(k).padStart(2, '0')}`).join(','),
	message: (item: number) => `Rappel ${item}`,
};

describe('send, cancelled by n8n while it sends', () => {
	it('withdraws the items still waiting and names what the call already in flight sent', async () => {
		const slots = manualSlots();
		const dmc = heldClients(slots);
		jest.mocked(connectDmc).mockResolvedValue(dmc.client('execution') as never);
		const cancel = new AbortController();
		const context = Object.assign(executeContext(parameters, { items: 3 }), { getExecutionCancelSignal: () => cancel.signal });

		const outcome = execute.call(context).catch((error: unknown) => error);
		await settle();
		slots.grant();
		await settle();
		cancel.abort();
		dmc.calls[0].answer();
		const error = (await outcome) as NodeOperationError;

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('The execution was cancelled while sending (20 message(s) already accepted)');
		expect(error.description).toContain('item 0: +33612000000 → +33612000000-id');
		expect(error.description).toContain('Not sent, as the execution was cancelled first: item(s) 1, 2.');
		slots.grant();
		await settle();
		expect(dmc.calls).toHaveLength(1);
	});
});
