/**
 * examples/scheduled-campaign-from-csv.json: n8n's own nodes read examples/campaign-contacts.csv
 * (npm start runs the whole workflow when an n8n is installed); here its shape is checked
 * against our nodes, and its Create node runs through n8n-core's WorkflowExecute against the
 * sandbox on the file's contacts as Extract from File gives them: one item per line, keyed
 * by the header.
 */
import { SfrDmcApi } from '../../credentials/SfrDmcApi.credentials';
import example from '../../examples/scheduled-campaign-from-csv.json';
import { runWorkflow, type WorkflowJson } from '../../harness';
import { SfrDmcSms } from '../../nodes/SfrDmc/SfrDmcSms.node';
import type { Sandbox } from '../../sandbox';
import { ACCOUNT, quietSandbox } from '../sandbox/helpers';
import { STRICT_TEST_MINUTE } from '../supervisionMinute';
import { csvRows } from './contactsFile';
import { expectConnectedNodesOnly, expectOnlyOurParameters } from './exampleShape';

jest.setTimeout(30_000);

const N8N_NODES = ['n8n-nodes-base.manualTrigger', 'n8n-nodes-base.readWriteFile', 'n8n-nodes-base.extractFromFile', 'n8n-nodes-base.wait'];
const nodeOf = (type: string, operation?: string) =>
	example.nodes.find(
		(node) => node.type === type && (operation === undefined || (node.parameters as { operation?: string }).operation === operation),
	)!;
const CREATE = nodeOf('n8n-nodes-sfr-dmc.sfrDmcSms', 'create');
const TRIGGER = nodeOf('n8n-nodes-base.manualTrigger');
const MINUTE = 60_000;

const contactRows = () => csvRows((nodeOf('n8n-nodes-base.readWriteFile').parameters as { fileSelector: string }).fileSelector);

describe('examples/scheduled-campaign-from-csv.json', () => {
	it("uses only our nodes' parameters and n8n's file, CSV and Wait nodes, chained in order", () => {
		expectOnlyOurParameters(example, N8N_NODES);
		expectConnectedNodesOnly(example);
		const chain = [TRIGGER.name];
		for (let next = example.connections[chain[0] as keyof typeof example.connections]; next; ) {
			const [[link]] = next.main;
			chain.push(link.node);
			next = example.connections[link.node as keyof typeof example.connections];
		}
		expect(chain.map((name) => example.nodes.find((node) => node.name === name)!.type)).toEqual([
			'n8n-nodes-base.manualTrigger',
			'n8n-nodes-base.readWriteFile',
			'n8n-nodes-base.extractFromFile',
			'n8n-nodes-sfr-dmc.sfrDmcSms',
			'n8n-nodes-base.wait',
			'n8n-nodes-sfr-dmc.sfrDmcSms',
		]);
		expect(nodeOf('n8n-nodes-base.extractFromFile').parameters).toMatchObject({ operation: 'csv' });
		// The Wait ends after the start Create reports; Get Reports reads the campaign Create made.
		expect(nodeOf('n8n-nodes-base.wait').parameters).toMatchObject({
			resume: 'specificTime',
			dateTime: expect.stringContaining('$json.startAt'),
		});
		expect(nodeOf('n8n-nodes-sfr-dmc.sfrDmcSms', 'getReports').parameters).toMatchObject({
			resource: 'campaign',
			campaignId: '={{ $json.campaignId }}',
			output: 'reports',
		});
	});

	describe('its Create node, on the contacts of the file', () => {
		let sandbox: Sandbox;
		beforeAll(async () => {
			sandbox = await quietSandbox({ ...STRICT_TEST_MINUTE, importStepMs: 20, broadcastLoadingMs: 20 });
		});
		afterAll(async () => sandbox?.close());

		it('creates one campaign of every contact, scheduled a minute ahead', async () => {
			const rows = contactRows();
			const workflow: WorkflowJson = {
				nodes: [TRIGGER, CREATE],
				connections: { [TRIGGER.name]: { main: [[{ node: CREATE.name, type: 'main', index: 0 }]] } },
				pinData: { [TRIGGER.name]: rows },
			};
			const before = Date.now();
			const result = await runWorkflow(workflow, {
				nodeTypes: { 'n8n-nodes-sfr-dmc.sfrDmcSms': new SfrDmcSms() },
				credentialTypes: [new SfrDmcApi()],
				credentials: { sfrDmcApi: { ...ACCOUNT, baseUrl: sandbox.baseUrl } },
			});
			expect(result.errors).toEqual([]);
			const [created] = result.items[CREATE.name];
			expect(created.json).toMatchObject({ contacts: rows.length, refused: [], excluded: [] });
			const startAt = Date.parse(created.json.startAt as string);
			expect(startAt).toBeGreaterThanOrEqual(before + MINUTE - 1000);
			expect(startAt).toBeLessThanOrEqual(Date.now() + MINUTE);

			const [campaign] = sandbox.broadcasts();
			expect(sandbox.broadcasts()).toHaveLength(1);
			expect(String(campaign.id)).toBe(created.json.campaignId);
			expect(campaign).toMatchObject({ startDate: startAt, from: 'MAIRIE' });
			// Activated, and waiting for its start: nobody is contacted before it.
			expect(['Chargement en cours', 'Appels suspendus']).toContain(campaign.status);
			expect(campaign.contacts.filter((contact) => contact.callDate !== null)).toEqual([]);
			expect(campaign.text).toContain('<#contact.prenom#>');
			expect(campaign.contacts.map(({ to, firstName, externalReference }) => [to, firstName, externalReference])).toEqual([
				['+33612345678', 'Anne', 'RES-0001'],
				['+33640000001', 'Paul', 'RES-0002'],
				['+33699999903', 'Léa', 'RES-0003'],
				['+33699999901', 'Marc', 'RES-0004'],
				['+590690123456', 'Inès', 'RES-0005'],
			]);
		});
	});
});
