/**
 * "Fetch Test Event" goes through the same selection as the poll: for the same settings and
 * the same DMC data, the test event is the newest of what the poll emits.
 */
import type { INodeParameters } from 'n8n-workflow';

import { MINUTE, useTriggerSuite } from './helpers';

const suite = useTriggerSuite();
const { clock } = suite;

async function pollAndTestEvent(parameters: INodeParameters, produce: () => Promise<void>) {
	const trigger = await suite.trigger(parameters);
	await trigger.activate();
	await produce();
	clock.advance(MINUTE);
	const polled = await trigger.poll();
	const manual = await trigger.fetchTestEvent();
	await trigger.deactivate();
	expect(polled.error).toBeUndefined();
	expect(manual.error).toBeUndefined();
	return { polled: polled.items.map((item) => item.json), manual: manual.items.map((item) => item.json) };
}

it.each<[string, INodeParameters, string[]]>([
	['Reply Received', { event: 'replyReceived' }, ['Oui', 'Merci']],
	['Reply Received with STOPs', { event: 'replyReceived', options: { includeStops: true } }, ['Oui', 'Merci', 'STOP']],
	['STOP Received', { event: 'stopReceived' }, ['STOP']],
])('%s: the test event is the newest reply the poll emits', async (_, parameters, texts) => {
	const { polled, manual } = await pollAndTestEvent(parameters, async () => {
		const [a, b, c] = await suite.send(['0612345678', '0781234567', '0612345679']);
		suite.sandbox.reply(a, 'Oui', { at: clock.now() - 3000 });
		suite.sandbox.reply(b, 'Merci', { at: clock.now() - 2000 });
		suite.sandbox.reply(c, 'STOP', { at: clock.now() - 1000 });
	});
	expect(polled.map((json) => json.text)).toEqual(texts);
	expect(manual).toEqual([polled[polled.length - 1]]);
});

it.each<[string, INodeParameters, string[]]>([
	['any final status', { event: 'deliveryStatusChanged' }, ['CRA_SMS_RECEIVED', 'CRA_SMS_BLACKLIST']],
	['DONE only', { event: 'deliveryStatusChanged', statuses: ['DONE'] }, ['CRA_SMS_RECEIVED']],
	['one result code', { event: 'deliveryStatusChanged', resultCodes: 'blacklist' }, ['CRA_SMS_BLACKLIST']],
])('Delivery Status Changed, %s: the test event is the newest report the poll emits', async (_, parameters, codes) => {
	const { polled, manual } = await pollAndTestEvent(parameters, async () => {
		await suite.send(['0612345678']);
		clock.advance(5000);
		await suite.send(['0699999901']);
		clock.advance(5000);
	});
	expect(polled.map((json) => json.resultCode)).toEqual(codes);
	expect(manual).toEqual([polled[polled.length - 1]]);
});
