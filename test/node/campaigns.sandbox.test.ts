/**
 * The Campaign operations other than Create (Get, Get Many, Pause, Resume, Stop, Delete,
 * Reschedule) inside n8n's engine, against the strict sandbox: what went over the wire
 * (each call a POST, in order), what n8n received, and the once-a-minute rule kept.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { campaignWith, residentNumber, SWITCHED_OFF, untilStatus, useCampaignSandbox } from './campaignSetup';
import { runSmsNode, SANDBOX_PASSWORD } from './sandboxNode';

// Campaign calls keep DMC's bulk pace of one a second, and reads wait their turn of the (test) minute.
jest.setTimeout(30_000);

const suite = useCampaignSandbox();

const run = async (operation: string, parameters: INodeParameters, items: IDataObject[] = [{}], continueOnFail = false) => {
	suite.wire.length = 0;
	return await runSmsNode(suite.sandbox, { resource: 'campaign', operation, ...parameters }, items, continueOnFail);
};
/** Campaign ID as a workflow writes it: read from the input item. */
const fromItem = { campaignId: '={{ $json.campaignId }}' };
const stored = (campaignId: string) => suite.sandbox.broadcasts().find((broadcast) => String(broadcast.id) === campaignId);

describe('Get', () => {
	it('reads a campaign at the once-a-minute turn: status, dates, counts; one item per input item', async () => {
		const sending = await campaignWith(suite.sandbox, [residentNumber(1), SWITCHED_OFF], { name: 'Coupure d’eau' });
		const editing = await campaignWith(suite.sandbox, [residentNumber(2)], { name: 'Brouillon', activate: false });
		await untilStatus(suite.sandbox, sending, ['Appel/Envoi en cours']);
		const result = await run('get', fromItem, [{ campaignId: sending }, { campaignId: Number(editing) }]);
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([
			{
				json: expect.objectContaining({
					campaignId: sending,
					name: 'Coupure d’eau',
					status: 'sending',
					statusLabel: 'Appel/Envoi en cours',
					contacts: 2,
					running: 1,
					ended: 1,
					startAt: new Date(stored(sending)!.startDate).toISOString(),
					stopAt: new Date(stored(sending)!.stopDate).toISOString(),
				}),
				pairedItem: { item: 0 },
			},
			{ json: expect.objectContaining({ campaignId: editing, status: 'editing', contacts: 1 }), pairedItem: { item: 1 } },
		]);
		expect(suite.wire).toEqual([
			'POST BroadcastWS/getBroadcast',
			'POST SupervisionWS/getBroadcastDetail',
			'POST BroadcastWS/getBroadcast',
			'POST SupervisionWS/getBroadcastDetail',
		]);
		expect(suite.sandbox.stats()).toMatchObject({ supervisionViolations: 0, violations: 0 });
	});

	it('names the item and the value of an id that is not a number or that DMC does not know; continue-on-fail gives error items', async () => {
		const bad = await run('get', fromItem, [{ campaignId: 'abc' }]);
		expect(bad.error?.message).toBe('Campaign ID must be the number DMC gave the campaign (its campaignId), not "abc" [item 0]');
		expect(suite.wire).toEqual([]);

		const unknown = await run('get', fromItem, [{ campaignId: '999' }]);
		expect(unknown.error?.message).toMatch(/^DMC has no campaign 999 for this service \(no_broadcast_found: .*\) \[item 0\]$/);
		// The unknown id cost no turn of the minute.
		expect(suite.wire).toEqual(['POST BroadcastWS/getBroadcast']);

		const continued = await run('get', fromItem, [{ campaignId: 'abc' }, { campaignId: '999' }], true);
		expect(continued.error).toBeUndefined();
		expect(continued.items).toEqual([
			{ json: { error: expect.stringContaining('not "abc" [item 0]') }, pairedItem: { item: 0 } },
			{ json: { error: expect.stringContaining('DMC has no campaign 999') }, pairedItem: { item: 1 } },
		]);
		expect(JSON.stringify(continued.runData)).not.toContain(SANDBOX_PASSWORD);
	});
});

