/**
 * The trigger's cursor semantics end to end (n8n's poll machinery, the sandbox, one fake
 * clock): no duplicates, no gaps, across polls, restarts and failed polls; SFR's
 * once-a-minute rule; "Fetch Test Event".
 */
import { NodeApiError } from 'n8n-workflow';

import { SfrDmcSmsTrigger } from '../../nodes/SfrDmc/SfrDmcSmsTrigger.node';
import { cursorOf, MINUTE, useTriggerSuite } from './helpers';

const suite = useTriggerSuite();
const { clock } = suite;

const texts = (result: { items: Array<{ json: Record<string, unknown> }> }) => result.items.map((item) => item.json.text);

describe('no duplicates', () => {
	it('emits a reply sharing the instant of one already emitted, and neither twice', async () => {
		const [id] = await suite.send(['0612345678']);
		const trigger = await suite.trigger({ event: 'replyReceived' });
		await trigger.activate();
		clock.advance(MINUTE);
		const instant = clock.now() - 1000;
		suite.sandbox.reply(id, 'first', { at: instant });
		expect(texts(await trigger.poll())).toEqual(['first']);
		expect(cursorOf(trigger).watermark).toBe(instant);

		// DMC records a second reply stamped with that very instant after the poll.
		suite.sandbox.reply(id, 'second', { at: instant });
		clock.advance(MINUTE);
		expect(texts(await trigger.poll())).toEqual(['second']);
		clock.advance(MINUTE);
		expect((await trigger.poll()).emitted).toBe(false);
		await trigger.deactivate();
	});

	it('finds an event DMC recorded up to 5 minutes late; one older than that is out of reach', async () => {
		const [id] = await suite.send(['0612345678']);
		const trigger = await suite.trigger({ event: 'replyReceived' });
		await trigger.activate();
		clock.advance(MINUTE);
		suite.sandbox.reply(id, 'on time');
		clock.advance(MINUTE);
		expect(texts(await trigger.poll())).toEqual(['on time']);
		const watermark = cursorOf(trigger).watermark as number;
		suite.sandbox.reply(id, 'late', { at: watermark - 4 * MINUTE });
		suite.sandbox.reply(id, 'too late', { at: watermark - 6 * MINUTE });
		clock.advance(MINUTE);
		expect(texts(await trigger.poll())).toEqual(['late']);
		await trigger.deactivate();
	});

	it('continues after a restart (new node instance, stored static data): nothing twice, nothing lost', async () => {
		const trigger = await suite.trigger({ event: 'replyReceived' });
		await trigger.activate();
		const [a, b] = await suite.send(['0699999903', '0612345678']);
		clock.advance(MINUTE);
		expect((await trigger.poll()).items.map((item) => item.json.messageId)).toEqual([a]);

		suite.sandbox.reply(b, 'pendant le redémarrage');
		clock.advance(10_000);
		const restarted = await trigger.restart(new SfrDmcSmsTrigger(clock));
		const before = suite.calls().getResponsesSMS;
		// n8n polls at start-up; ten seconds after the last query, the minute is not up.
		expect((await restarted.activate('init')).emitted).toBe(false);
		expect(suite.calls().getResponsesSMS).toBe(before);

		clock.advance(MINUTE);
		expect(texts(await restarted.poll())).toEqual(['pendant le redémarrage']);
		clock.advance(MINUTE);
		expect((await restarted.poll()).emitted).toBe(false);
		await restarted.deactivate();
	});

	it('lets only one of two overlapping polls query and emit', async () => {
		const trigger = await suite.trigger({ event: 'replyReceived' });
		await trigger.activate();
		await suite.send(['0699999903']);
		clock.advance(MINUTE);
		const before = suite.calls().getResponsesSMS;
		const [one, other] = await Promise.all([trigger.poll(), trigger.poll()]);
		expect([...texts(one), ...texts(other)]).toEqual(['Thanks, well received']);
		expect(suite.calls().getResponsesSMS).toBe(before + 1);
		await trigger.deactivate();
	});
});

describe('no gaps across a failed poll', () => {
	it('replies: a poll DMC fails leaves the cursor as it was; the next one emits its events, once', async () => {
		const trigger = await suite.trigger({ event: 'replyReceived' });
		await trigger.activate();
		await suite.send(['0699999903']);
		clock.advance(MINUTE);
		const stored = trigger.persistedStaticData();

		suite.sandbox.injectFaults({ kind: 'html502' });
		const failed = await trigger.poll();
		expect(failed.emitted).toBe(false);
		expect(failed.error).toBeInstanceOf(NodeApiError);
		expect(failed.error?.message).toMatch(/HTTP 502/);
		expect(trigger.persistedStaticData()).toEqual(stored);

		clock.advance(MINUTE);
		expect(texts(await trigger.poll())).toEqual(['Thanks, well received']);
		clock.advance(MINUTE);
		expect((await trigger.poll()).emitted).toBe(false);
		await trigger.deactivate();
	});

	it('reports: the lookup failing after a good listing loses nothing either', async () => {
		const trigger = await suite.trigger({ event: 'deliveryStatusChanged' });
		await trigger.activate();
		const ids = await suite.send(['0612345678', '0699999905']);
		clock.advance(MINUTE);
		const stored = trigger.persistedStaticData();

		suite.sandbox.injectFaults({ kind: 'html502', method: 'findCraByIds' });
		const failed = await trigger.poll();
		expect(failed.error?.message).toMatch(/HTTP 502 to SupervisionWS\/findCraByIds/);
		expect(suite.calls().getSingleCallCra).toBe(2);
		expect(trigger.persistedStaticData()).toEqual(stored);

		clock.advance(MINUTE);
		expect((await trigger.poll()).items.map((item) => [item.json.messageId, item.json.resultCode])).toEqual([
			[ids[0], 'CRA_SMS_RECEIVED'],
			[ids[1], 'CRA_SMS_WRONGNUMBER'],
		]);
		clock.advance(MINUTE);
		expect((await trigger.poll()).emitted).toBe(false);
		await trigger.deactivate();
	});

	it('a failed first poll fails the activation, as n8n shows it, and stores nothing', async () => {
		const trigger = await suite.trigger({ event: 'stopReceived' });
		suite.sandbox.injectFaults({ kind: 'successFalse', errorCode: 'authentication_failed' });
		await expect(trigger.activate()).rejects.toThrow(
			/There was a problem activating the workflow: "DMC refused SupervisionWS\/getResponsesSMS: authentication_failed \(.+\)\. Check the Service ID/,
		);
		expect(trigger.nodeStaticData().cursor).toBeUndefined();
	});
});

