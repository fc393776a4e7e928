'use strict';

/**
 * The sandbox's Push CRA: each status change and each reply is POSTed, in DMC's JSON or the
 * guide's XML, to a local HTTP receiver; the push trigger's own reader reads every body.
 * (Plain JavaScript: a local HTTP receiver needs node:http.)
 */
const http = require('node:http');

const { startSandbox } = require('../../sandbox');
const { readPushText } = require('../../nodes/SfrDmc/domain/pushReports');
const { pushEventOf } = require('../../nodes/SfrDmc/domain/pushEvents');

const ACCOUNT = { serviceId: 'sandbox-service', servicePassword: 'sandbox-password', spaceId: 'sandbox-space' };

function receiver(status = 200) {
	const bodies = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			bodies.push({ contentType: req.headers['content-type'], text: Buffer.concat(chunks).toString('utf8') });
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end('{"received":1}');
		});
	});
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () => resolve({ server, bodies, url: `http://127.0.0.1:${server.address().port}/webhook/abc/push` })),
	);
}

async function send(sandbox, to) {
	const fields = new URLSearchParams({
		authenticate: JSON.stringify(ACCOUNT),
		messageUnitaire: JSON.stringify({ media: 'SMS', textMsg: 'Rendez-vous demain 10:00 ?', to, refExt: 'rdv-1' }),
	});
	const response = await fetch(`${sandbox.baseUrl}/MessagesUnitairesWS/addSingleCall`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: fields.toString(),
	});
	return (await response.json()).response;
}

async function dmc(sandbox, method, params) {
	const fields = new URLSearchParams({ authenticate: JSON.stringify(ACCOUNT) });
	for (const [name, value] of Object.entries(params)) fields.set(name, JSON.stringify(value));
	const response = await fetch(`${sandbox.baseUrl}/${method}`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: fields.toString(),
	});
	const answer = await response.json();
	if (!answer.success) throw new Error(`${method}: ${JSON.stringify(answer)}`);
	return answer.response;
}

