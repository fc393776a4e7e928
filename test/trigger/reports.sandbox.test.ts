/**
 * Delivery Status Changed, through n8n's real poll machinery (harness/poll.ts) against the
 * sandbox, on one fake clock.
 */
import { MINUTE, useTriggerSuite } from './helpers';

const suite = useTriggerSuite();
const { clock } = suite;

describe('Delivery Status Changed', () => {
	it('starts from now, then emits each report that became final, once, shaped like Get Status', async () => {
		await suite.send(['0612345678', '0699999901']);
		clock.advance(5000);
		const trigger = await suite.trigger({ event: 'deliveryStatusChanged' });
		expect((await trigger.activate()).emitted).toBe(false);
		// The first poll only lists, to know what is already there.
		expect(suite.calls()).toEqual({ getResponsesSMS: 0, getSingleCallCra: 1, findCraByIds: 0 });

		const ids = await suite.send(['06 12 34 56 78', '0690 00 11 22', '06 99 99 99 01', '06 99 99 99 02'], 'Rappel', 'REQ-9');
		clock.advance(MINUTE);
		const result = await trigger.poll();
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.messageId, item.json.to, item.json.status, item.json.resultCode])).toEqual([
			[ids[0], '+33612345678', 'DONE', 'CRA_SMS_RECEIVED'],
			[ids[1], '+590690001122', 'DONE', 'CRA_SMS_RECEIVED'],
			[ids[2], '+33699999901', 'FAILED', 'CRA_SMS_BLACKLIST'],
			[ids[3], '+33699999902', 'FAILED', 'CRA_SMS_SAASNOCREDIT'],
		]);
		const settledAt = suite.sandbox.messages().find((message) => String(message.id) === ids[2])?.statusChangedAt;
		expect(result.items[2].json).toEqual({
			messageId: ids[2],
			reference: 'REQ-9',
			to: '+33699999901',
			status: 'FAILED',
			resultCode: 'CRA_SMS_BLACKLIST',
			result: 'Number blacklisted',
			parts: 1,
			updatedAt: new Date(settledAt ?? 0).toISOString(),
		});
		// One listing, one lookup of the four that changed.
		expect(suite.calls()).toEqual({ getResponsesSMS: 0, getSingleCallCra: 2, findCraByIds: 1 });

		clock.advance(MINUTE);
		expect((await trigger.poll()).emitted).toBe(false);
		// Nothing changed: the listing alone.
		expect(suite.calls()).toEqual({ getResponsesSMS: 0, getSingleCallCra: 3, findCraByIds: 1 });
		await trigger.deactivate();
	});

	it('emits a message when its report changes, not while it is RUNNING', async () => {
		const trigger = await suite.trigger({ event: 'deliveryStatusChanged' });
		await trigger.activate();
		const [slow, quick] = await suite.send(['0612345678', '0781234567']);
		suite.sandbox.settle(slow, { status: 'FAILED', resultCode: 'CRA_SMS_TEMPERROR', at: clock.now() + 90_000 });
		clock.advance(MINUTE);
		expect((await trigger.poll()).items.map((item) => [item.json.messageId, item.json.status])).toEqual([[quick, 'DONE']]);
		clock.advance(MINUTE);
		expect((await trigger.poll()).items.map((item) => [item.json.messageId, item.json.status, item.json.resultCode])).toEqual([
			[slow, 'FAILED', 'CRA_SMS_TEMPERROR'],
		]);
		clock.advance(MINUTE);
		expect((await trigger.poll()).emitted).toBe(false);
		await trigger.deactivate();
	});

	it('filters by status and by result code, with or without the CRA_SMS_ prefix', async () => {
		const failedOnly = await suite.trigger({ event: 'deliveryStatusChanged', statuses: ['FAILED'] });
		const blacklist = await suite.trigger({
			event: 'deliveryStatusChanged',
			resultCodes: 'blacklist; CRA_SMS_WRONGNUMBER',
		});
		await failedOnly.activate();
		await blacklist.activate();
		await suite.send(['0612345678', '0699999901', '0699999902', '0699999905']);
		clock.advance(MINUTE);
		expect((await failedOnly.poll()).items.map((item) => item.json.resultCode)).toEqual([
			'CRA_SMS_BLACKLIST',
			'CRA_SMS_SAASNOCREDIT',
			'CRA_SMS_WRONGNUMBER',
		]);
		expect((await blacklist.poll()).items.map((item) => item.json.resultCode)).toEqual(['CRA_SMS_BLACKLIST', 'CRA_SMS_WRONGNUMBER']);
		// Filtered-out reports are consumed too: they never come back.
		clock.advance(MINUTE);
		expect((await blacklist.poll()).emitted).toBe(false);
		await failedOnly.deactivate();
		await blacklist.deactivate();
	});

	it('pages through a window of more than 500 messages: 2 listing pages a poll, one lookup of the oldest 100 changes, the rest on the next polls', async () => {
		const trigger = await suite.trigger({ event: 'deliveryStatusChanged' });
		await trigger.activate();
		const recipients = Array.from({ length: 510 }, (_, n) => `+336${String(12000000 + n).padStart(8, '0')}`);
		const ids = await suite.send(recipients, 'Alerte météo');
		const emitted: unknown[] = [];
		const perPoll: Array<{ items: number; listings: number; lookups: number }> = [];
		for (let poll = 0; poll < 7; poll++) {
			clock.advance(MINUTE);
			const before = suite.calls();
			const result = await trigger.poll();
			expect(result.error).toBeUndefined();
			emitted.push(...result.items.map((item) => item.json.messageId));
			const after = suite.calls();
			perPoll.push({
				items: result.items.length,
				listings: after.getSingleCallCra - before.getSingleCallCra,
				lookups: after.findCraByIds - before.findCraByIds,
			});
		}
		expect(emitted).toEqual(ids);
		expect(perPoll).toEqual([
			...[100, 100, 100, 100, 100, 10].map((items) => ({ items, listings: 2, lookups: 1 })),
			{ items: 0, listings: 2, lookups: 0 },
		]);
		expect(suite.sandbox.stats().supervisionViolations).toBe(0);
		await trigger.deactivate();
	});
});
