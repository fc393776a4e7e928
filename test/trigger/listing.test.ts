/**
 * DmcClient.listSingleCallCra against scripted DMC answers: how it pages, and how it
 * behaves with servers that page differently (DMC's paging fields are undocumented).
 */
import type { IHttpRequestOptions, INode } from 'n8n-workflow';

import { DmcApiError, DmcClient } from '../../nodes/SfrDmc/transport/DmcClient';

const node: INode = { id: 'n', name: 'SFR DMC Trigger', type: 'CUSTOM.sfrDmcTrigger', typeVersion: 1, position: [0, 0], parameters: {} };

let service = 0;
const entries = (from: number, count: number) => Array.from({ length: count }, (_, n) => ({ messageId: from + n, status: 'DONE' }));

/** A DMC whose getSingleCallCra answers `page(first, max)`; records the fields it got. */
function dmc(page: (first: number, max: number) => unknown) {
	const asked: Array<Record<string, unknown>> = [];
	const client = new DmcClient({
		node,
		baseUrl: 'https://dmc.test/DmcWS/1.5.8/JsonService',
		serviceId: `listing-test-${++service}`,
		maxCallsPerSecond: 1000,
		request: async (options: IHttpRequestOptions) => {
			const fields = Object.fromEntries(
				Object.entries(options.body as Record<string, string>).map(([name, value]) => [name, JSON.parse(value)]),
			);
			asked.push(fields);
			const { first, max } = fields.paging as { first: number; max: number };
			return { statusCode: 200, body: JSON.stringify({ success: true, response: page(first, max) }) };
		},
	});
	return { client, asked };
}

const begin = new Date(1_750_000_000_000);

it("asks page after page from the window start, until DMC's total is reached", async () => {
	const { client, asked } = dmc((first, max) => ({ list: entries(first, Math.min(max, 1200 - first)), total: 1200 }));
	const records = await client.listSingleCallCra(begin, 500);
	expect(records).toHaveLength(1200);
	expect(asked).toEqual([
		{ beginDate: begin.getTime(), paging: { first: 0, max: 500 } },
		{ beginDate: begin.getTime(), paging: { first: 500, max: 500 } },
		{ beginDate: begin.getTime(), paging: { first: 1000, max: 500 } },
	]);
});

it('follows a server that caps its pages below the size asked', async () => {
	const { client, asked } = dmc((first) => ({ list: entries(first, Math.min(100, 250 - first)), total: 250 }));
	expect(await client.listSingleCallCra(begin, 500)).toHaveLength(250);
	expect(asked.map((fields) => (fields.paging as { first: number }).first)).toEqual([0, 100, 200]);
});

it('counts an entry seen on two pages once', async () => {
	const { client } = dmc((first) => (first === 0 ? { list: entries(1, 3), total: 5 } : { list: entries(3, 3), total: 5 }));
	expect((await client.listSingleCallCra(begin, 3)).map((record) => record.messageId)).toEqual([1, 2, 3, 4, 5]);
});

it('stops on a short page when DMC gives no total, and on a repeated page (paging ignored)', async () => {
	const short = dmc((first) => entries(first, first === 0 ? 2 : 0));
	expect(await short.client.listSingleCallCra(begin, 2)).toHaveLength(2);
	expect(short.asked).toHaveLength(2);

	const ignoring = dmc(() => entries(1, 4));
	expect(await ignoring.client.listSingleCallCra(begin, 3)).toHaveLength(4);
	expect(ignoring.asked).toHaveLength(2);
});

it('refuses an incomplete listing rather than leave a silent gap', async () => {
	const { client } = dmc(() => ({ list: entries(1, 3), total: 10 }));
	const error = await client.listSingleCallCra(begin, 3).catch((reason: unknown) => reason);
	expect(error).toBeInstanceOf(DmcApiError);
	expect(error).toMatchObject({
		errorCode: 'INCOMPLETE_LISTING',
		message: 'DMC listed 3 of the 10 reports of MessagesUnitairesWS/getSingleCallCra',
	});
});
