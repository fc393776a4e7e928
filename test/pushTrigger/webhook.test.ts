/**
 * The Push Trigger's webhook with a mocked IWebhookFunctions: what n8n receives (the
 * workflowData items, or none) and the HTTP answer, for accepted and refused pushes.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { SfrDmcPushTrigger } from '../../nodes/SfrDmc/SfrDmcPushTrigger.node';

/** A value the answers and logs must never show. */
const NEVER_SHOWN = 'pa55-w0rd-never-shown';
const CREDENTIALS = { serviceId: 'svc', servicePassword: NEVER_SHOWN, spaceId: 'space-1', baseUrl: 'http://127.0.0.1:1' };

interface Call {
	body: string | Buffer | undefined;
	contentType?: string;
	parsed?: IDataObject;
	ip?: string;
	event?: string;
	statuses?: string[];
	options?: IDataObject;
	mode?: 'manual' | 'webhook';
	/** Holds the credentials back until it resolves, as a slow credential read would. */
	credentialsAfter?: Promise<void>;
}

interface Answer {
	result: IWebhookResponseData;
	status?: number;
	json?: unknown;
	logs: string[];
}

function jsonPush(entries: IDataObject[], username = 'svc'): string {
	return JSON.stringify({ status_report: { username, sms: entries } });
}

function entry(callId: string, status: string, extra: IDataObject = {}): IDataObject {
	return {
		to: '33612345678',
		call_id: callId,
		contact_id: `c${callId}`,
		space_id: 'space-1',
		status,
		date: '2024-05-02 10:00:00',
		...extra,
	};
}

/**
 * One trigger node with its static data, as one activated workflow holds it. Like n8n, each
 * call works on its own copy of the static data, saved back when it ends.
 */
