/**
 * Campaign Report and Campaign Finished, through n8n's real poll machinery against the
 * sandbox on one fake clock: each report and each end emitted once, across a restart, with
 * every SupervisionWS call inside the once-a-minute rule.
 */
import { SfrDmcSmsTrigger } from '../../nodes/SfrDmc/SfrDmcSmsTrigger.node';
import { dmcOk } from '../sandbox/helpers';
import { BLACKLISTED, campaignWith, residentNumber, SWITCHED_OFF } from '../node/campaignSetup';
import { MINUTE, useTriggerSuite } from './helpers';

jest.setTimeout(30_000);

const suite = useTriggerSuite();
const { clock } = suite;
const supervision = () => {
	const byMethod = suite.sandbox.stats().callsByMethod;
	return Object.fromEntries(Object.entries(byMethod).filter(([method]) => method.startsWith('SupervisionWS/')));
};

describe('Campaign Report', () => {
	it("emits each contact's final report of the campaigns under way once, the last ones after the campaign ends too, and nothing twice after a restart", async () => {
		const trigger = await suite.trigger({ event: 'campaignReport' });
		expect((await trigger.activate()).emitted).toBe(false);
		expect(supervision()).toEqual({ 'SupervisionWS/findBroadcastStatus': 1 });

		const numbers = [BLACKLISTED, SWITCHED_OFF, ...Array.from({ length: 60 }, (_, n) => residentNumber(n))];
		const campaignId = await campaignWith(suite.sandbox, numbers);
		clock.advance(MINUTE);
		const first = await trigger.poll();
		expect(first.error).toBeUndefined();
		// The switched-off phone is still RUNNING: not a final report yet.
		expect(first.items).toHaveLength(61);
		expect(new Set(first.items.map((item) => item.json.contactId)).size).toBe(61);
		expect(first.items.find((item) => item.json.to === BLACKLISTED)?.json).toMatchObject({
			campaignId,
			reference: 'ref-0',
			status: 'FAILED',
			resultCode: 'CRA_SMS_BLACKLIST',
			delivered: false,
		});
		// More than 50 changed: the first page was full, so one findBroadcastCra read the rest.
		expect(supervision()).toEqual({
			'SupervisionWS/findBroadcastStatus': 2,
			'SupervisionWS/findLastModifiedCra': 1,
			'SupervisionWS/findBroadcastCra': 1,
		});

		clock.advance(MINUTE);
		expect((await trigger.poll()).emitted).toBe(false);

		// Stopped: the last contact's report comes as the campaign ends, and is still read.
		await dmcOk(suite.sandbox, 'BroadcastWS/terminateBroadcast', { broadcastId: [campaignId] });
		clock.advance(MINUTE);
		const last = await trigger.poll();
		expect(last.items.map((item) => [item.json.to, item.json.resultCode])).toEqual([[SWITCHED_OFF, 'CRA_BROADCASTTERMINATED']]);

		const restarted = await trigger.restart(new SfrDmcSmsTrigger(clock));
		clock.advance(MINUTE);
		expect((await restarted.activate('init')).emitted).toBe(false);
		clock.advance(MINUTE);
		expect((await restarted.poll()).emitted).toBe(false);
		await restarted.deactivate();
		expect(suite.sandbox.stats()).toMatchObject({ supervisionViolations: 0, refusedTooFrequent: 0 });
	});

	it('watches only the Campaign IDs given, with the status and result-code filters', async () => {
		const watched = await campaignWith(suite.sandbox, [BLACKLISTED, residentNumber(1)], { activate: false });
		const other = await campaignWith(suite.sandbox, [BLACKLISTED], { activate: false });
		const trigger = await suite.trigger({ event: 'campaignReport', campaignIds: watched, statuses: ['FAILED'], resultCodes: 'blacklist' });
		await trigger.activate();
		for (const broadcastId of [watched, other]) await dmcOk(suite.sandbox, 'BroadcastWS/activateBroadcast', { broadcastId });
		clock.advance(MINUTE);
		const result = await trigger.poll();
		expect(result.items.map((item) => [item.json.campaignId, item.json.to, item.json.resultCode])).toEqual([
			[watched, BLACKLISTED, 'CRA_SMS_BLACKLIST'],
		]);
		expect(supervision()).toEqual({ 'SupervisionWS/findLastModifiedCra': 2 });
		await trigger.deactivate();
	});
});

describe('Campaign Finished', () => {
	it('emits a campaign once when it has ended, from one findBroadcastStatus a poll', async () => {
		const trigger = await suite.trigger({ event: 'campaignFinished' });
		await trigger.activate();
		const quick = await campaignWith(suite.sandbox, [residentNumber(1)], { name: 'Rappel' });
		const slow = await campaignWith(suite.sandbox, [SWITCHED_OFF], { name: 'Longue' });
		clock.advance(MINUTE);
		const result = await trigger.poll();
		expect(result.items).toEqual([
			{ json: expect.objectContaining({ campaignId: quick, name: 'Rappel', status: 'finished', statusLabel: 'Terminée', contacts: 1 }) },
		]);
		clock.advance(MINUTE);
		expect((await trigger.poll()).emitted).toBe(false);
		await dmcOk(suite.sandbox, 'BroadcastWS/terminateBroadcast', { broadcastId: [slow] });
		clock.advance(MINUTE);
		expect((await trigger.poll()).items.map((item) => [item.json.campaignId, item.json.status])).toEqual([[slow, 'stopped']]);
		expect(supervision()).toEqual({ 'SupervisionWS/findBroadcastStatus': 4 });
		expect(suite.sandbox.stats().supervisionViolations).toBe(0);
		await trigger.deactivate();
	});
});
