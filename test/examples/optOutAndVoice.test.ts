/**
 * The voice and opt-out examples: the runnable one through n8n-core's WorkflowExecute against
 * the sandbox, the editor one (it needs n8n's Code node) checked against our nodes'
 * descriptions, so that both stay importable as the nodes change.
 */
import { SfrDmcApi } from '../../credentials/SfrDmcApi.credentials';
import voiceExample from '../../examples/heat-wave-voice-alert.json';
import optOutExample from '../../examples/n8n-editor/stop-opt-out.json';
import { runWorkflow } from '../../harness';
import { SfrDmcSms } from '../../nodes/SfrDmc/SfrDmcSms.node';
import type { Sandbox } from '../../sandbox';
import { ACCOUNT, quietSandbox } from '../sandbox/helpers';
import { STRICT_TEST_MINUTE } from '../supervisionMinute';
import { expectConnectedNodesOnly, expectOnlyOurParameters } from './exampleShape';

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

describe('examples/n8n-editor/stop-opt-out.json', () => {
	it('uses only parameters, operations, events and options our nodes have', () => {
		expectOnlyOurParameters(optOutExample, ['n8n-nodes-base.manualTrigger', 'n8n-nodes-base.code']);
	});

	it('connects only nodes it has, and excludes what the trigger stored', () => {
		expectConnectedNodesOnly(optOutExample);
		const send = optOutExample.nodes.find((node) => node.name === 'Announce the market');
		expect(send?.parameters).toMatchObject({
			operation: 'send',
			options: { excludeNumbers: "={{ $('Read the opt-out list').first().json.optedOut }}", stopNotice: true },
		});
	});
});
