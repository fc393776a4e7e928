/**
 * The campaign transport over real HTTP against the sandbox: what goes over the wire for
 * BroadcastWS, PlanningWS and the upload service (method, URL, form fields, the multipart
 * body), that the password is never in a URL or an error, and that the build keeps the
 * guide's pace (a sandbox refusing a second call within a second takes every call).
 */
import type { IHttpRequestOptions, INode } from 'n8n-workflow';

import { BroadcastClient, IMPORT_DONE } from '../../nodes/SfrDmc/transport/BroadcastClient';
import { DmcApiError, DmcClient } from '../../nodes/SfrDmc/transport/DmcClient';
import { UploadService } from '../../nodes/SfrDmc/transport/uploadService';
import { contactFileText, encodeLatin9 } from '../../nodes/SfrDmc/domain/campaignCsv';
import { startSandbox, type Sandbox } from '../../sandbox';
import { STRICT_TEST_MINUTE } from '../supervisionMinute';

const PASSWORD = 'bulk+P@ss&word=9';
const ACCOUNT = { serviceId: 'sandbox-service', servicePassword: PASSWORD, spaceId: 'sandbox-space' };
const node: INode = { id: 'n', name: 'SFR DMC', type: 'n8n-nodes-sfr-dmc.sfrDmcSms', typeVersion: 1, position: [0, 0], parameters: {} };

interface WireCall {
	method: string;
	url: string;
	contentType: string;
	body: Buffer;
}

let sandbox: Sandbox;
let wire: WireCall[];

beforeAll(async () => {
	sandbox = await startSandbox({
		...STRICT_TEST_MINUTE,
		servicePassword: PASSWORD,
		rateMode: 'refuse',
		// The guide's bulk pace as the sandbox's limit: a call within a second of another is refused.
		rateLimit: 1,
		rateWindowMs: 1000,
		importStepMs: 50,
		logger: () => undefined,
	});
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
	wire = [];
});

/** n8n's request helper as far as these calls go; `authenticated` adds the login as n8n's credential does. */
function requester(authenticated: boolean) {
	return async (options: IHttpRequestOptions) => {
		const headers = options.headers as Record<string, string>;
		const body = authenticated
			? Buffer.from(new URLSearchParams({ ...(options.body as Record<string, string>), authenticate: JSON.stringify(ACCOUNT) }).toString())
			: (options.body as Buffer);
		wire.push({ method: options.method ?? 'GET', url: options.url, contentType: headers['Content-Type'], body });
		const response = await fetch(options.url, { method: options.method, headers: { 'content-type': headers['Content-Type'] }, body });
		return { statusCode: response.status, body: await response.text(), headers: Object.fromEntries(response.headers) };
	};
}

let services = 0;

function client(password = PASSWORD): BroadcastClient {
	// One service id per client for the limiters (tests do not wait on one another); the sandbox reads the account's.
	const limiterService = `campaign-client-${++services}`;
	const dmc = new DmcClient({ node, request: requester(true), baseUrl: sandbox.baseUrl, serviceId: limiterService, secrets: [PASSWORD] });
	const uploads = new UploadService({
		node,
		request: requester(false),
		baseUrl: sandbox.baseUrl,
		serviceId: ACCOUNT.serviceId,
		servicePassword: password,
		limiter: dmc.limiter,
		timeoutMs: 2000,
	});
	return new BroadcastClient(dmc, uploads, node);
}

const form = (call: WireCall) => Object.fromEntries(new URLSearchParams(call.body.toString()));

function expectNoSecretInUrls() {
	for (const call of wire) {
		expect(call.method).toBe('POST');
		expect(call.url).not.toContain(PASSWORD);
		expect(call.url).not.toContain(encodeURIComponent(PASSWORD));
		expect(call.url).not.toContain('?');
	}
}

const FILE = encodeLatin9(contactFileText(['Dupont,0611111111;Zoé;0612345678;33;ref-1;;;;']));

