/**
 * The event kinds against a scripted DMC client: which calls each makes to find its
 * events (for a poll, from the cursor; for a test event, the recent ones), and the one
 * selection step both go through.
 */
import type { CursorEvent } from '../../nodes/SfrDmc/domain/pollCursor';
import { OVERLAP_MS, startCursor } from '../../nodes/SfrDmc/domain/pollCursor';
import { replyKind, reportKind } from '../../nodes/SfrDmc/trigger/selectEvents';
import type { BroadcastClient } from '../../nodes/SfrDmc/transport/BroadcastClient';
import type { DmcRecord } from '../../nodes/SfrDmc/transport/DmcClient';

const NOW = 1_750_000_000_000;
const HOUR = 60 * 60 * 1000;

/** A DMC client that answers from lists and records every call with its arguments. */
function scriptedClient(answers: { responses?: DmcRecord[]; listing?: DmcRecord[]; reports?: DmcRecord[] }) {
	const asked: Array<[string, ...unknown[]]> = [];
	const client = {
		async getResponsesSMS(stopOnly: boolean, begin: Date, end: Date) {
			asked.push(['getResponsesSMS', stopOnly, begin.getTime(), end.getTime()]);
			return answers.responses ?? [];
		},
		async listSingleCallCra(begin: Date) {
			asked.push(['listSingleCallCra', begin.getTime()]);
			return answers.listing ?? [];
		},
		async findCraByIds(contactIds: string[], contactExtRefs: string[]) {
			asked.push(['findCraByIds', contactIds, contactExtRefs]);
			return (answers.reports ?? []).filter((report) => contactIds.includes(String(report.contactId)));
		},
	};
	// The kinds reach DMC's message and report methods through the campaign client's DmcClient.
	return { client: { dmc: client } as unknown as BroadcastClient, asked };
}

const reply = (contactId: number, callResponse: string, at: number) => ({
	contactId,
	callAdress: '33612345678',
	callResponse,
	callDate: at,
});

describe('Reply Received and STOP Received', () => {
	const responses = [reply(1, 'Oui', NOW - 3000), reply(2, 'STOP', NOW - 2000), reply(3, 'Merci', NOW - 1000)];

	it("a poll asks getResponsesSMS from the cursor's window; a test event, the last 7 days", async () => {
		const { client, asked } = scriptedClient({ responses });
		const kind = replyKind({ event: 'replyReceived', includeStops: false });
		const cursor = startCursor('replyReceived', NOW - 10 * 60_000);
		expect((await kind.find(client, NOW, cursor)).events).toHaveLength(3);
		await kind.find(client, NOW);
		expect(asked).toEqual([
			['getResponsesSMS', false, cursor.watermark - OVERLAP_MS, NOW],
			['getResponsesSMS', false, NOW - 7 * 24 * HOUR, NOW],
		]);
	});

	it('selects the replies without the STOPs, unless asked, in the order given', async () => {
		const { client } = scriptedClient({ responses });
		const found = (await replyKind({ event: 'replyReceived', includeStops: false }).find(client, NOW)).events;
		const texts = async (includeStops: boolean, limit?: number) => {
			const selected = await replyKind({ event: 'replyReceived', includeStops }).select(client, found, limit);
			expect(selected.deferred).toEqual([]);
			return selected.items.map((item) => item.text);
		};
		expect(await texts(false)).toEqual(['Oui', 'Merci']);
		expect(await texts(true)).toEqual(['Oui', 'STOP', 'Merci']);
		// Replies need no look-up: a limit on look-ups defers none of them.
		expect(await texts(false, 1)).toEqual(['Oui', 'Merci']);
	});

	it('STOP Received asks DMC for STOPs only and keeps them', async () => {
		const { client, asked } = scriptedClient({ responses: [reply(2, 'STOP', NOW - 2000)] });
		const kind = replyKind({ event: 'stopReceived', includeStops: false });
		const { items } = await kind.select(client, (await kind.find(client, NOW)).events);
		expect(asked[0].slice(0, 2)).toEqual(['getResponsesSMS', true]);
		expect(items).toEqual([
			{ from: '+33612345678', text: 'STOP', receivedAt: new Date(NOW - 2000).toISOString(), isStop: true, messageId: '2' },
		]);
	});
});

