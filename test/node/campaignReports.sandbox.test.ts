/**
 * Get Reports inside n8n's engine against the strict sandbox: every contact's report of a
 * 250-contact campaign in one read, the summary by result, changes since an instant, a
 * campaign contact's reply in Get Replies, and DMC's once-a-minute rule never broken.
 */
import { sleep, type IDataObject, type INodeParameters } from 'n8n-workflow';

import { BLACKLISTED, campaignWith, REPLIES, residentNumber, untilStatus, useCampaignSandbox } from './campaignSetup';
import { runSmsNode } from './sandboxNode';

jest.setTimeout(30_000);

const suite = useCampaignSandbox();

const getReports = async (parameters: INodeParameters, items: IDataObject[]) => {
	suite.wire.length = 0;
	return await runSmsNode(
		suite.sandbox,
		{ resource: 'campaign', operation: 'getReports', campaignId: '={{ $json.campaignId }}', ...parameters },
		items,
	);
};

it("returns all 250 contacts' reports of a campaign in one read, and its summary by result, breaking no rule", async () => {
	const numbers = [BLACKLISTED, REPLIES, ...Array.from({ length: 248 }, (_, n) => residentNumber(n))];
	const campaignId = await campaignWith(suite.sandbox, numbers);
	await untilStatus(suite.sandbox, campaignId, ['Terminée']);

	const result = await getReports({ output: 'reports', options: {} }, [{ campaignId }]);
	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(250);
	expect(result.items.every((item) => item.pairedItem !== undefined && (item.pairedItem as { item: number }).item === 0)).toBe(true);
	const contacts = suite.sandbox.broadcasts()[0].contacts;
	expect(result.items.map((item) => item.json.contactId).sort()).toEqual(contacts.map((contact) => String(contact.contactId)).sort());
	const byReference = new Map(result.items.map((item) => [item.json.reference, item.json]));
	expect(byReference.get('ref-0')).toEqual({
		campaignId,
		contactId: String(contacts[0].contactId),
		reference: 'ref-0',
		to: BLACKLISTED,
		status: 'FAILED',
		resultCode: 'CRA_SMS_BLACKLIST',
		result: expect.any(String),
		delivered: false,
		parts: 1,
		reply: null,
		firstName: 'Resident 0',
		lastName: null,
		updatedAt: new Date(contacts[0].statusLastChange).toISOString(),
	});
	expect(byReference.get('ref-1')).toMatchObject({
		to: REPLIES,
		delivered: true,
		resultCode: 'CRA_SMS_RECEIVED',
		reply: 'Thanks, well received',
	});
	expect(byReference.get('ref-249')).toMatchObject({ to: residentNumber(247), delivered: true, parts: 1 });
	expect(suite.wire).toEqual(['POST BroadcastWS/getBroadcast', 'POST SupervisionWS/findBroadcastCra']);

	const summary = await getReports({ output: 'summary' }, [{ campaignId }]);
	expect(summary.items).toEqual([
		{
			json: {
				campaignId,
				contacts: 250,
				results: [
					{ resultCode: 'CRA_SMS_BLACKLIST', label: expect.any(String), contacts: 1 },
					{ resultCode: 'CRA_SMS_RECEIVED', label: expect.any(String), contacts: 249 },
				],
			},
			pairedItem: { item: 0 },
		},
	]);
	expect(suite.wire).toEqual(['POST BroadcastWS/getBroadcast', 'POST SupervisionWS/findCraNumber']);
	expect(suite.sandbox.stats()).toMatchObject({ supervisionViolations: 0, violations: 0, refused: 0 });
});

it('Changed Since: a short page of findLastModifiedCra is the answer; a full page of 50 gives way to one findBroadcastCra', async () => {
	const few = await campaignWith(suite.sandbox, [residentNumber(1), residentNumber(2)], { name: 'Petite' });
	const many = await campaignWith(
		suite.sandbox,
		Array.from({ length: 120 }, (_, n) => residentNumber(100 + n)),
		{ name: 'Grande' },
	);
	await untilStatus(suite.sandbox, few, ['Terminée']);
	await untilStatus(suite.sandbox, many, ['Terminée']);
	const since = new Date(Date.now() - 60_000).toISOString();

	const result = await getReports({ output: 'reports', options: { changedSince: since } }, [{ campaignId: few }, { campaignId: many }]);
	expect(result.error).toBeUndefined();
	expect(result.items.filter((item) => (item.pairedItem as { item: number }).item === 0)).toHaveLength(2);
	const second = result.items.filter((item) => (item.pairedItem as { item: number }).item === 1);
	expect(second).toHaveLength(120);
	expect(new Set(second.map((item) => item.json.contactId)).size).toBe(120);
	expect(suite.wire).toEqual([
		'POST BroadcastWS/getBroadcast',
		'POST SupervisionWS/findLastModifiedCra',
		'POST BroadcastWS/getBroadcast',
		'POST SupervisionWS/findLastModifiedCra',
		'POST SupervisionWS/findBroadcastCra',
	]);

	const none = await getReports({ output: 'reports', options: { changedSince: new Date(Date.now() + 60_000).toISOString() } }, [
		{ campaignId: few },
	]);
	expect(none.items).toEqual([]);
	expect(suite.sandbox.stats()).toMatchObject({ supervisionViolations: 0, refused: 0 });
});

it("Get Replies: a campaign contact's reply carries its campaignId (DMC's broadcastId), a unit message's reply none", async () => {
	const campaignId = await campaignWith(suite.sandbox, [REPLIES, residentNumber(1)]);
	await untilStatus(suite.sandbox, campaignId, ['Terminée']);
	const sent = await runSmsNode(suite.sandbox, { operation: 'send', to: REPLIES, message: 'Votre demande est prête' });
	expect(sent.error).toBeUndefined();
	const [messageId] = sent.items[0].json.messageIds as string[];
	const campaignContact = String(suite.sandbox.broadcasts()[0].contacts[0].contactId);
	for (let attempt = 0; suite.sandbox.replies().length < 1 && attempt < 100; attempt++) await sleep(20);

	const result = await runSmsNode(suite.sandbox, { operation: 'getReplies' });
	expect(result.error).toBeUndefined();
	const replies = result.items.map((item) => item.json);
	expect(replies).toEqual(
		expect.arrayContaining([
			{
				from: REPLIES,
				text: 'Thanks, well received',
				receivedAt: expect.any(String),
				isStop: false,
				messageId: campaignContact,
				campaignId,
			},
			{ from: REPLIES, text: 'Thanks, well received', receivedAt: expect.any(String), isStop: false, messageId },
		]),
	);
	expect(replies).toHaveLength(2);
	expect(suite.sandbox.stats()).toMatchObject({ supervisionViolations: 0, refused: 0 });
});