describe('at most one DMC query a minute', () => {
	it('skips a poll less than 55 s after the last query, waits out the last 5 s, queries after a minute', async () => {
		const trigger = await suite.trigger({ event: 'deliveryStatusChanged' });
		await trigger.activate();
		const lastQuery = cursorOf(trigger).lastQueryAt as number;
		expect(lastQuery).toBe(clock.now());

		clock.advance(30_000);
		expect(await trigger.poll()).toEqual({ items: [], outputs: [], emitted: false });
		expect(suite.calls().getSingleCallCra).toBe(1);
		expect(cursorOf(trigger).lastQueryAt).toBe(lastQuery);

		clock.advance(27_500); // 57.5 s after the last query
		await trigger.poll();
		expect(clock.slept).toEqual([2500]);
		expect(suite.calls().getSingleCallCra).toBe(2);
		expect(cursorOf(trigger).lastQueryAt).toBe(lastQuery + MINUTE);

		clock.advance(MINUTE);
		await trigger.poll();
		expect(suite.calls().getSingleCallCra).toBe(3);
		expect(clock.slept).toEqual([2500]);
		await trigger.deactivate();
	});

	it('queries again when the clock was set back by more than a minute', async () => {
		const trigger = await suite.trigger({ event: 'replyReceived' });
		await trigger.activate();
		clock.advance(-2 * MINUTE);
		await trigger.poll();
		expect(suite.calls().getResponsesSMS).toBe(2);
		clock.advance(2 * MINUTE);
	});

	it('n8n itself refuses sub-minute poll times, and accepts every minute', async () => {
		const everyTenSeconds = await suite.trigger({
			event: 'deliveryStatusChanged',
			pollTimes: { item: [{ mode: 'custom', cronExpression: '*/10 * * * * *' }] },
		});
		await expect(everyTenSeconds.activate()).rejects.toThrow(/The polling interval is too short. It has to be at least a minute./);
		expect(suite.calls().getSingleCallCra).toBe(0);

		const everyMinute = await suite.trigger({
			event: 'deliveryStatusChanged',
			pollTimes: { item: [{ mode: 'everyX', value: 1, unit: 'minutes' }] },
		});
		await everyMinute.activate();
		expect(suite.calls().getSingleCallCra).toBe(1);
		await everyMinute.deactivate();
	});
});

describe('Fetch Test Event (manual mode)', () => {
	it('returns the most recent reply of the last 7 days, neither reading nor moving the cursor', async () => {
		const trigger = await suite.trigger({ event: 'replyReceived' });
		expect((await trigger.fetchTestEvent()).items).toEqual([]);

		const [a, b] = await suite.send(['0612345678', '0781234567']);
		suite.sandbox.reply(a, 'too old', { at: clock.now() - 8 * 24 * 60 * MINUTE });
		expect((await trigger.fetchTestEvent()).items).toEqual([]);
		suite.sandbox.reply(a, 'older', { at: clock.now() - 2 * 24 * 60 * MINUTE });
		suite.sandbox.reply(b, 'latest', { at: clock.now() - MINUTE });
		const manual = await trigger.fetchTestEvent();
		expect(manual.error).toBeUndefined();
		expect(manual.items.map((item) => item.json)).toEqual([expect.objectContaining({ text: 'latest', messageId: b, isStop: false })]);
		expect(trigger.persistedStaticData()).toEqual({});

		await trigger.activate();
		const stored = trigger.persistedStaticData();
		// A person asked: no once-a-minute wait, and the cursor stays.
		const before = suite.calls().getResponsesSMS;
		expect(texts(await trigger.fetchTestEvent())).toEqual(['latest']);
		expect(suite.calls().getResponsesSMS).toBe(before + 1);
		expect(trigger.persistedStaticData()).toEqual(stored);
		await trigger.deactivate();
	});

	it('returns the most recent final report that passes the filters', async () => {
		const trigger = await suite.trigger({ event: 'deliveryStatusChanged', resultCodes: 'BLACKLIST' });
		await suite.send(['0699999901', '0612345678']);
		clock.advance(5000);
		const [latest] = await suite.send(['0699999901']);
		await suite.send(['0781234567']);
		clock.advance(5000);
		const manual = await trigger.fetchTestEvent();
		expect(manual.items.map((item) => item.json)).toEqual([
			expect.objectContaining({ messageId: latest, status: 'FAILED', resultCode: 'CRA_SMS_BLACKLIST', to: '+33699999901' }),
		]);
		expect(trigger.persistedStaticData()).toEqual({});

		const stop = await suite.trigger({ event: 'stopReceived' });
		expect((await stop.fetchTestEvent()).items).toEqual([]);
	});
});
