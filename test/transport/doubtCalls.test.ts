/**
 * The DmcClient calls behind doubt resolution, Skip If Already Sent and Cancel: what goes
 * over the wire and how answers are read.
 */
import type { IHttpRequestOptions, INode } from 'n8n-workflow';

import { DmcApiError, DmcClient } from '../../nodes/SfrDmc/transport/DmcClient';
import { findByReferences } from '../../nodes/SfrDmc/transport/referenceLookup';
import '../supervisionMinute';

const node: INode = { id: 'n', name: 'SFR DMC', type: 'n8n-nodes-sfr-dmc.sfrDmcSms', typeVersion: 1, position: [0, 0], parameters: {} };
let service = 0;

/** A DMC answering `answer(path, fields)`; records each call's path and decoded fields. */
function dmc(answer: (path: string, fields: Record<string, unknown>) => unknown) {
	const calls: Array<{ path: string; fields: Record<string, unknown> }> = [];
	const client = new DmcClient({
		node,
		baseUrl: 'https://dmc.test/DmcWS/1.5.8/JsonService',
		serviceId: `doubt-client-test-${++service}`,
		maxCallsPerSecond: 1000,
		request: async (options: IHttpRequestOptions) => {
			const path = options.url!.replace('https://dmc.test/DmcWS/1.5.8/JsonService/', '');
			const fields = Object.fromEntries(
				Object.entries(options.body as Record<string, string>).map(([name, value]) => [name, JSON.parse(value)]),
			);
			calls.push({ path, fields });
			return { statusCode: 200, body: JSON.stringify({ success: true, response: answer(path, fields) }) };
		},
	});
	return { client, calls };
}

describe('findByReferences', () => {
	it('asks findCraByIds for at most 100 references per call, each reference once, and joins the answers', async () => {
		const references = Array.from({ length: 150 }, (_, n) => `ref-${n}`);
		const { client, calls } = dmc((_path, fields) =>
			(fields.contactExtRefs as string[]).slice(0, 1).map((ref) => ({ contactId: 1, externalReference: ref })),
		);
		const records = await findByReferences(client, [...references, 'ref-0']);
		expect(calls.map((call) => call.path)).toEqual(['SupervisionWS/findCraByIds', 'SupervisionWS/findCraByIds']);
		expect(calls.map((call) => (call.fields.contactExtRefs as string[]).length)).toEqual([100, 50]);
		expect(calls.every((call) => Array.isArray(call.fields.contactIds) && (call.fields.contactIds as unknown[]).length === 0)).toBe(true);
		expect(records.map((record) => record.externalReference)).toEqual(['ref-0', 'ref-100']);
	});

	it('makes no call for no reference', async () => {
		const { client, calls } = dmc(() => []);
		expect(await findByReferences(client, [])).toEqual([]);
		expect(calls).toEqual([]);
	});
});

describe('DmcClient.stopSingleCall', () => {
	it("sends the ids as numbers in messageIds and answers DMC's count", async () => {
		const { client, calls } = dmc(() => 2);
		expect(await client.stopSingleCall(['100001', '100002', '100003'])).toBe(2);
		expect(calls).toEqual([{ path: 'MessagesUnitairesWS/stopSingleCall', fields: { messageIds: [100001, 100002, 100003] } }]);
	});

	it('reads a count written as digits', async () => {
		expect(await dmc(() => '3').client.stopSingleCall(['1'])).toBe(3);
	});

	it.each([[null], [-1], [1.5], ['many'], [[1]]])('refuses an answer that is not a count (%j)', async (answer) => {
		const error = await dmc(() => answer)
			.client.stopSingleCall(['1'])
			.catch((reason: unknown) => reason);
		expect(error).toBeInstanceOf(DmcApiError);
		expect((error as DmcApiError).errorCode).toBe('UNEXPECTED_RESPONSE');
		expect((error as DmcApiError).message).toContain('stopSingleCall');
	});
});
