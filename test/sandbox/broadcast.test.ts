/**
 * The sandbox's campaigns: BroadcastWS, the upload service, PlanningWS and the campaign
 * side of SupervisionWS, on a fake clock.
 */
import type { Sandbox } from '../../sandbox';
import { ACCOUNT, callDmc, dmcFail, dmcOk, fakeClock, quietSandbox, READS_REPORTS_AT_WILL, type FakeClock } from './helpers';

const HEADER = 'NAME;FORENAME;PHONENUMBER1;COUNTRYCODE1;EXTERNALREFERENCE;INFO1;INFO2;INFO3;INFO4';
const STEP = 100;
const LOADING = 50;

let sandbox: Sandbox;
let clock: FakeClock;

beforeEach(async () => {
	clock = fakeClock(Date.UTC(2026, 11, 7, 9, 0)); // a Monday, 09:00 UTC
	sandbox = await quietSandbox({ now: clock.now, importStepMs: STEP, broadcastLoadingMs: LOADING, ...READS_REPORTS_AT_WILL });
});
afterEach(async () => await sandbox.close());

/** Text as ISO-8859-1 bytes (the sandbox reads files as ISO-8859-15; these tests use no character where they differ). */
const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

async function upload(content: string, fields: Record<string, string> = {}): Promise<{ status: number; text: string }> {
	const form = new FormData();
	form.set('serviceId', fields.serviceId ?? ACCOUNT.serviceId);
	form.set('serviceWsPassword', fields.serviceWsPassword ?? ACCOUNT.servicePassword);
	form.set('filename', new Blob([latin1(content)]), 'contacts.csv');
	const response = await fetch(`${sandbox.url}/DmcWS/1.5.8/uploadService`, { method: 'POST', body: form });
	return { status: response.status, text: await response.text() };
}

async function createSms(text = 'Bonjour <#contact.prenom#>', extra: Record<string, unknown> = {}, message: Record<string, unknown> = {}) {
	return await dmcOk<{ broadcastId: number; startDate: number; stopDate: number }>(sandbox, 'BroadcastWS/createBroadcast', {
		broadcast: { broadcastName: 'Alerte', scenarioId: 43, callPlanningId: 22, ...extra },
		customizableMessage: [{ customizableId: 142, multimediaType: 3, text, ...message }],
	});
}

async function importFile(broadcastId: number, lines: string[]): Promise<number> {
	const { text: fileSource } = await upload(`${HEADER}\r\n${lines.map((l) => `${l}\r\n`).join('')}`);
	return await dmcOk<number>(sandbox, 'BroadcastWS/importContactBroadcast', { broadcastId, fileSource });
}

const importStatus = async (idImport: number) =>
	await dmcOk<{ status: number; nbImported?: number; errDesc?: string }>(sandbox, 'BroadcastWS/getImportStatus', { idImport });

describe('upload service', () => {
	it('stores a file and answers its name as plain text', async () => {
		const answer = await upload('abc');
		expect(answer.status).toBe(200);
		expect(answer.text).toMatch(/^2026_12_7_[0-9a-f-]{36}\.csv$/);
		expect(sandbox.uploadedFiles().map((f) => f.content.toString())).toEqual(['abc']);
		expect(sandbox.stats().callsByMethod).toEqual({ uploadService: 1 });
	});

	it('refuses a wrong password', async () => {
		const answer = await upload('abc', { serviceWsPassword: 'nope' });
		expect(JSON.parse(answer.text)).toMatchObject({ success: false, errorCode: 'authentication_failed' });
		expect(sandbox.uploadedFiles()).toEqual([]);
	});
});

