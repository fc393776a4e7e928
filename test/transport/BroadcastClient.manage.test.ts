/**
 * What BroadcastClient's control, update and report methods put on the wire, and how the
 * campaign report reader completes a listing short of DMC's total.
 */
import type { IHttpRequestOptions, INode } from 'n8n-workflow';

import { BroadcastClient } from '../../nodes/SfrDmc/transport/BroadcastClient';
import { readAllReports } from '../../nodes/SfrDmc/transport/campaignReports';
import { DmcApiError, DmcClient } from '../../nodes/SfrDmc/transport/DmcClient';
import { UploadService } from '../../nodes/SfrDmc/transport/uploadService';
import '../supervisionMinute';

const node: INode = { id: 'n', name: 'SFR DMC', type: 'n8n-nodes-sfr-dmc.sfrDmcSms', typeVersion: 1, position: [0, 0], parameters: {} };
const BASE_URL = 'https://dmc.test/DmcWS/1.5.8/JsonService';

let service = 0;
interface Seen {
	url: string;
	method: string;
	fields: Record<string, unknown>;
}

/** A BroadcastClient whose DMC answers `answer(path, fields)`; every request is recorded with its fields parsed back from JSON. */
function clientAnswering(answer: (path: string, fields: Record<string, unknown>) => unknown) {
	const seen: Seen[] = [];
	const request = async (options: IHttpRequestOptions) => {
		const fields = Object.fromEntries(
			Object.entries(options.body as Record<string, string>).map(([name, text]) => [name, JSON.parse(text)]),
		);
		const path = String(options.url).slice(BASE_URL.length + 1);
		seen.push({ url: String(options.url), method: String(options.method), fields });
		return { statusCode: 200, body: JSON.stringify({ success: true, response: answer(path, fields) }) };
	};
	const serviceId = `broadcast-manage-${++service}`;
	const dmc = new DmcClient({ node, request, baseUrl: BASE_URL, serviceId });
	const uploads = new UploadService({
		node,
		request,
		baseUrl: BASE_URL,
		serviceId,
		servicePassword: 'pw',
		limiter: dmc.limiter,
		timeoutMs: 1000,
	});
	return { client: new BroadcastClient(dmc, uploads, node), seen };
}

it.each(['pause', 'restart', 'terminate', 'drop'] as const)('%s sends broadcastId as a list (§2.3.13), by POST', async (action) => {
	const { client, seen } = clientAnswering(() => undefined);
	await client.control(action, '61920');
	expect(seen).toEqual([{ url: `${BASE_URL}/BroadcastWS/${action}Broadcast`, method: 'POST', fields: { broadcastId: ['61920'] } }]);
});

it("updateBroadcast sends the id and the values to change, and reads DMC's boolean; anything else is an error", async () => {
	const answers: unknown[] = [true, 'false', 'maybe'];
	const { client, seen } = clientAnswering(() => answers.shift());
	const values = { brStart: 1_800_000_000_000, brStop: 1_800_003_600_000, planningId: 22 };
	await expect(client.updateBroadcast('61920', values)).resolves.toBe(true);
	await expect(client.updateBroadcast('61920', values)).resolves.toBe(false);
	const error = await client.updateBroadcast('61920', values).catch((reason: unknown) => reason);
	expect(error).toBeInstanceOf(DmcApiError);
	expect((error as DmcApiError).message).toBe('DMC answered BroadcastWS/updateBroadcast without true or false');
	expect(seen[0].fields).toEqual({ broadcastId: 61920, valuesToChange: values });
});

it('findLastModifiedCra asks 50 reports from a date and contact; SupervisionWS calls leave the gate closed for the minute', async () => {
	const { client, seen } = clientAnswering(() => []);
	await client.findLastModifiedCra('62089', 1_349_706_571_000, '26441833');
	expect(seen[0]).toEqual({
		url: `${BASE_URL}/SupervisionWS/findLastModifiedCra`,
		method: 'POST',
		fields: { broadcastId: 62089, dSince: 1_349_706_571_000, idSince: 26441833, taille: 50 },
	});
	expect(client.dmc.supervisionGate.opensWithin(0)).toBe(false);
});

it("completes a findBroadcastCra listing short of DMC's total with findLastModifiedCra pages, each contact once", async () => {
	const report = (contactId: number, statusLastChange: number, status = 'DONE') => ({
		contactId,
		statusLastChange,
		status,
		broadcastId: 7,
	});
	const { client, seen } = clientAnswering((path) =>
		path === 'SupervisionWS/findBroadcastCra'
			? { list: [report(1, 10, 'RUNNING')], total: 3 }
			: [report(1, 20), report(2, 21), report(3, 22)],
	);
	const reports = await readAllReports(client, '7');
	expect(reports.map((entry) => [entry.contactId, entry.status])).toEqual([
		[1, 'DONE'],
		[2, 'DONE'],
		[3, 'DONE'],
	]);
	expect(seen.map((call) => call.url.slice(BASE_URL.length + 1))).toEqual([
		'SupervisionWS/findBroadcastCra',
		'SupervisionWS/findLastModifiedCra',
	]);
	expect(seen[1].fields).toEqual({ broadcastId: 7, dSince: 0, taille: 50 });
});
