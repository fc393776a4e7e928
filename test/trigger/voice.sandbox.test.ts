/**
 * Delivery Status Changed for voice messages (media Vocal), through n8n's real poll
 * machinery against the sandbox: a call to a landline ends like an SMS, without parts.
 */
import { SfrDmcApi } from '../../credentials/SfrDmcApi.credentials';
import { runNode } from '../../harness';
import { SfrDmcSms } from '../../nodes/SfrDmc/SfrDmcSms.node';
import { credentials, MINUTE, useTriggerSuite } from './helpers';

const suite = useTriggerSuite();

it('emits the final report of a voice message to a landline, its number in E.164 and no parts', async () => {
	const trigger = await suite.trigger({ event: 'deliveryStatusChanged' });
	await trigger.activate();
	const sent = await runNode({
		nodeType: new SfrDmcSms(),
		credentialType: new SfrDmcApi(),
		credentials: credentials(suite.sandbox),
		parameters: { operation: 'sendVoice', to: '01 23 45 67 89, 06 99 99 99 01', message: 'Alerte crue', options: { reference: 'CRUE-1' } },
		items: [{}],
	});
	expect(sent.error).toBeUndefined();
	const [landline, blacklisted] = sent.items[0].json.messageIds as string[];
	suite.clock.advance(MINUTE);
	const result = await trigger.poll();
	expect(result.error).toBeUndefined();
	expect(result.items.map((item) => item.json)).toEqual([
		expect.objectContaining({ messageId: landline, reference: 'CRUE-1', to: '+33123456789', status: 'DONE', parts: null }),
		expect.objectContaining({ messageId: blacklisted, to: '+33699999901', status: 'FAILED', resultCode: 'CRA_SMS_BLACKLIST', parts: null }),
	]);
	await trigger.deactivate();
});
