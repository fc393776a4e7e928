/**
 * Campaign Create inside n8n's engine against the sandbox: the contact file DMC imports,
 * what n8n receives, and exactly once under every fault of the sandbox on every step.
 */
import type { IDataObject, INodeParameters, NodeApiError } from 'n8n-workflow';

import { parseContactFile, decodeLatin9 } from '../../nodes/SfrDmc/domain/campaignCsv';
import { runNode, type RunNodeResult } from '../../harness';
import { startSandbox, type FaultSpec, type Sandbox } from '../../sandbox';
import { expectNoSecret, smsNodeOn } from './sandboxNode';
import { STRICT_TEST_MINUTE } from '../supervisionMinute';
import '../campaignPace';

jest.setTimeout(30_000);

const PASSWORD = 'camp+P@ss&word=7';
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({
		...STRICT_TEST_MINUTE,
		servicePassword: PASSWORD,
		rateMode: 'refuse',
		importStepMs: 30,
		broadcastLoadingMs: 10,
		logger: () => undefined,
	});
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const residents: IDataObject[] = [
	{ to: '06 12 34 56 01', firstName: 'Zoé', lastName: 'Martin' },
	{ to: '+33 6 12 34 56 02', firstName: 'Luc', lastName: 'Dupont;0611111111' },
	{ to: '0690 00 11 22', firstName: 'Ana\nBis', lastName: 'Say "hi"' },
	{ to: '06.12.34.56.04', firstName: 'Ève', lastName: 'Œuvre' },
];
const NUMBERS = ['+33612345601', '+33612345602', '+590690001122', '+33612345604'];

function parameters(overrides: INodeParameters = {}, options: IDataObject = {}): INodeParameters {
	return {
		resource: 'campaign',
		operation: 'create',
		campaignName: 'Alerte canicule',
		channel: 'sms',
		message: 'Bonjour {firstName}, alerte canicule : restez au frais.',
		scenario: '43',
		callPlanning: '22',
		to: '={{ $json.to }}',
		firstName: '={{ $json.firstName }}',
		lastName: '={{ $json.lastName }}',
		options: { importTimeout: 2, ...options },
		...overrides,
	};
}

async function create(overrides: INodeParameters = {}, options: IDataObject = {}, items = residents, continueOnFail = false) {
	const credentials = { serviceId: 'sandbox-service', servicePassword: PASSWORD, spaceId: 'sandbox-space', baseUrl: sandbox.baseUrl };
	return await runNode({ ...smsNodeOn(sandbox), credentials, parameters: parameters(overrides, options), items, continueOnFail });
}

/** At most one campaign; one that is not in Edition has every contact exactly once. */
function expectOneCampaignAtMost(result: RunNodeResult) {
	const broadcasts = sandbox.broadcasts();
	expect(broadcasts.length).toBeLessThanOrEqual(1);
	for (const broadcast of broadcasts) {
		const numbers = broadcast.contacts.map((contact) => contact.to).sort();
		expect(numbers.length === 0 || numbers.join() === [...NUMBERS].sort().join()).toBe(true);
		if (broadcast.status !== 'Edition') expect(numbers).toHaveLength(NUMBERS.length);
	}
	if (!result.error) {
		expect(broadcasts).toHaveLength(1);
		expect(result.items[0].json.campaignId).toBe(String(broadcasts[0].id));
		expect(broadcasts[0].status).not.toBe('Edition');
	}
	expectNoSecret(result, PASSWORD);
}

