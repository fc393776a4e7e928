/**
 * Reply Received and STOP Received, through n8n's real poll machinery (harness/poll.ts)
 * against the sandbox, on one fake clock.
 */
import { MINUTE, useTriggerSuite } from './helpers';

const suite = useTriggerSuite();
const { clock } = suite;

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('Reply Received', () => {
	it('starts from now, then emits each new reply once, oldest first, without the STOPs', async () => {
		const [before] = await suite.send(['06 99 99 99 03']);
		clock.advance(5000);
		expect(suite.sandbox.replies()).toHaveLength(1);

		const trigger = await suite.trigger({ event: 'replyReceived' });
		const activation = await trigger.activate();
		expect(activation).toEqual({ items: [], outputs: [], emitted: false });
		expect(suite.calls().getResponsesSMS).toBe(1);

		const [replying, stopping] = await suite.send(['0699999903', '0699999904']);
		clock.advance(MINUTE);
		const first = await trigger.poll();
		expect(first.error).toBeUndefined();
		expect(first.items).toEqual([
			{
				json: {
					from: '+33699999903',
					text: 'Thanks, well received',
					receivedAt: expect.stringMatching(ISO),
					isStop: false,
					messageId: replying,
				},
			},
		]);
		expect(first.items[0].json.messageId).not.toBe(before);
		expect(stopping).toEqual(expect.any(String));

		clock.advance(MINUTE);
		expect(await trigger.poll()).toMatchObject({ emitted: false, items: [] });

		suite.sandbox.reply(replying, 'Oui, merci', { at: clock.now() - 20_000 });
		suite.sandbox.reply(before, 'Et pour moi ?', { at: clock.now() - 30_000 });
		clock.advance(MINUTE);
		const second = await trigger.poll();
		expect(second.items.map((item) => [item.json.text, item.json.messageId])).toEqual([
			['Et pour moi ?', before],
			['Oui, merci', replying],
		]);
		expect(suite.calls().getResponsesSMS).toBe(4);
		await trigger.deactivate();
	});

	it('includes STOP requests when asked', async () => {
		const trigger = await suite.trigger({ event: 'replyReceived', options: { includeStops: true } });
		await trigger.activate();
		await suite.send(['0699999904']);
		clock.advance(MINUTE);
		const result = await trigger.poll();
		expect(result.items.map((item) => [item.json.text, item.json.isStop])).toEqual([['STOP', true]]);
		await trigger.deactivate();
	});
});

describe('STOP Received', () => {
	it('emits STOP requests only (getResponsesSMS with stopOnly), each once', async () => {
		const trigger = await suite.trigger({ event: 'stopReceived' });
		await trigger.activate();
		const [stopping, replying] = await suite.send(['0699999904', '0699999903']);
		clock.advance(MINUTE);
		const result = await trigger.poll();
		expect(result.items).toEqual([
			{ json: { from: '+33699999904', text: 'STOP', receivedAt: expect.stringMatching(ISO), isStop: true, messageId: stopping } },
		]);

		suite.sandbox.reply(replying, 'stop svp');
		clock.advance(MINUTE);
		expect((await trigger.poll()).items.map((item) => [item.json.text, item.json.messageId])).toEqual([['stop svp', replying]]);
		clock.advance(MINUTE);
		expect((await trigger.poll()).emitted).toBe(false);
		await trigger.deactivate();
	});
});

describe('DMC refusing a poll as too frequent (another client of the service read reports)', () => {
	it('emits nothing and fails nothing, keeps the cursor, and the next poll asks again and emits the reply once', async () => {
		const trigger = await suite.trigger({ event: 'replyReceived' });
		await trigger.activate();
		const cursorBefore = JSON.stringify(trigger.nodeStaticData().cursor);
		const [replying] = await suite.send(['0699999903']);
		clock.advance(MINUTE);
		suite.sandbox.injectFaults({ kind: 'successFalse', errorCode: 'supervision_too_frequent', method: 'getResponsesSMS' });
		const refused = await trigger.poll();
		expect({ emitted: refused.emitted, error: refused.error }).toEqual({ emitted: false, error: undefined });
		expect(JSON.stringify(trigger.nodeStaticData().cursor)).toBe(cursorBefore);
		expect(suite.calls().getResponsesSMS).toBe(2);

		clock.advance(MINUTE);
		const next = await trigger.poll();
		expect(next.items.map((item) => item.json.messageId)).toEqual([replying]);
		await trigger.deactivate();
	});
});
