import { execute } from '../../nodes/SfrDmc/actions/listSenders.operation';
import { getSenders } from '../../nodes/SfrDmc/methods/loadOptions';
import { connectDmc } from '../../nodes/SfrDmc/transport/connectDmc';
import { executeContext, refused, refusedItemJson } from './executeContext';

jest.mock('../../nodes/SfrDmc/transport/connectDmc');

const findServiceOadc = jest.fn();
beforeEach(() => {
	findServiceOadc.mockReset();
	jest.mocked(connectDmc).mockResolvedValue({ findServiceOadc } as never);
});

describe('listSenders with a mocked transport', () => {
	it('outputs one item per sender for each input item', async () => {
		findServiceOadc.mockResolvedValue(['MAIRIE', 'SFR']);
		const [output] = await execute.call(executeContext({}, { items: 2 }));
		expect(output).toEqual([
			{ json: { sender: 'MAIRIE' }, pairedItem: { item: 0 } },
			{ json: { sender: 'SFR' }, pairedItem: { item: 0 } },
			{ json: { sender: 'MAIRIE' }, pairedItem: { item: 1 } },
			{ json: { sender: 'SFR' }, pairedItem: { item: 1 } },
		]);
	});

	it("keeps DMC's errorCode, outcome and text in the error item under continue-on-fail", async () => {
		findServiceOadc.mockRejectedValue(refused('Service inconnu'));
		const [output] = await execute.call(executeContext({}, { continueOnFail: true }));
		expect(output).toEqual([
			{
				json: refusedItemJson('Service inconnu'),
				pairedItem: { item: 0 },
			},
		]);
	});

	it('stops on a DMC failure without continue-on-fail', async () => {
		const failure = refused();
		findServiceOadc.mockRejectedValue(failure);
		await expect(execute.call(executeContext({}))).rejects.toBe(failure);
	});

	it('feeds the Sender drop-down, the account default first', async () => {
		findServiceOadc.mockResolvedValue(['MAIRIE']);
		const options = await getSenders.call({} as never);
		expect(options).toEqual([
			{ name: "Account's Default", value: '', description: 'Let DMC choose the sender' },
			{ name: 'MAIRIE', value: 'MAIRIE' },
		]);
	});
});