describe('Campaign Create', () => {
	it('creates, imports and activates one campaign: one item, each resident once, Dupont;0611111111 one contact', async () => {
		const result = await create();
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		const [item] = result.items;
		expect(item.pairedItem).toEqual([0, 1, 2, 3].map((n) => ({ item: n })));
		expect(item.json).toMatchObject({ contacts: 4, refused: [], excluded: [], statusCode: expect.any(String) });
		expect(item.json.name).toMatch(/^Alerte canicule \[n8n [0-9a-f]{10}\]$/);
		expect(item.json.status).not.toBe('editing');
		expect(item.json.statusLabel).not.toBe('Edition');
		expect(Date.parse(item.json.stopAt as string) - Date.parse(item.json.startAt as string)).toBe(48 * 3600_000);
		expect((item.json.adjusted as IDataObject[]).map((a) => a.itemIndex)).toEqual([1, 2]);

		const [file] = sandbox.uploadedFiles();
		const parsed = parseContactFile(decodeLatin9(file.content));
		expect(parsed.map((contact) => contact.to)).toEqual(NUMBERS);
		expect(parsed.map((contact) => contact.lastName)).toEqual(['Martin', 'Dupont,0611111111', "Say 'hi'", 'Œuvre']);
		const [broadcast] = sandbox.broadcasts();
		expect(broadcast.name).toBe(item.json.name);
		expect(broadcast.text).toBe('Bonjour <#contact.prenom#>, alerte canicule : restez au frais.');
		expect(broadcast.media).toBe('SMS');
		expect(broadcast.contacts.map((contact) => contact.to)).toEqual(NUMBERS);
		expect(broadcast.contacts.map((contact) => contact.to)).not.toContain('+33611111111');
		expectNoSecret(result, PASSWORD);
	});

	it("with Contacts set to Read Fields of Each Item, reads each item's own fields: the same file as mapped by hand; an item without `to` refused by its index", async () => {
		const mapped = await create();
		const [byHand] = sandbox.uploadedFiles();
		sandbox.reset();
		const items = residents.map((resident, n) => (n === 3 ? { ...resident, reference: 'R-4', info1: 7 } : resident));
		const read = await create({ contactMapping: 'input', to: '', firstName: '', lastName: '' }, {}, items);
		expect(read.error).toBeUndefined();
		expect(read.items[0].json).toMatchObject({ contacts: 4, refused: [], adjusted: mapped.items[0].json.adjusted });
		const [file] = sandbox.uploadedFiles();
		const contacts = parseContactFile(decodeLatin9(file.content));
		expect(contacts.slice(0, 3)).toEqual(parseContactFile(decodeLatin9(byHand.content)).slice(0, 3));
		expect(contacts[3]).toMatchObject({ to: NUMBERS[3], firstName: 'Ève', reference: 'R-4', info1: '7' });

		sandbox.reset();
		const missing = await create({ contactMapping: 'input' }, {}, [residents[0], { firstName: 'Sans numéro' }], true);
		expect(missing.items.map((item) => item.json.error ?? item.json.contacts)).toEqual([
			1,
			'The item has no "to" field: with Contacts set to "Read Fields of Each Item", each item gives its number as "to" [item 1]',
		]);
		expect(missing.items[1].pairedItem).toEqual({ item: 1 });
	});

	it('sets smsLong when a contact’s value may make the text longer than one part', async () => {
		const long = residents.map((resident, n) => (n === 0 ? { ...resident, firstName: 'x'.repeat(150) } : resident));
		const result = await create({}, {}, long);
		expect(result.error).toBeUndefined();
		expect(sandbox.broadcasts()[0].media).toBe('SMSLong');
	});

	it('calls landlines too on the voice channel, the text read aloud', async () => {
		const result = await create({ channel: 'voice', scenario: '42', message: 'Alerte canicule pour {firstName}.' }, {}, [
			{ to: '01 23 45 67 89', firstName: 'Zoé' },
		]);
		expect(result.error).toBeUndefined();
		const [broadcast] = sandbox.broadcasts();
		expect([broadcast.media, broadcast.text, broadcast.contacts.map((c) => c.to)]).toEqual([
			'Vocal',
			'Alerte canicule pour <#contact.prenom#>.',
			['+33123456789'],
		]);
	});

	it('refuses bad contacts before anything is created, or reports them as error items under continue-on-fail', async () => {
		const items = [...residents, { to: '01 23 45 67 89' }, { to: '0612345601' }, { to: '06 99 99 99 99' }];
		const stopped = await create({}, {}, items);
		expect(stopped.error?.message).toMatch(/\[item 4\]$/);
		expect(sandbox.stats().calls).toBe(0);

		const result = await create({}, { excludeNumbers: '+33 6 99 99 99 99' }, items, true);
		expect(result.items).toHaveLength(3);
		expect(result.items[0].json).toMatchObject({
			contacts: 4,
			refused: [
				{ itemIndex: 4, input: '01 23 45 67 89', reason: expect.stringMatching(/fixed line/) },
				{ itemIndex: 5, input: '0612345601', reason: expect.stringMatching(/already the number of item 0/) },
			],
			excluded: [{ itemIndex: 6, input: '06 99 99 99 99', to: '+33699999999' }],
		});
		expect(result.items.slice(1).map((item) => [item.pairedItem, typeof item.json.error])).toEqual([
			[{ item: 4 }, 'string'],
			[{ item: 5 }, 'string'],
		]);
		expect(sandbox.broadcasts()).toHaveLength(1);
		expect(sandbox.broadcasts()[0].contacts).toHaveLength(4);
	});

	it('leaves the campaign in Edition when Activate is off, with the dates asked', async () => {
		const startAt = new Date(Date.now() + 3600_000).toISOString();
		const stopAt = new Date(Date.now() + 7200_000).toISOString();
		const result = await create({ activate: false }, { startAt, stopAt });
		expect(result.items[0].json).toMatchObject({ status: 'editing', statusLabel: 'Edition', startAt, stopAt, contacts: 4 });
		expect(sandbox.broadcasts().map((b) => [b.status, b.contacts.length])).toEqual([['Edition', 4]]);
	});

	it('with Skip If Already Created, a re-run of the same data reports the campaign, in Edition or running', async () => {
		const first = await create({}, { skipIfAlreadyCreated: true });
		const again = await create({}, { skipIfAlreadyCreated: true });
		expect(again.error).toBeUndefined();
		expect(again.items[0].json).toMatchObject({
			campaignId: first.items[0].json.campaignId,
			name: first.items[0].json.name,
			alreadyCreated: true,
		});
		expect(sandbox.broadcasts()).toHaveLength(1);

		const edition = await create({ activate: false, campaignName: 'Coupure d’eau' }, { skipIfAlreadyCreated: true });
		const editionAgain = await create({ activate: false, campaignName: 'Coupure d’eau' }, { skipIfAlreadyCreated: true });
		expect(editionAgain.items[0].json).toMatchObject({
			campaignId: edition.items[0].json.campaignId,
			status: 'editing',
			statusLabel: 'Edition',
			alreadyCreated: true,
		});
		expect(sandbox.broadcasts()).toHaveLength(2);

		// Without the option each run is a campaign of its own, under a name of its own.
		await create();
		await create();
		expect(new Set(sandbox.broadcasts().map((b) => b.name)).size).toBe(4);
	});
});