describe('import', () => {
	it('goes 0, 1, 2, 3 one step at a time, then the contacts are in the broadcast', async () => {
		const { broadcastId } = await createSms();
		const idImport = await importFile(broadcastId, [';Léa;0612345678;33;r1;;;;', ';Paul;0690001122;590;r2;;;;']);
		const seen = [];
		for (let i = 0; i < 4; i++) {
			seen.push((await importStatus(idImport)).status);
			clock.advance(STEP);
		}
		expect(seen).toEqual([0, 1, 2, 3]);
		expect((await importStatus(idImport)).nbImported).toBe(2);
		expect(sandbox.broadcasts()[0].contacts.map((c) => [c.to, c.firstName, c.externalReference])).toEqual([
			['+33612345678', 'Léa', 'r1'],
			['+590690001122', 'Paul', 'r2'],
		]);
	});

	it('fails (5) with errDesc when a line has a value too many, as a ";" in a name makes it', async () => {
		const { broadcastId } = await createSms();
		const idImport = await importFile(broadcastId, ['Dupont;0611111111;;0612345678;33;;;;;']);
		clock.advance(3 * STEP);
		expect(await importStatus(idImport)).toMatchObject({ status: 5, errDesc: 'Ligne 2 : 10 valeurs au lieu de 9' });
		expect(sandbox.broadcasts()[0].contacts).toEqual([]);
	});

	it('fails over 100,000 contacts in one file', async () => {
		const { broadcastId } = await createSms();
		const idImport = await importFile(
			broadcastId,
			Array.from({ length: 100_001 }, () => ';;0612345678;33;;;;;'),
		);
		clock.advance(3 * STEP);
		expect(await importStatus(idImport)).toMatchObject({ status: 5, errDesc: '100001 contacts : au plus 100000 par fichier' });
	});

	it('refuses activation while an import runs', async () => {
		const { broadcastId } = await createSms();
		await importFile(broadcastId, [';Léa;0612345678;33;;;;;']);
		const refused = await dmcFail(sandbox, 'BroadcastWS/activateBroadcast', { broadcastId });
		expect(refused.errorCode).toBe('import_in_progress');
	});
});

describe('addContactToBroadcast', () => {
	it('takes at most 100 contacts a call', async () => {
		const { broadcastId } = await createSms();
		const contact = { phoneNumber1: '+33612345678', firstName: 'A' };
		const saved = await dmcOk<Array<{ saved: boolean; contactId: number }>>(sandbox, 'BroadcastWS/addContactToBroadcast', {
			broadcastId,
			contact: Array(100).fill(contact),
		});
		expect(saved).toHaveLength(100);
		const refused = await dmcFail(sandbox, 'BroadcastWS/addContactToBroadcast', { broadcastId, contact: Array(101).fill(contact) });
		expect(refused.errorDetail).toBe('101 contacts : au plus 100 par appel');
	});
});

