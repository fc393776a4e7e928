/**
 * Send Voice Message and Exclude Numbers on the wire (nock): the exact messages DMC receives,
 * and, when a call fails, the accounting of what DMC had accepted with excluded recipients.
 */
import nock from 'nock';
import { NodeApiError, type IDataObject, type INodeParameters } from 'n8n-workflow';

import { SfrDmcApi } from '../../credentials/SfrDmcApi.credentials';
import { runNode } from '../../harness';
import { SfrDmcSms } from '../../nodes/SfrDmc/SfrDmcSms.node';
import { cleanNock, dmcCredentials, mockBatchSingleCall } from '../node/dmcMock';

beforeAll(() => nock.disableNetConnect());
afterEach(() => cleanNock());
afterAll(() => nock.enableNetConnect());

function run(parameters: INodeParameters, items: IDataObject[], continueOnFail = false) {
	return runNode({
		nodeType: new SfrDmcSms(),
		credentialType: new SfrDmcApi(),
		credentials: dmcCredentials(),
		parameters,
		items,
		continueOnFail,
	});
}

it('sends each recipient a Vocal message with the voice, E.164 number, reference and validity, and nothing else', async () => {
	const dmc = mockBatchSingleCall();
	const result = await run(
		{
			operation: 'sendVoice',
			to: '={{ $json.to }}',
			message: 'Alerte crue',
			voice: 'laura8k',
			options: { reference: 'CRUE', validity: 60 },
		},
		[{ to: '01 23 45 67 89; 0975123456' }],
	);
	expect(result.error).toBeUndefined();
	expect(dmc.calls).toHaveLength(1);
	expect(dmc.calls[0].messages).toEqual([
		{ media: 'Vocal', textMsg: 'Alerte crue', ttsVoice: 'laura8k', to: '+33123456789', refExt: 'CRUE', timeout: 60 },
		{ media: 'Vocal', textMsg: 'Alerte crue', ttsVoice: 'laura8k', to: '+33975123456', refExt: 'CRUE', timeout: 60 },
	]);
	expect(result.items[0].json).toMatchObject({ messageIds: ['1000', '1001'], media: 'Vocal', voice: 'laura8k' });
});

it('when a later call fails, lists what DMC accepted by the numbers actually sent, not the excluded ones', async () => {
	// Item 0 has an excluded recipient and a sent one; with 19 more items it fills the first
	// call of 20 messages; item 20 goes in a second call, which DMC refuses.
	const items = [
		{ to: '07 81 23 45 00, 07 81 23 45 01' },
		...Array.from({ length: 20 }, (_, n) => ({ to: `07 81 23 46 ${String(n).padStart(2, '0')}` })),
	];
	const dmc = mockBatchSingleCall((messages) =>
		messages.length === 1 ? [200, { success: false, errorCode: 'invalid_parameter', errorDetail: 'refused' }] : undefined,
	);
	const result = await run(
		{ operation: 'send', to: '={{ $json.to }}', message: 'Bonjour', options: { excludeNumbers: '+33 7 81 23 45 00' } },
		items,
	);
	const [full] = dmc.calls.filter((call) => call.messages.length === 20);
	expect(full.messages[0].to).toBe('+33781234501');
	expect(dmc.calls).toHaveLength(2);
	const description = (result.error as NodeApiError).description ?? '';
	expect(description).toContain('item 0: +33781234501 → 1000');
	expect(description).not.toContain('+33781234500');
});