const LOST: FaultSpec = { kind: 'reset', afterStore: true };
const STEPS = [
	'uploadService',
	'BroadcastWS/createBroadcast',
	'BroadcastWS/importContactBroadcast',
	'BroadcastWS/getImportStatus',
	'BroadcastWS/activateBroadcast',
];
const FAULTS: Array<[string, FaultSpec]> = [
	['a lost answer', LOST],
	['a timed-out call DMC took', { kind: 'noAnswer', afterStore: true }],
	['an HTML 502 before DMC', { kind: 'html502' }],
	['an HTML 502 after DMC took it', { kind: 'html502', afterStore: true }],
	[
		'the once-a-minute error',
		{ kind: 'successFalse', errorCode: 'supervision_too_frequent', errorDetail: 'Appels trop fréquents : au plus un appel par minute' },
	],
];

describe('Campaign Create under faults: never two campaigns, never an unknown state', () => {
	it.each(FAULTS.flatMap(([label, fault]) => STEPS.map((step) => [label, step, fault] as const)))('%s on %s', async (_, step, fault) => {
		sandbox.injectFaults({ ...fault, method: step });
		const result = await create({}, { requestTimeout: 1 });
		expect(sandbox.stats().faultsApplied).toBe(1);
		expectOneCampaignAtMost(result);
		// A step DMC took whose answer was lost is found again, and the campaign completed.
		if (fault.afterStore === true) expect(result.error).toBeUndefined();
		// A read is asked again: a fault on it costs nothing.
		if (step === 'BroadcastWS/getImportStatus') expect(result.error).toBeUndefined();
		if (result.error) {
			const said = `${result.error.message} ${(result.error as NodeApiError).description ?? ''}`;
			// The error names the state: nothing created, deleted, or in Edition sending nothing.
			expect(said).toMatch(/Nothing was created|No campaign was created|was deleted|is in Edition|sends nothing/);
			for (const broadcast of sandbox.broadcasts()) expect(broadcast.status).toBe('Edition');
		}
	});

	it('an import that fails: its errDesc reported, the empty campaign deleted', async () => {
		sandbox.injectFaults({ kind: 'importFailed', errorDetail: 'Ligne 3 : format invalide' });
		const result = await create();
		expect(result.error?.message).toContain('Ligne 3 : format invalide');
		expect((result.error as NodeApiError).description).toMatch(/was deleted; nothing was sent/);
		expect(sandbox.broadcasts()).toEqual([]);
		expectNoSecret(result, PASSWORD);
	});

	it('under continue-on-fail a failed build is one error item naming the campaign', async () => {
		sandbox.injectFaults({ kind: 'importFailed', errorDetail: 'Fichier illisible' });
		const result = await create({}, {}, residents, true);
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({
			errorCode: 'IMPORT_FAILED',
			contacts: 4,
			name: expect.stringMatching(/^Alerte canicule \[n8n /),
		});
		expect(result.items[0].pairedItem).toEqual([0, 1, 2, 3].map((n) => ({ item: n })));
	});
});