describe('lifecycle', () => {
	async function activeWith(lines: string[], text?: string, extra?: Record<string, unknown>, message?: Record<string, unknown>) {
		const { broadcastId } = await createSms(text, extra, message);
		await importFile(broadcastId, lines);
		clock.advance(3 * STEP);
		const activated = await dmcOk<{ status: string }>(sandbox, 'BroadcastWS/activateBroadcast', { broadcastId });
		expect(activated.status).toBe('Chargement en cours');
		return broadcastId;
	}
	const detail = async (broadcastId: number) =>
		await dmcOk<{ status: string; statusCode: string; endedContactNumber: number }>(sandbox, 'SupervisionWS/getBroadcastDetail', {
			broadcastId,
		});

	it('Edition, Chargement en cours, Appel/Envoi en cours, Terminée; personalised text, reports and counts', async () => {
		const broadcastId = await activeWith([';Léa;0612345678;33;r1;;;;', ';Paul;0699999901;33;r2;;;;']);
		expect((await detail(broadcastId)).status).toBe('Chargement en cours');
		clock.advance(LOADING);
		expect((await detail(broadcastId)).status).toBe('Appel/Envoi en cours');
		clock.advance(100);
		expect(await detail(broadcastId)).toMatchObject({ status: 'Terminée', statusCode: 'BR_FINISHED', endedContactNumber: 2 });
		const cra = await dmcOk<{ list: Array<Record<string, unknown>>; total: number }>(sandbox, 'SupervisionWS/findBroadcastCra', {
			broadcastId,
		});
		expect(cra.list.map((r) => [r.externalReference, r.callAdress, r.status, r.callResultCode])).toEqual([
			['r1', '+33612345678', 'DONE', 'CRA_SMS_RECEIVED'],
			['r2', '+33699999901', 'FAILED', 'CRA_SMS_BLACKLIST'],
		]);
		const counts = await dmcOk(sandbox, 'SupervisionWS/findCraNumber', { broadcastId });
		expect(counts).toEqual([
			{ label: 'SMS reçu', codeResult: 'CRA_SMS_RECEIVED', nb: 1 },
			{ label: 'Numéro en liste noire', codeResult: 'CRA_SMS_BLACKLIST', nb: 1 },
		]);
	});

	it('rejects every contact of a text over one part without smsLong, and sends it with smsLong', async () => {
		const long = 'x'.repeat(161);
		const refused = await activeWith([';A;0612345678;33;;;;;'], long);
		const sent = await activeWith([';A;0612345678;33;;;;;'], long, {}, { smsLong: true });
		clock.advance(LOADING + 100);
		const byId = Object.fromEntries(sandbox.broadcasts().map((b) => [b.id, b.contacts[0].resultCode]));
		expect(byId).toEqual({ [refused]: 'CRA_SMS_TOOLONG', [sent]: 'CRA_SMS_RECEIVED' });
	});

	it('fails a contact missing a field the text uses (CRA_MISSINGPARAM)', async () => {
		const broadcastId = await activeWith([';;0612345678;33;;;;;'], 'Bonjour <#contact.prenom#>');
		clock.advance(LOADING + 100);
		expect(sandbox.broadcasts().find((b) => b.id === broadcastId)?.contacts[0].resultCode).toBe('CRA_MISSINGPARAM{contact.prenom}');
	});

	it('suspends calls outside the planning and before the start date', async () => {
		const closed = await activeWith([';A;0612345678;33;;;;;'], 'Hi', { callPlanningId: 24 });
		const later = await activeWith([';A;0612345678;33;;;;;'], 'Hi', { startDate: clock.now() + 3_600_000 });
		clock.advance(LOADING);
		expect((await detail(closed)).status).toBe('Appels suspendus');
		expect((await detail(later)).status).toBe('Appels suspendus');
		clock.advance(3_600_000 + 100);
		expect((await detail(later)).status).toBe('Terminée');
	});

	it('pauses, resumes, terminates (CRA_BROADCASTTERMINATED) and drops only when over', async () => {
		const broadcastId = await activeWith([';A;0699999906;33;;;;;']);
		clock.advance(LOADING);
		expect(await callDmc(sandbox, 'BroadcastWS/pauseBroadcast', { broadcastId: [String(broadcastId)] }).then((a) => a.text)).toBe(
			'{"success":true}',
		);
		expect((await detail(broadcastId)).status).toBe('Pause');
		await dmcOk(sandbox, 'BroadcastWS/restartBroadcast', { broadcastId: [broadcastId] });
		expect((await detail(broadcastId)).status).toBe('Appel/Envoi en cours');
		expect((await dmcFail(sandbox, 'BroadcastWS/dropBroadcast', { broadcastId: [broadcastId] })).errorCode).toBe('invalid_broadcast_state');
		await dmcOk(sandbox, 'BroadcastWS/terminateBroadcast', { broadcastId: [broadcastId] });
		expect((await detail(broadcastId)).status).toBe('Arrêtée');
		expect(sandbox.broadcasts()[0].contacts[0]).toMatchObject({ status: 'FAILED', resultCode: 'CRA_BROADCASTTERMINATED' });
		await dmcOk(sandbox, 'BroadcastWS/dropBroadcast', { broadcastId: [broadcastId] });
		expect(sandbox.broadcasts()).toEqual([]);
	});

	it('reschedules a start date only while it has not passed', async () => {
		const { broadcastId, startDate } = await createSms('Hi', { startDate: clock.now() + 60_000 });
		expect(await dmcOk(sandbox, 'BroadcastWS/updateBroadcast', { broadcastId, valuesToChange: { brStart: startDate + 60_000 } })).toBe(
			true,
		);
		clock.advance(200_000);
		expect(await dmcOk(sandbox, 'BroadcastWS/updateBroadcast', { broadcastId, valuesToChange: { brStart: clock.now() + 1 } })).toBe(false);
	});

	it('lists the campaigns in edition apart from the others', async () => {
		const editing = await createSms();
		const active = await activeWith([';A;0612345678;33;;;;;']);
		const inEdition = await dmcOk<{ list: Array<{ broadcastId: number }> }>(sandbox, 'BroadcastWS/findEditingBroadcast');
		const running = await dmcOk<{ list: Array<{ broadcastId: number }> }>(sandbox, 'SupervisionWS/findBroadcastStatus');
		expect(inEdition.list.map((b) => b.broadcastId)).toEqual([editing.broadcastId]);
		expect(running.list.map((b) => b.broadcastId)).toEqual([active]);
	});
});