describe('Get Many', () => {
	it('lists the campaigns under way and in edition once, whatever the number of input items; ended ones on request', async () => {
		const sending = await campaignWith(suite.sandbox, [SWITCHED_OFF], { name: 'En cours' });
		const editing = await campaignWith(suite.sandbox, [residentNumber(1)], { name: 'Brouillon', activate: false });
		const ended = await campaignWith(suite.sandbox, [residentNumber(2)], { name: 'Finie' });
		await untilStatus(suite.sandbox, ended, ['Terminée']);
		await untilStatus(suite.sandbox, sending, ['Appel/Envoi en cours']);

		const result = await run('getMany', { options: {} }, [{}, {}, {}]);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.campaignId, item.json.name, item.json.status, item.pairedItem])).toEqual([
			[editing, 'Brouillon', 'editing', { item: 0 }],
			[sending, 'En cours', 'sending', { item: 0 }],
		]);
		expect(suite.wire).toEqual(['POST SupervisionWS/findBroadcastStatus', 'POST BroadcastWS/findEditingBroadcast']);

		const all = await run('getMany', { options: { includeEnded: true, includeEditing: false } });
		expect(all.items.map((item) => [item.json.campaignId, item.json.status])).toEqual([
			[sending, 'sending'],
			[ended, 'finished'],
		]);
		expect(suite.wire).toEqual(['POST SupervisionWS/findBroadcastStatus']);
		expect(suite.sandbox.stats().supervisionViolations).toBe(0);
	});
});

describe('Pause, Resume, Stop, Delete', () => {
	it('pause and resume a sending campaign, each checked before and read after', async () => {
		const campaignId = await campaignWith(suite.sandbox, [SWITCHED_OFF, residentNumber(1)]);
		await untilStatus(suite.sandbox, campaignId, ['Appel/Envoi en cours']);

		const paused = await run('pause', fromItem, [{ campaignId }]);
		expect(paused.items).toEqual([
			{
				json: expect.objectContaining({ campaignId, status: 'paused', statusLabel: 'Pause', previousStatus: 'sending' }),
				pairedItem: { item: 0 },
			},
		]);
		expect(suite.wire).toEqual(['POST BroadcastWS/getBroadcast', 'POST BroadcastWS/pauseBroadcast', 'POST BroadcastWS/getBroadcast']);
		expect(stored(campaignId)?.status).toBe('Pause');

		const resumed = await run('resume', fromItem, [{ campaignId }]);
		expect(resumed.items[0].json).toMatchObject({ status: 'sending', previousStatus: 'paused' });
		expect(suite.wire).toContain('POST BroadcastWS/restartBroadcast');
		expect(suite.sandbox.stats()).toMatchObject({ supervisionViolations: 0, violations: 0 });
	});

	it('stop is final: the contacts not reached end CRA_BROADCASTTERMINATED, and resuming it is refused with its state named', async () => {
		const campaignId = await campaignWith(suite.sandbox, [SWITCHED_OFF]);
		await untilStatus(suite.sandbox, campaignId, ['Appel/Envoi en cours']);
		const stopped = await run('stop', fromItem, [{ campaignId }]);
		expect(stopped.items[0].json).toMatchObject({ campaignId, status: 'stopped', statusLabel: 'Arrêtée', previousStatus: 'sending' });
		expect(stored(campaignId)?.contacts.map((contact) => contact.resultCode)).toEqual(['CRA_BROADCASTTERMINATED']);

		const resumed = await run('resume', fromItem, [{ campaignId }]);
		expect(resumed.error?.message).toBe(`Campaign ${campaignId} is Arrêtée (stopped): only a paused campaign can be resumed [item 0]`);
		// Refused before DMC was asked to restart anything.
		expect(suite.wire).toEqual(['POST BroadcastWS/getBroadcast']);
	});

	it('delete refuses a sending campaign and deletes an ended one; continue-on-fail keeps the other items', async () => {
		const sending = await campaignWith(suite.sandbox, [SWITCHED_OFF]);
		const ended = await campaignWith(suite.sandbox, [residentNumber(1)]);
		await untilStatus(suite.sandbox, ended, ['Terminée']);
		await untilStatus(suite.sandbox, sending, ['Appel/Envoi en cours']);

		const result = await run('delete', fromItem, [{ campaignId: sending }, { campaignId: ended }], true);
		expect(result.items).toEqual([
			{
				json: {
					error: `Campaign ${sending} is Appel/Envoi en cours (sending): a campaign is deleted only while in edition or once it has ended: stop it first [item 0]`,
				},
				pairedItem: { item: 0 },
			},
			{ json: expect.objectContaining({ campaignId: ended, deleted: true, previousStatus: 'finished' }), pairedItem: { item: 1 } },
		]);
		expect(suite.wire).toEqual(['POST BroadcastWS/getBroadcast', 'POST BroadcastWS/getBroadcast', 'POST BroadcastWS/dropBroadcast']);
		expect(suite.sandbox.broadcasts().map((broadcast) => String(broadcast.id))).toEqual([sending]);
	});
});

