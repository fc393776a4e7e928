/**
 * Campaign Report and Campaign Finished, through n8n's real poll machinery against the
 * sandbox on one fake clock: each report and each end emitted once, across a restart, with
 * every SupervisionWS call inside the once-a-minute rule.
 */
import type { IDataObject } from 'n8n-workflow';

import type { PollHarness } from '../../harness';
import { SfrDmcSmsTrigger } from '../../nodes/SfrDmc/SfrDmcSmsTrigger.node';
import { dmcOk } from '../sandbox/helpers';
import { BLACKLISTED, campaignWith, REPLIES, residentNumber, STOPS, SWITCHED_OFF } from '../node/campaignSetup';
import { MINUTE, useTriggerSuite } from './helpers';

jest.setTimeout(30_000);

const suite = useTriggerSuite();
const { clock } = suite;
const supervision = () => {
	const byMethod = suite.sandbox.stats().callsByMethod;
	return Object.fromEntries(Object.entries(byMethod).filter(([method]) => method.startsWith('SupervisionWS/')));
};

describe('Campaign Report', () => {
	const supervisionCalls = () => Object.values(supervision()).reduce((sum, calls) => sum + calls, 0);
	/** One scheduled poll a minute on: its items and the SupervisionWS calls it made. */
	const pollOnce = async (trigger: PollHarness) => {
		clock.advance(MINUTE);
		const before = supervisionCalls();
		const result = await trigger.poll();
		expect(result.error).toBeUndefined();
		return { items: result.items.map((item) => item.json), calls: supervisionCalls() - before };
	};
	const keyOf = (json: IDataObject) => `${String(json.campaignId)}/${String(json.contactId)}/${String(json.status)}`;

	it('with 3 campaigns under way, makes one SupervisionWS call a poll (the listing, then each campaign in turn) and emits every final report once, across a restart, a campaign that ended between polls included', async () => {
		const trigger = await suite.trigger({ event: 'campaignReport' });
		expect((await trigger.activate()).emitted).toBe(false);
		expect(supervision()).toEqual({ 'SupervisionWS/findBroadcastStatus': 1 });

		// Alerte: 61 final reports and a switched-off phone (RUNNING); Rappel: 2, ends at once; Coupure: 1 and a switched-off phone.
		const alerte = await campaignWith(suite.sandbox, [
			BLACKLISTED,
			SWITCHED_OFF,
			...Array.from({ length: 60 }, (_, n) => residentNumber(n)),
		]);
		const rappel = await campaignWith(suite.sandbox, [residentNumber(100), residentNumber(101)], { name: 'Rappel' });
		const coupure = await campaignWith(suite.sandbox, [SWITCHED_OFF, residentNumber(200)], { name: 'Coupure' });

		const polls: Array<{ items: IDataObject[]; calls: number }> = [];
		for (let n = 0; n < 4; n++) polls.push(await pollOnce(trigger));
		// The listing finds the three (Rappel has ended already); then one campaign a poll, a page of 50 reports first (49 final, the switched-off phone's RUNNING).
		expect(polls.map((poll) => [poll.calls, poll.items.length])).toEqual([
			[1, 0],
			[1, 49],
			[1, 2],
			[1, 1],
		]);
		expect(polls[1].items.every((json) => json.campaignId === alerte)).toBe(true);
		expect(polls[2].items.map((json) => json.campaignId)).toEqual([rappel, rappel]);
		expect(polls[3].items.map((json) => [json.campaignId, json.to])).toEqual([[coupure, residentNumber(200)]]);

		// n8n restarts; meanwhile both campaigns still sending are stopped (their last reports come as they end).
		const restarted = await trigger.restart(new SfrDmcSmsTrigger(clock));
		clock.advance(MINUTE);
		expect((await restarted.activate('init')).emitted).toBe(false);
		for (const broadcastId of [alerte, coupure])
			await dmcOk(suite.sandbox, 'BroadcastWS/terminateBroadcast', { broadcastId: [broadcastId] });
		for (let n = 0; n < 6; n++) polls.push(await pollOnce(restarted));
		// Alerte's full page is followed by one findBroadcastCra at its next turn: its other 12 and the stopped phone's at once.
		expect(polls.slice(4).map((poll) => [poll.calls, poll.items.length])).toEqual([
			[1, 13],
			[1, 1],
			[1, 0],
			[1, 0],
			[1, 0],
			[1, 0],
		]);
		expect(polls[5].items.map((json) => [json.campaignId, json.to, json.resultCode])).toEqual([
			[coupure, SWITCHED_OFF, 'CRA_BROADCASTTERMINATED'],
		]);

		const emitted = polls.flatMap((poll) => poll.items);
		expect(emitted).toHaveLength(62 + 2 + 2);
		expect(new Set(emitted.map(keyOf)).size).toBe(emitted.length);
		expect(emitted.find((json) => json.to === BLACKLISTED)).toMatchObject({
			campaignId: alerte,
			reference: 'ref-0',
			status: 'FAILED',
			resultCode: 'CRA_SMS_BLACKLIST',
			delivered: false,
		});
		// Listings: both activations and 3 polls; the rest, one read a poll.
		expect(supervision()).toEqual({
			'SupervisionWS/findBroadcastStatus': 5,
			'SupervisionWS/findLastModifiedCra': 6,
			'SupervisionWS/findBroadcastCra': 1,
		});
		await restarted.deactivate();
		expect(suite.sandbox.stats()).toMatchObject({ supervisionViolations: 0, refusedTooFrequent: 0 });
	});

	it('Fetch Test Event: the latest final report of the campaign under way that started last, from a listing and one findBroadcastCra; the cursor untouched', async () => {
		await campaignWith(suite.sandbox, [residentNumber(1)], { name: 'Ancienne' });
		const latest = await campaignWith(suite.sandbox, [BLACKLISTED, SWITCHED_OFF], { name: 'Récente' });
		clock.advance(MINUTE);
		const trigger = await suite.trigger({ event: 'campaignReport' });
		const manual = await trigger.fetchTestEvent();
		expect(manual.error).toBeUndefined();
		expect(manual.items.map((item) => [item.json.campaignId, item.json.to, item.json.resultCode])).toEqual([
			[latest, BLACKLISTED, 'CRA_SMS_BLACKLIST'],
		]);
		expect(supervision()).toEqual({ 'SupervisionWS/findBroadcastStatus': 1, 'SupervisionWS/findBroadcastCra': 1 });
		expect(trigger.nodeStaticData().cursor).toBeUndefined();
	});

	it('watches only the Campaign IDs given (no listing, no call at the start), with the status and result-code filters', async () => {
		const watched = await campaignWith(suite.sandbox, [BLACKLISTED, residentNumber(1)], { activate: false });
		const other = await campaignWith(suite.sandbox, [BLACKLISTED], { activate: false });
		const trigger = await suite.trigger({ event: 'campaignReport', campaignIds: watched, statuses: ['FAILED'], resultCodes: 'blacklist' });
		await trigger.activate();
		expect(supervision()).toEqual({});
		for (const broadcastId of [watched, other]) await dmcOk(suite.sandbox, 'BroadcastWS/activateBroadcast', { broadcastId });
		const result = await pollOnce(trigger);
		expect(result.items.map((json) => [json.campaignId, json.to, json.resultCode])).toEqual([[watched, BLACKLISTED, 'CRA_SMS_BLACKLIST']]);
		expect(supervision()).toEqual({ 'SupervisionWS/findLastModifiedCra': 1 });
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

describe('Reply Received and STOP Received', () => {
	it("give a campaign contact's reply and STOP its campaignId", async () => {
		const replies = await suite.trigger({ event: 'replyReceived', options: { includeStops: true } });
		await replies.activate();
		const stops = await suite.trigger({ event: 'stopReceived' });
		await stops.activate();
		const campaignId = await campaignWith(suite.sandbox, [REPLIES, STOPS]);
		clock.advance(MINUTE);
		const received = await replies.poll();
		expect(received.items.map((item) => [item.json.from, item.json.isStop, item.json.campaignId])).toEqual([
			[REPLIES, false, campaignId],
			[STOPS, true, campaignId],
		]);
		clock.advance(MINUTE);
		expect((await stops.poll()).items.map((item) => item.json)).toEqual([
			expect.objectContaining({ from: STOPS, isStop: true, campaignId }),
		]);
		await replies.deactivate();
		await stops.deactivate();
	});
});