describe('BroadcastClient over the wire', () => {
	it('uploads the file as multipart with the login as its own fields, then creates, imports and activates by form fields', async () => {
		const broadcasts = client();
		const fileSource = await broadcasts.uploadFile('contacts.csv', FILE);
		const upload = wire[0];
		expect(upload.url).toBe(`${sandbox.url}/DmcWS/1.5.8/uploadService`);
		expect(upload.contentType).toMatch(/^multipart\/form-data; boundary=/);
		const boundary = upload.contentType.split('boundary=')[1];
		const text = upload.body.toString('latin1');
		expect(text).toContain(`--${boundary}\r\nContent-Disposition: form-data; name="serviceId"\r\n\r\nsandbox-service\r\n`);
		expect(text).toContain(`Content-Disposition: form-data; name="serviceWsPassword"\r\n\r\n${PASSWORD}\r\n`);
		expect(text).toContain('Content-Disposition: form-data; name="filename"; filename="contacts.csv"');
		expect(text.endsWith(`\r\n--${boundary}--\r\n`)).toBe(true);
		expect(sandbox.uploadedFiles()).toHaveLength(1);
		expect(sandbox.uploadedFiles()[0].name).toBe(fileSource);
		expect(Buffer.compare(sandbox.uploadedFiles()[0].content, Buffer.from(FILE))).toBe(0);

		const [node] = await broadcasts.findCustomizableNodes('43');
		const created = await broadcasts.createBroadcast({ broadcastName: 'Alerte [n8n-1]', scenarioId: 43, callPlanningId: 22 }, [
			{ customizableId: node.customizableId, multimediaType: 3, text: 'Bonjour <#contact.prenom#>', smsLong: false },
		]);
		const broadcastId = String(created.broadcastId);
		const importId = await broadcasts.importContactBroadcast(broadcastId, fileSource);
		let status = await broadcasts.getImportStatus(importId);
		while (status.status !== IMPORT_DONE) status = await broadcasts.getImportStatus(importId);
		expect(status).toEqual({ status: 3, nbImported: 1, errDesc: null });
		const activated = await broadcasts.activateBroadcast(broadcastId);
		expect(activated.status).not.toBe('Edition');

		const calls = wire.slice(1);
		expect(calls.map((call) => call.url.split('/JsonService/')[1])).toEqual([
			'BroadcastWS/findCustomizableNodes',
			'BroadcastWS/createBroadcast',
			'BroadcastWS/importContactBroadcast',
			...Array(calls.length - 4).fill('BroadcastWS/getImportStatus'),
			'BroadcastWS/activateBroadcast',
		]);
		for (const call of calls) expect(call.contentType).toBe('application/x-www-form-urlencoded');
		expect(JSON.parse(form(calls[1]).broadcast)).toEqual({ broadcastName: 'Alerte [n8n-1]', scenarioId: 43, callPlanningId: 22 });
		expect(JSON.parse(form(calls[1]).customizableMessage)).toEqual([
			{ customizableId: 142, multimediaType: 3, text: 'Bonjour <#contact.prenom#>', smsLong: false },
		]);
		expect(JSON.parse(form(calls[2]).fileSource)).toBe(fileSource);
		expect(JSON.parse(form(calls[2]).broadcastId)).toBe(Number(broadcastId));
		expect(JSON.parse(form(calls[3]).idImport)).toBe(Number(importId));
		expectNoSecretInUrls();
		// The sandbox refuses any call within a second of the previous one: the pace held.
		expect(sandbox.stats().violations).toBe(0);
		expect(sandbox.broadcasts()[0].contacts.map((c) => [c.lastName, c.to])).toEqual([['Dupont,0611111111', '+33612345678']]);
	}, 30_000);

	it('never repeats the password in an upload refused for its login', async () => {
		const broadcasts = client(`${PASSWORD}-wrong`);
		const error = await broadcasts.uploadFile('contacts.csv', FILE).then(
			() => undefined,
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(DmcApiError);
		expect((error as DmcApiError).errorCode).toBe('authentication_failed');
		expect(JSON.stringify([(error as DmcApiError).message, (error as DmcApiError).description])).not.toContain(PASSWORD);
		expectNoSecretInUrls();
	});

	it('reports an HTML 502 and a lost answer of the upload as unknown, without the password', async () => {
		sandbox.injectFaults([
			{ kind: 'html502', method: 'uploadService' },
			{ kind: 'reset', method: 'uploadService', afterStore: true },
		]);
		for (const code of [/^HTTP_502$/, /^(?!HTTP_)/]) {
			const error = (await client()
				.uploadFile('contacts.csv', FILE)
				.catch((e: unknown) => e)) as DmcApiError;
			expect(error).toBeInstanceOf(DmcApiError);
			expect(error.errorCode).toMatch(code);
			expect(error.outcome).toBe('unknown');
			expect(`${error.message} ${error.description}`).not.toContain(PASSWORD);
		}
	});

	it('lists plannings and scenarios, and reads SupervisionWS through the once-a-minute gate', async () => {
		// SupervisionWS reads keep the service's 5 calls a second, not the build's pace: a sandbox at the guide's limits.
		const strictBuild = sandbox;
		sandbox = await startSandbox({ ...STRICT_TEST_MINUTE, servicePassword: PASSWORD, rateMode: 'refuse', logger: () => undefined });
		try {
			await listAndRead();
		} finally {
			await sandbox.close();
			sandbox = strictBuild;
		}
	}, 30_000);
});

/** Plannings and scenarios, a broadcast, then two SupervisionWS reads of it. */
async function listAndRead() {
	const broadcasts = client();
	expect((await broadcasts.findPlanning()).length).toBeGreaterThan(0);
	expect((await broadcasts.findScenarii('sms%')).map((s) => s.scenarioName)).toEqual(['Sms']);
	const [node] = await broadcasts.findCustomizableNodes('43');
	const { broadcastId } = await broadcasts.createBroadcast({ broadcastName: 'Lecture', scenarioId: 43, callPlanningId: 22 }, [
		{ customizableId: node.customizableId, multimediaType: 3, text: 'Bonjour' },
	]);
	await broadcasts.getBroadcastDetail(String(broadcastId));
	await broadcasts.findCraNumber(String(broadcastId));
	expect(sandbox.stats().supervisionCalls).toBe(2);
	expect(sandbox.stats().supervisionViolations).toBe(0);
	expect(sandbox.stats().violations).toBe(0);
	expectNoSecretInUrls();
}