describe('Reschedule', () => {
	it('moves a campaign that has not started yet, and refuses a start date that has passed', async () => {
		const start = Date.now() + 3_600_000;
		const later = await campaignWith(suite.sandbox, [residentNumber(1)], { startDate: start });
		const newStart = new Date(start + 3_600_000).toISOString();
		const newStop = new Date(start + 5 * 3_600_000).toISOString();
		const moved = await run('reschedule', { campaignId: '={{ $json.campaignId }}', startAt: newStart, stopAt: newStop }, [
			{ campaignId: later },
		]);
		expect(moved.error).toBeUndefined();
		expect(moved.items[0].json).toMatchObject({ campaignId: later, startAt: newStart, stopAt: newStop, status: 'suspended' });
		expect(stored(later)).toMatchObject({ startDate: Date.parse(newStart), stopDate: Date.parse(newStop) });
		expect(suite.wire).toEqual(['POST BroadcastWS/getBroadcast', 'POST BroadcastWS/updateBroadcast', 'POST BroadcastWS/getBroadcast']);

		const running = await campaignWith(suite.sandbox, [SWITCHED_OFF]);
		const refused = await run('reschedule', { campaignId: running, startAt: newStart }, [{}]);
		expect(refused.error?.message).toMatch(
			new RegExp(
				`^Campaign ${running} started at .*: DMC changes a start date only while it has not passed \\(change Stop At instead\\) \\[item 0\\]$`,
			),
		);
		const backwards = await run('reschedule', { campaignId: later, stopAt: new Date(start).toISOString() }, [{}]);
		expect(backwards.error?.message).toBe(`Stop At (${new Date(start).toISOString()}) must be after Start At (${newStart}) [item 0]`);
		const nothing = await run('reschedule', { campaignId: later }, [{}]);
		expect(nothing.error?.message).toBe('Give a Start At, a Stop At or a Call Planning to change [item 0]');
		expect(stored(later)).toMatchObject({ startDate: Date.parse(newStart), stopDate: Date.parse(newStop) });
	});

	it('changes the call planning of a sending campaign: outside the new planning it is suspended', async () => {
		const campaignId = await campaignWith(suite.sandbox, [SWITCHED_OFF]);
		await untilStatus(suite.sandbox, campaignId, ['Appel/Envoi en cours']);
		const result = await run('reschedule', { campaignId, callPlanning: '24' }, [{}]);
		expect(result.items[0].json).toMatchObject({ callPlanningId: '24', status: 'suspended', previousStatus: 'sending' });
	});
});