describe('DMC sandbox Push CRA', () => {
	let target;
	let clock;
	let sandbox;

	beforeEach(async () => {
		target = await receiver();
		clock = Date.UTC(2024, 4, 2, 8, 0, 0);
		sandbox = await startSandbox({
			logger: () => undefined,
			now: () => clock,
			deliveryDelayMs: 1000,
			failureDelayMs: 1000,
			replyDelayMs: 1000,
			pushIntervalMs: 60_000,
		});
	});
	afterEach(async () => {
		await sandbox.close();
		await new Promise((resolve) => target.server.close(resolve));
	});

	for (const format of ['json', 'xml']) {
		it(`pushes SENT, RECEIVED and each reply in ${format}, once each, readable by the push trigger`, async () => {
			expect(sandbox.setPush({ url: target.url, format })).toEqual({ url: target.url, format });
			const id = await send(sandbox, '0612345678');
			await sandbox.flushPushes();
			clock += 1000;
			await sandbox.flushPushes();
			clock += 5000;
			sandbox.reply(id, 'Oui');
			await sandbox.flushPushes();
			sandbox.reply(id, 'STOP');
			await sandbox.flushPushes();
			await sandbox.flushPushes();

			expect(target.bodies.map((body) => body.contentType)).toEqual(
				Array(4).fill(format === 'json' ? 'application/json; charset=UTF-8' : 'text/xml; charset=UTF-8'),
			);
			const reports = target.bodies.map((body) => readPushText(body.text));
			expect(reports.map((report) => report.username)).toEqual(Array(4).fill(ACCOUNT.serviceId));
			const events = reports.map((report) => pushEventOf(report.entries[0], 'entry').json);
			expect(events.map((event) => [event.event, event.status ?? event.text])).toEqual([
				['deliveryStatusChanged', 'RUNNING'],
				['deliveryStatusChanged', 'DONE'],
				['replyReceived', 'Oui'],
				['stopReceived', 'STOP'],
			]);
			expect(events[1]).toMatchObject({
				messageId: String(id),
				reference: 'rdv-1',
				to: '+33612345678',
				updatedAt: '2024-05-02T08:00:01.000Z',
			});
			expect(events[3]).toMatchObject({ from: '+33612345678', isStop: true, receivedAt: '2024-05-02T08:00:06.000Z' });
			expect(reports[3].entries[0].statusList.map((line) => line.type)).toEqual(['SENT', 'RECEIVED', 'ANSWERED', 'ANSWERED']);
			expect(reports[3].entries[0]).toMatchObject({ spaceId: ACCOUNT.spaceId, date: '2024-05-02 10:00:00' });
			expect(sandbox.stats().pushes).toEqual({ sent: 4, failed: 0, lastStatus: 200 });
		});
	}

	it('pushes a failure as ERROR with its code, and only events after the URL was set', async () => {
		const before = await send(sandbox, '0612345678');
		clock += 1000;
		sandbox.setPush({ url: target.url });
		await sandbox.flushPushes();
		expect(target.bodies).toEqual([]);
		const id = await send(sandbox, '+33699999901');
		clock += 1000;
		await sandbox.flushPushes();
		const events = target.bodies.map((body) => readPushText(body.text).entries[0]);
		expect(events.map((entry) => [entry.contactId, entry.status])).toEqual([
			[String(id), 'SENT'],
			[String(id), 'ERROR'],
		]);
		expect(events[1].statusList[1]).toMatchObject({ type: 'ERROR', info: 'CRA_SMS_BLACKLIST' });
		expect(events.some((entry) => entry.contactId === String(before))).toBe(false);
	});

	it("pushes a campaign's contacts with its broadcast_id, a STOP reply included, which getResponsesSMS lists with its broadcastId", async () => {
		sandbox.setPush({ url: target.url });
		const { broadcastId } = await dmc(sandbox, 'BroadcastWS/createBroadcast', {
			broadcast: { broadcastName: 'Alerte', scenarioId: 43, callPlanningId: 22 },
			customizableMessage: [{ customizableId: 142, multimediaType: 3, text: 'Alerte inondation' }],
		});
		const saved = await dmc(sandbox, 'BroadcastWS/addContactToBroadcast', {
			broadcastId,
			contact: [
				{ phoneNumber1: '0612345678', externalReference: 'habitant-1' },
				{ phoneNumber1: '0699999904', externalReference: 'habitant-2' },
			],
		});
		await dmc(sandbox, 'BroadcastWS/activateBroadcast', { broadcastId });
		for (let step = 0; step < 3; step++) {
			clock += 1000;
			await sandbox.flushPushes();
		}
		const entries = target.bodies.map((body) => readPushText(body.text).entries[0]);
		expect(entries.map((entry) => [entry.broadcastId, entry.contactId, entry.status])).toEqual([
			[String(broadcastId), String(saved[0].contactId), 'SENT'],
			[String(broadcastId), String(saved[1].contactId), 'SENT'],
			[String(broadcastId), String(saved[0].contactId), 'RECEIVED'],
			[String(broadcastId), String(saved[1].contactId), 'RECEIVED'],
			[String(broadcastId), String(saved[1].contactId), 'ANSWERED'],
		]);
		const stop = pushEventOf(entries[4], 'entry');
		expect(stop).toMatchObject({ event: 'stopReceived', json: { campaignId: String(broadcastId), reference: 'habitant-2', isStop: true } });

		const replies = await dmc(sandbox, 'SupervisionWS/getResponsesSMS', { stopOnly: true, beginDate: clock - 60_000, endDate: clock });
		expect(replies.list).toEqual([
			{
				contactId: saved[1].contactId,
				spaceId: ACCOUNT.spaceId,
				broadcastId,
				callDate: clock,
				callAdress: '+33699999904',
				callResponse: 'STOP',
			},
		]);
	});

	it('sets and reads the push over the control API, refusing bad settings; counts unreachable receivers', async () => {
		const post = async (body) => {
			const response = await fetch(`${sandbox.url}/_sandbox/push`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			return { status: response.status, json: await response.json() };
		};
		expect(await post({ url: target.url, format: 'xml' })).toEqual({ status: 200, json: { url: target.url, format: 'xml' } });
		expect(await (await fetch(`${sandbox.url}/_sandbox/push`)).json()).toEqual({ url: target.url, format: 'xml' });
		expect((await post({ url: 'ftp://x' })).status).toBe(400);
		expect((await post({ url: target.url, format: 'soap' })).json.error).toMatch(/json, xml/);
		expect(await post({ url: 'http://127.0.0.1:1/closed' })).toMatchObject({ status: 200 });
		await send(sandbox, '0612345678');
		await sandbox.flushPushes();
		expect(sandbox.stats().pushes).toMatchObject({ failed: 1, lastStatus: null });
		expect(await post({ url: null })).toEqual({ status: 200, json: { url: null, format: 'xml' } });
	});

	it('takes the push URL and format from the environment (CLI)', () => {
		const { configFromEnv } = require('../../sandbox');
		expect(configFromEnv({ DMC_SANDBOX_PUSH_URL: target.url, DMC_SANDBOX_PUSH_FORMAT: 'xml' })).toEqual({
			pushUrl: target.url,
			pushFormat: 'xml',
		});
	});
});