function activated(clock: () => number = () => Date.UTC(2024, 4, 2, 9)) {
	const node = new SfrDmcPushTrigger(clock);
	const staticData: IDataObject = {};
	let nodeId = 0;
	const id = `node-${++nodeId}-${Math.random()}`;
	const call = async (request: Call): Promise<Answer> => {
		const logs: string[] = [];
		const answer: { status?: number; json?: unknown } = {};
		const response = {
			status(code: number) {
				answer.status = code;
				return response;
			},
			json(value: unknown) {
				answer.json = value;
				return response;
			},
		};
		const raw = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body);
		const parameters: IDataObject = {
			event: request.event ?? 'allEvents',
			statuses: request.statuses ?? ['DONE', 'FAILED'],
			options: request.options ?? {},
		};
		const callStaticData = structuredClone(staticData);
		const context = {
			getMode: () => request.mode ?? 'webhook',
			getNode: () => ({
				id,
				name: 'SFR DMC Push Trigger',
				type: 'n8n-nodes-sfr-dmc.sfrDmcPushTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			}),
			getWorkflow: () => ({ id: 'wf-1', active: true }),
			getNodeParameter: (name: string, fallback?: unknown) => (name in parameters ? parameters[name] : fallback),
			getCredentials: async () => {
				await request.credentialsAfter;
				return CREDENTIALS;
			},
			getWorkflowStaticData: () => callStaticData,
			getRequestObject: () => ({
				rawBody: raw,
				headers: { 'content-type': request.contentType ?? 'application/json' },
				ip: request.ip ?? '203.0.113.7',
			}),
			getBodyData: () => request.parsed ?? {},
			getResponseObject: () => response,
			logger: {
				warn: (message: string, meta?: unknown) => logs.push(`${message} ${JSON.stringify(meta)}`),
				info: () => undefined,
				debug: () => undefined,
				error: () => undefined,
			},
		} as unknown as IWebhookFunctions;
		const result = await node.webhook.call(context);
		Object.assign(staticData, callStaticData);
		return { result, ...answer, logs };
	};
	return { call, staticData };
}

const items = (answer: Answer) => (answer.result.workflowData ?? [[]])[0].map((item) => item.json);

describe('SFR DMC Push Trigger webhook', () => {
	it('declares a POST webhook answering on receipt, on the credential', () => {
		const { description } = new SfrDmcPushTrigger();
		expect(description.webhooks).toEqual([{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'push' }]);
		expect(description.credentials).toEqual([{ name: 'sfrDmcApi', required: true }]);
	});

	it('starts one execution with one item per event and answers 200 at once', async () => {
		const { call } = activated();
		const answer = await call({
			body: jsonPush([
				entry('1', 'RECEIVED'),
				entry('2', 'ANSWERED', { status_list: [{ type: 'ANSWERED', date: '2024-05-02 10:05:00', info: 'Oui' }] }),
			]),
		});
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({ received: 2, started: 2 });
		expect(answer.result.noWebhookResponse).toBe(true);
		expect(items(answer)).toEqual([
			expect.objectContaining({
				event: 'deliveryStatusChanged',
				messageId: 'c1',
				to: '+33612345678',
				status: 'DONE',
				pushStatus: 'RECEIVED',
				updatedAt: '2024-05-02T08:00:00.000Z',
			}),
			expect.objectContaining({
				event: 'replyReceived',
				messageId: 'c2',
				from: '+33612345678',
				text: 'Oui',
				isStop: false,
				receivedAt: '2024-05-02T08:05:00.000Z',
			}),
		]);
		expect(items(answer)[0].raw).toEqual(entry('1', 'RECEIVED'));
	});

	it('reads XML from the raw body and from n8n-parsed form fields', async () => {
		const xml =
			'<status_report username="svc"><sms to="+33612345678" call_id="5" contact_id="9" space_id="space-1" status="ANSWERED"><status date="2024-05-02 10:00:00" type="ANSWERED" info="STOP"/></sms></status_report>';
		const raw = await activated().call({ body: xml, contentType: 'text/xml', event: 'stopReceived' });
		expect(items(raw)).toEqual([expect.objectContaining({ event: 'stopReceived', isStop: true, messageId: '9' })]);
		const form = await activated().call({ body: undefined, parsed: { status_report: xml }, event: 'stopReceived' });
		expect(items(form)).toEqual([expect.objectContaining({ event: 'stopReceived', messageId: '9' })]);
		const parsedJson = await activated().call({
			body: undefined,
			parsed: JSON.parse(jsonPush([entry('3', 'ERROR')])) as IDataObject,
			event: 'deliveryStatusChanged',
		});
		expect(items(parsedJson)).toEqual([expect.objectContaining({ status: 'FAILED', messageId: 'c3' })]);
	});

	it('starts nothing for a duplicate push, or for events the node does not want', async () => {
		const { call, staticData } = activated();
		const body = jsonPush([entry('1', 'RECEIVED')]);
		expect(items(await call({ body }))).toHaveLength(1);
		const again = await call({ body });
		expect(again.result).toEqual({ noWebhookResponse: true });
		expect([again.status, again.json]).toEqual([200, { received: 1, started: 0 }]);
		expect(Object.keys(staticData.seenPushEvents as IDataObject)).toEqual(['1|RECEIVED|2024-05-02 10:00:00']);
		const sent = await call({ body: jsonPush([entry('7', 'SENT')]), event: 'deliveryStatusChanged' });
		expect(sent.result).toEqual({ noWebhookResponse: true });
		expect([sent.status, sent.json]).toEqual([200, { received: 1, started: 0 }]);
		// A test push (editor's "Listen for test event") is never deduplicated.
		expect(items(await call({ body, mode: 'manual' }))).toHaveLength(1);
	});

	it('starts one execution for two simultaneous copies, whichever reads the clock first and ends last', async () => {
		// The copy that read the clock first waits longest for its credentials: the other
		// copy is remembered at a later instant than the first one's clock says.
		let instant = Date.UTC(2024, 4, 2, 9);
		const { call, staticData } = activated(() => instant++);
		const body = jsonPush([entry('42', 'RECEIVED')]);
		let releaseFirst = () => undefined as void;
		const first = call({ body, credentialsAfter: new Promise<void>((resolve) => (releaseFirst = resolve)) });
		const second = await call({ body });
		releaseFirst();
		const answers = [await first, second];
		expect(answers.map((answer) => items(answer).length).sort()).toEqual([0, 1]);
		expect(answers.map((answer) => answer.json)).toEqual(
			expect.arrayContaining([
				{ received: 1, started: 1 },
				{ received: 1, started: 0 },
			]),
		);
		expect(Object.keys(staticData.seenPushEvents as IDataObject)).toEqual(['42|RECEIVED|2024-05-02 10:00:00']);
		// A clock stepped back (NTP) does not forget what was seen either.
		instant -= 60_000;
		expect(items(await call({ body }))).toHaveLength(0);
	});

	it('refuses pushes for another service or space, from an address not allowed, too large or unreadable: no execution, no body echoed', async () => {
		const secret = '+33699999999';
		const cases: Array<[Call, number, RegExp]> = [
			[{ body: jsonPush([entry('1', 'RECEIVED', { to: secret })], 'other-svc') }, 403, /another DMC service/],
			[{ body: JSON.stringify({ status_report: { sms: [entry('1', 'RECEIVED', { to: secret })] } }) }, 403, /names no username/],
			[{ body: jsonPush([entry('1', 'RECEIVED', { to: secret, space_id: 'space-2' })]) }, 403, /entry 1 is for another space/],
			[
				{ body: jsonPush([entry('1', 'RECEIVED', { to: secret })]), options: { allowedIps: '192.0.2.0/24' } },
				403,
				/source address not allowed/,
			],
			[
				{ body: jsonPush([entry('1', 'RECEIVED', { to: secret })]), options: { allowedIps: 'not-an-ip' } },
				403,
				/Allowed Source IPs holds "not-an-ip"/,
			],
			[
				{ body: jsonPush([entry('1', 'RECEIVED', { to: secret, info: 'x'.repeat(3000) })]), options: { maxBodyKb: 1 } },
				413,
				/larger than 1 KB/,
			],
			[{ body: `{"status_report": "${secret}"` }, 400, /Unreadable push: unreadable JSON/],
			[
				{
					body: `<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><status_report username="svc"><sms to="&x;"/></status_report>`,
					contentType: 'text/xml',
				},
				400,
				/DOCTYPE/,
			],
			[
				{ body: jsonPush([{ to: secret, space_id: 'space-1', status: 'RECEIVED' }]) },
				400,
				/sms entry 1 has neither call_id nor contact_id/,
			],
			[{ body: jsonPush([{ call_id: { to: secret }, space_id: 'space-1' }]) }, 400, /callid must be text/],
			[{ body: undefined, parsed: {} }, 400, /empty body/],
		];
		for (const [request, status, message] of cases) {
			const answer = await activated().call(request);
			expect(answer.result).toEqual({ noWebhookResponse: true });
			expect(answer.status).toBe(status);
			expect((answer.json as { error: string }).error).toMatch(message);
			const said = JSON.stringify(answer.json) + answer.logs.join('\n');
			expect(said).not.toContain(secret);
			expect(said).not.toContain(CREDENTIALS.servicePassword);
			expect(answer.logs).toHaveLength(1);
		}
	});

	it('accepts other spaces when allowed, and an allowed source address (IPv4 through IPv6 too)', async () => {
		const body = jsonPush([entry('1', 'RECEIVED', { space_id: 'space-2' })]);
		expect(items(await activated().call({ body, options: { allowOtherSpaces: true } }))).toHaveLength(1);
		const fromAllowed = await activated().call({
			body: jsonPush([entry('1', 'RECEIVED')]),
			ip: '::ffff:192.0.2.44',
			options: { allowedIps: '198.51.100.1, 192.0.2.0/24' },
		});
		expect(items(fromAllowed)).toHaveLength(1);
	});

	it('flood: many refused pushes start nothing and keep nothing; a push of many events starts one execution', async () => {
		const { call, staticData } = activated();
		for (let i = 0; i < 200; i++) {
			const answer = await call({ body: jsonPush([entry(String(i), 'RECEIVED')], `intruder-${i}`) });
			expect(answer.result.workflowData).toBeUndefined();
		}
		expect(staticData.seenPushEvents).toBeUndefined();
		const many = await call({ body: jsonPush(Array.from({ length: 1000 }, (_, i) => entry(String(i), 'RECEIVED'))) });
		expect(many.result.workflowData).toHaveLength(1);
		expect(items(many)).toHaveLength(1000);
		const tooMany = await call({
			body: jsonPush(Array.from({ length: 1001 }, (_, i) => entry(String(i), 'RECEIVED'))),
			options: { maxBodyKb: 1024 },
		});
		expect(tooMany.status).toBe(400);
		expect(tooMany.result.workflowData).toBeUndefined();
	});
});