describe('findLastModifiedCra', () => {
	it('pages 50 at most, in order of change, continuing after (statusLastChange, contactId)', async () => {
		const { broadcastId } = await createSms('Hi');
		await importFile(
			broadcastId,
			Array.from({ length: 60 }, () => ';;0612345678;33;;;;;'),
		);
		clock.advance(3 * STEP);
		await dmcOk(sandbox, 'BroadcastWS/activateBroadcast', { broadcastId });
		clock.advance(LOADING + 100);
		await dmcOk(sandbox, 'SupervisionWS/getBroadcastDetail', { broadcastId });
		type Cra = { contactId: number; statusLastChange: number };
		const first = await dmcOk<Cra[]>(sandbox, 'SupervisionWS/findLastModifiedCra', { broadcastId, dSince: 0, taille: 50 });
		expect(first).toHaveLength(50);
		const last = first[49];
		const rest = await dmcOk<Cra[]>(sandbox, 'SupervisionWS/findLastModifiedCra', {
			broadcastId,
			dSince: last.statusLastChange,
			idSince: last.contactId,
			taille: 50,
		});
		expect(rest).toHaveLength(10);
		expect(new Set([...first, ...rest].map((c) => c.contactId)).size).toBe(60);
		expect((await dmcFail(sandbox, 'SupervisionWS/findLastModifiedCra', { broadcastId, dSince: 0, taille: 51 })).errorDetail).toBe(
			'taille vaut de 1 à 50',
		);
	});
});

describe('once a minute', () => {
	it('refuses a second findBroadcastCra within the minute when strict', async () => {
		const strict = await quietSandbox({ now: clock.now, supervisionIntervalMs: 60_000 });
		try {
			const created = await dmcOk<{ broadcastId: number }>(strict, 'BroadcastWS/createBroadcast', {
				broadcast: { broadcastName: 'x', scenarioId: 43, callPlanningId: 22 },
				customizableMessage: [{ customizableId: 142, multimediaType: 3, text: 'Hi' }],
			});
			await dmcOk(strict, 'SupervisionWS/findBroadcastCra', { broadcastId: created.broadcastId });
			const second = await dmcFail(strict, 'SupervisionWS/findBroadcastCra', { broadcastId: created.broadcastId });
			expect(second.errorCode).toBe('supervision_too_frequent');
			expect(strict.stats().supervisionViolations).toBe(1);
		} finally {
			await strict.close();
		}
	});
});

describe('scenarios and plannings', () => {
	it('finds scenarios by pattern, their customizable nodes, and the plannings', async () => {
		expect(
			(await dmcOk<Array<{ scenarioId: number }>>(sandbox, 'BroadcastWS/findScenarii', { namePattern: 'sms%' })).map((s) => s.scenarioId),
		).toEqual([43]);
		expect(await dmcOk(sandbox, 'BroadcastWS/findCustomizableNodes', { scenarioId: '43' })).toEqual([
			{ typeNode: 'sms', customizableName: 'Contenu du SMS', customizableId: 142, nodeName: 'Sms' },
		]);
		expect((await dmcOk<Array<{ planningName: string }>>(sandbox, 'PlanningWS/findPlanning')).map((p) => p.planningName)).toContain(
			'Planning 24/7',
		);
	});

	it('refuses a customizable node of another scenario and a wrong multimedia type', async () => {
		const wrongNode = await dmcFail(sandbox, 'BroadcastWS/createBroadcast', {
			broadcast: { broadcastName: 'x', scenarioId: 43, callPlanningId: 22 },
			customizableMessage: [{ customizableId: 153, multimediaType: 3, text: 'Hi' }],
		});
		expect(wrongNode.errorCode).toBe('invalid_parameter');
		const wrongType = await dmcFail(sandbox, 'BroadcastWS/createBroadcast', {
			broadcast: { broadcastName: 'x', scenarioId: 43, callPlanningId: 22 },
			customizableMessage: [{ customizableId: 142, multimediaType: 1, text: 'Hi' }],
		});
		expect(wrongType.errorDetail).toBe('multimediaType 1 ne convient pas à la partie 142 (attendu 3)');
	});
});