describe('Delivery Status Changed', () => {
	const listed = (messageId: number, status: string): CursorEvent<DmcRecord> => ({
		key: `${messageId}:${status}`,
		time: NOW - messageId,
		value: { messageId, status, to: '0612345678', lastResult: 'Reçu', statusLastChange: NOW - messageId },
	});
	const craReport = (contactId: number, status: string, callResultCode: string) => ({
		contactId,
		status,
		callResultCode,
		callAdress: '+33612345678',
		callDetailCode: 'CRA_PART1',
	});
	const settings = {
		event: 'deliveryStatusChanged' as const,
		windowMs: 50 * HOUR,
		statuses: ['DONE' as const, 'FAILED' as const],
		codes: [] as string[],
	};

	it('lists the messages sent in the window, for a poll and a test event alike', async () => {
		const { client, asked } = scriptedClient({
			listing: [
				{ messageId: 7, status: 'DONE' },
				{ messageId: 8, status: 'RUNNING' },
			],
		});
		const kind = reportKind(settings);
		expect((await kind.find(client, NOW, startCursor('deliveryStatusChanged', NOW))).events.map((event) => event.key)).toEqual(['7:DONE']);
		await kind.find(client, NOW);
		expect(asked).toEqual([
			['listSingleCallCra', NOW - 50 * HOUR],
			['listSingleCallCra', NOW - 50 * HOUR],
		]);
	});

	it('looks up only the wanted statuses, then keeps the wanted result codes', async () => {
		const { client, asked } = scriptedClient({
			reports: [craReport(1, 'FAILED', 'CRA_SMS_BLACKLIST'), craReport(3, 'FAILED', 'CRA_SMS_WRONGNUMBER')],
		});
		const kind = reportKind({ ...settings, statuses: ['FAILED'], codes: ['CRA_SMS_BLACKLIST'] });
		const { items } = await kind.select(client, [listed(1, 'FAILED'), listed(2, 'DONE'), listed(3, 'FAILED')]);
		expect(asked).toEqual([['findCraByIds', ['1', '3'], []]]);
		expect(items).toEqual([expect.objectContaining({ messageId: '1', status: 'FAILED', resultCode: 'CRA_SMS_BLACKLIST', parts: 1 })]);
	});

	it('keeps what the listing says of a message findCraByIds does not return', async () => {
		const { client } = scriptedClient({ reports: [] });
		expect((await reportKind(settings).select(client, [listed(4, 'DONE')])).items).toEqual([
			{
				messageId: '4',
				reference: null,
				to: '+33612345678',
				status: 'DONE',
				resultCode: null,
				result: 'Reçu',
				parts: null,
				updatedAt: new Date(NOW - 4).toISOString(),
			},
		]);
	});

	it('asks findCraByIds 100 messages at a time, and for at most `limit` of them, deferring the others', async () => {
		const many = Array.from({ length: 250 }, (_, n) => listed(n + 1, 'DONE'));
		const all = scriptedClient({});
		expect((await reportKind(settings).select(all.client, many)).deferred).toEqual([]);
		expect(all.asked.map((call) => (call[1] as string[]).length)).toEqual([100, 100, 50]);

		const limited = scriptedClient({});
		const selected = await reportKind(settings).select(limited.client, many, 100);
		expect(limited.asked.map((call) => (call[1] as string[]).length)).toEqual([100]);
		expect(selected.items.map((item) => item.messageId)).toEqual(many.slice(0, 100).map((found) => String(found.value.messageId)));
		expect(selected.deferred).toEqual(many.slice(100));
	});
});
