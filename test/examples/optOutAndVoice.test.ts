/**
 * The voice example and the editor examples: the runnable one through n8n-core's WorkflowExecute against
 * the sandbox, the editor ones (they need n8n's own nodes) checked against our nodes'
 * descriptions, so that they all stay importable as the nodes change.
 */
import { SfrDmcApi } from '../../credentials/SfrDmcApi.credentials';
import voiceExample from '../../examples/heat-wave-voice-alert.json';
import reminderExample from '../../examples/n8n-editor/scheduled-reminders.json';
import statusExample from '../../examples/n8n-editor/send-wait-check-branch.json';
import optOutExample from '../../examples/n8n-editor/stop-opt-out.json';
import { runWorkflow } from '../../harness';
import { SfrDmcSms } from '../../nodes/SfrDmc/SfrDmcSms.node';
import type { Sandbox } from '../../sandbox';
import { ACCOUNT, quietSandbox } from '../sandbox/helpers';
import { STRICT_TEST_MINUTE } from '../supervisionMinute';
import { expectConnectedNodesOnly, expectOnlyOurParameters, type ExampleJson } from './exampleShape';

jest.setTimeout(30_000);

describe('examples/heat-wave-voice-alert.json', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await quietSandbox(STRICT_TEST_MINUTE);
	});
	afterAll(async () => sandbox?.close());

	it('calls the landlines by voice and texts the mobiles, leaving out the excluded number in both', async () => {
		const result = await runWorkflow(voiceExample, {
			nodeTypes: { 'n8n-nodes-sfr-dmc.sfrDmcSms': new SfrDmcSms() },
			credentialTypes: [new SfrDmcApi()],
			credentials: { sfrDmcApi: { ...ACCOUNT, baseUrl: sandbox.baseUrl } },
		});
		expect(result.errors).toEqual([]);
		expect(sandbox.messages().map(({ to, media, ttsVoice }) => [to, media, ttsVoice])).toEqual([
			['+33123456789', 'Vocal', 'claire08s'],
			['+590590123456', 'Vocal', 'claire08s'],
			['+33612345679', 'SMS', null],
		]);
		const [calls] = result.items['Call the landline register'];
		expect(calls.json.recipients).toContainEqual({ input: '06 12 34 56 22', to: '+33612345622', messageId: null, excluded: true });
		expect(sandbox.messages()[2].text).toMatch(/\nSTOP au <#shortcode#>$/);
		const [texts] = result.items['Text the mobile register'];
		expect(texts.json.recipients).toContainEqual({ input: '06.12.34.56.22', to: '+33612345622', messageId: null, excluded: true });
	});
});

const N8N_BASE_NODES = ['manualTrigger', 'scheduleTrigger', 'code', 'wait', 'if', 'noOp'].map((name) => `n8n-nodes-base.${name}`);
const editorExamples: Array<[string, ExampleJson]> = [
	['stop-opt-out.json', optOutExample],
	['send-wait-check-branch.json', statusExample],
	['scheduled-reminders.json', reminderExample],
];

describe.each(editorExamples)('examples/n8n-editor/%s', (_file, example) => {
	it('uses only parameters, operations, events and options our nodes have', () => {
		expectOnlyOurParameters(example, N8N_BASE_NODES);
	});

	it('connects only nodes it has', () => {
		expectConnectedNodesOnly(example);
	});
});

describe('the editor examples, each for what it shows', () => {
	it('stop-opt-out excludes what the trigger stored', () => {
		const send = optOutExample.nodes.find((node) => node.name === 'Announce the market');
		expect(send?.parameters).toMatchObject({
			operation: 'send',
			options: { excludeNumbers: "={{ $('Read the opt-out list').first().json.optedOut }}", stopNotice: true },
		});
	});

	it('scheduled-reminders starts on a schedule and sends with the appointment ID as reference and Skip If Already Sent', () => {
		expect(reminderExample.nodes[0].type).toBe('n8n-nodes-base.scheduleTrigger');
		const send = reminderExample.nodes.find((node) => node.type === 'n8n-nodes-sfr-dmc.sfrDmcSms');
		expect(send?.parameters).toMatchObject({
			operation: 'send',
			to: '={{ $json.phone }}',
			options: { reference: '={{ $json.appointmentId }}', skipAlreadySent: true },
		});
	});
});
