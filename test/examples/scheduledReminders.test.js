// examples/n8n-editor/scheduled-reminders.json as the schedule runs it, twice the same day: its
// Code node's list of appointments, then its SFR DMC node with that node's own parameters,
// through n8n-core against the sandbox. The second run must text nobody, as the README says.
// Plain JavaScript: it runs the Code node's code in node:vm, which the n8n lint forbids in .ts files.
const { runInNewContext } = require('node:vm');
const example = require('../../examples/n8n-editor/scheduled-reminders.json');
const { runNode } = require('../../harness');
const { startSandbox } = require('../../sandbox');
const { smsNodeOn } = require('../node/sandboxNode');
const { STRICT_TEST_MINUTE } = require('../supervisionMinute');

jest.setTimeout(30_000);

const nodeOfType = (type) => example.nodes.find((node) => node.type === type);

/** The Code node's items: its code is the example's own, run as n8n's Code node runs it (a function body). */
function appointments() {
	const items = runInNewContext(`(() => {\n${nodeOfType('n8n-nodes-base.code').parameters.jsCode}\n})()`, {});
	return items.map((item) => item.json);
}

describe('examples/n8n-editor/scheduled-reminders.json', () => {
	let sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox({ ...STRICT_TEST_MINUTE, logger: () => undefined });
	});
	afterAll(async () => sandbox?.close());

	const remind = () =>
		runNode({ ...smsNodeOn(sandbox), parameters: nodeOfType('n8n-nodes-sfr-dmc.sfrDmcSms').parameters, items: appointments() });

	it('texts each appointment once, with its ID as reference, however often the schedule runs', async () => {
		expect(appointments().map((item) => item.appointmentId)).toEqual(['RDV-2026-0412', 'RDV-2026-0413', 'RDV-2026-0414']);

		const first = await remind();
		expect(first.error).toBeUndefined();
		const stored = sandbox.messages();
		expect(stored.map(({ to, refExt, from }) => [to, refExt, from])).toEqual([
			['+33612345679', 'RDV-2026-0412', 'MAIRIE'],
			['+33699999901', 'RDV-2026-0413', 'MAIRIE'],
			['+33781234568', 'RDV-2026-0414', 'MAIRIE'],
		]);
		expect(stored[0].text).toBe('Rappel : votre rendez-vous en mairie est demain à 9 h 30. Répondez NON pour annuler.');
		expect(first.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);

		const second = await remind();
		expect(second.error).toBeUndefined();
		expect(sandbox.messages()).toHaveLength(3);
		second.items.forEach((item, n) => {
			expect(item.json.messageIds).toEqual(first.items[n].json.messageIds);
			expect(item.json.recipients).toEqual([expect.objectContaining({ alreadySent: true, messageId: String(stored[n].id) })]);
		});
	});
});
