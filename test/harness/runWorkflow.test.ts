/**
 * runWorkflow: the example workflow (examples/citizen-request-sms.json) executed by
 * n8n-core's WorkflowExecute from its Manual Trigger, the SFR DMC SMS node sending to a
 * local DMC sandbox. Assertions are on what the sandbox received.
 */
import {
	Node,
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { SfrDmcApi } from '../../credentials/SfrDmcApi.credentials';
import { SfrDmcSms } from '../../nodes/SfrDmc/SfrDmcSms.node';
import example from '../../examples/citizen-request-sms.json';
import { MANUAL_TRIGGER_TYPE, manualTriggerNodeType, runWorkflow, type RunWorkflowOptions, type WorkflowJson } from '../../harness';
import type { Sandbox } from '../../sandbox';
import { ACCOUNT, quietSandbox } from '../sandbox/helpers';
import { STRICT_TEST_MINUTE } from '../supervisionMinute';

jest.setTimeout(30_000);

const TRIGGER = "When clicking 'Execute workflow'";
const CONFIRM = "Confirm to the citizen's household";
const AGENT = 'Tell the agent';
const E164 = /^\+[1-9]\d{6,14}$/;

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await quietSandbox(STRICT_TEST_MINUTE);
});
afterAll(async () => {
	await sandbox?.close();
});
beforeEach(() => sandbox.reset());

function options(overrides: Partial<RunWorkflowOptions> = {}): RunWorkflowOptions {
	return {
		nodeTypes: { 'n8n-nodes-sfr-dmc.sfrDmcSms': new SfrDmcSms() },
		credentialTypes: [new SfrDmcApi()],
		credentials: { sfrDmcApi: { ...ACCOUNT, baseUrl: sandbox.baseUrl } },
		...overrides,
	};
}

function copyOfExample(): WorkflowJson {
	return structuredClone(example) as WorkflowJson;
}

describe('runWorkflow with the example workflow', () => {
	it('runs trigger -> SMS -> SMS and the sandbox receives E.164, deduplicated recipients', async () => {
		const trigger = jest.spyOn(manualTriggerNodeType, 'trigger');
		const result = await runWorkflow(example, options());

		expect(result.errors).toEqual([]);
		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.executedNodes).toEqual([TRIGGER, CONFIRM, AGENT]);
		// The Manual Trigger stand-in emits one empty item, as n8n's does in a manual run.
		expect(trigger).toHaveBeenCalledTimes(1);
		trigger.mockRestore();
		expect(result.items[TRIGGER]).toEqual([{ json: {}, pairedItem: { item: 0 } }]);

		const received = sandbox.messages();
		expect(received).toHaveLength(4);
		for (const message of received) expect(message.to).toMatch(E164);

		const household = received.filter((message) => message.refExt === 'REQ-2026-1142');
		// "06 12 34 56 78" and "+33 6 12 34 56 78" are one phone: sent once.
		expect(household.map((message) => message.to)).toEqual(['+33612345678', '+590690001122', '+33699999903']);
		expect(new Set(received.map((message) => message.to)).size).toBe(received.length);
		for (const message of household) {
			expect(message).toMatchObject({
				from: 'MAIRIE',
				media: 'SMS',
				timeout: 1440,
				text: 'Bonjour, votre demande n°2026-1142 est enregistrée. La mairie vous recontactera sous 48 h.',
			});
		}

		// The first node's output item says what was sent, with the ids DMC handed out.
		const [confirmation] = result.items[CONFIRM];
		expect(confirmation.json).toMatchObject({
			reference: 'REQ-2026-1142',
			media: 'SMS',
			parts: 1,
			recipients: [
				{ input: '06 12 34 56 78', to: '+33612345678' },
				{ input: '0690 00 11 22', to: '+590690001122' },
				{ input: '+33 6 99 99 99 03', to: '+33699999903' },
			],
		});
		expect((confirmation.json.messageIds as unknown[]).map(String)).toEqual(household.map((m) => String(m.id)));

		// The second node's message is built from the first node's output by n8n's expressions.
		const agent = received.filter((message) => message.refExt !== 'REQ-2026-1142');
		expect(agent).toHaveLength(1);
		expect(agent[0]).toMatchObject({
			to: '+33781234567',
			from: null,
			// No reference option: the node makes one from n8n's execution id and the item index.
			refExt: expect.stringMatching(/^n8n-engine-workflow-\d+-0$/),
			text: '3 SMS sent for REQ-2026-1142: +33612345678, +590690001122, +33699999903',
		});
		expect(result.items[AGENT]).toHaveLength(1);
		expect(result.items[AGENT][0].json.messageIds).toEqual([String(agent[0].id)]);
	});

	it('resolves every credential reference of a type to the values given for that type', async () => {
		const workflow = copyOfExample();
		workflow.nodes[2].credentials = { sfrDmcApi: { id: 'another-id', name: 'Another name' } };
		const result = await runWorkflow(workflow, options());
		expect(result.status).toBe('success');
		expect(sandbox.messages()).toHaveLength(4);
		expect(sandbox.stats().authFailures).toBe(0);
	});

	it('uses pinned data as n8n does in a manual run: a pinned node does not execute', async () => {
		const workflow = copyOfExample();
		workflow.pinData = {
			[CONFIRM]: [
				{ json: { messageIds: ['1', '2'], reference: 'PINNED-1', recipients: [{ to: '+33600000001' }, { to: '+33600000002' }] } },
			],
		};
		const result = await runWorkflow(workflow, options());
		expect(result.status).toBe('success');
		expect(sandbox.messages().map((message) => [message.to, message.text])).toEqual([
			['+33781234567', '2 SMS sent for PINNED-1: +33600000001, +33600000002'],
		]);
	});

	it('stops at a failing node and returns the error the node threw', async () => {
		const result = await runWorkflow(
			example,
			options({ credentials: { sfrDmcApi: { ...ACCOUNT, servicePassword: 'Wrong-Pa55word!', baseUrl: sandbox.baseUrl } } }),
		);
		expect(result.status).toBe('error');
		expect(result.executedNodes).toEqual([TRIGGER, CONFIRM]);
		expect(result.errors).toHaveLength(1);
		expect(result.errors[0].node).toBe(CONFIRM);
		expect(result.errors[0].error).toBeInstanceOf(NodeApiError);
		expect(result.error).toBe(result.errors[0].error);
		expect(JSON.stringify(result.runData)).not.toContain('Wrong-Pa55word!');
		expect(result.error?.message).toMatch(/authentication_failed|login|authenticat/i);
		expect(sandbox.messages()).toEqual([]);
	});

	it('fails the node whose credential has no values, as n8n does for a missing credential', async () => {
		const result = await runWorkflow(example, options({ credentials: {} }));
		expect(result.status).toBe('error');
		expect(result.errors.map((error) => error.node)).toEqual([CONFIRM]);
		expect(result.errors[0].message).toMatch(/sfrDmcSandbox.*does not exist for type "sfrDmcApi"/);
		expect(sandbox.messages()).toEqual([]);
	});

	it('refuses a workflow with a node type it does not know', async () => {
		const workflow = copyOfExample();
		workflow.nodes[2].type = 'n8n-nodes-base.slack';
		await expect(runWorkflow(workflow, options())).rejects.toThrow(/"Tell the agent" has type "n8n-nodes-base.slack"/);
		expect(sandbox.messages()).toEqual([]);
	});

	it('starts from the node given as startNode', async () => {
		const workflow = copyOfExample();
		const result = await runWorkflow(workflow, options({ startNode: TRIGGER }));
		expect(result.executedNodes[0]).toBe(TRIGGER);
		expect(workflow.nodes[0].type).toBe(MANUAL_TRIGGER_TYPE);
		await expect(runWorkflow(workflow, options({ startNode: 'Nope' }))).rejects.toThrow(/no node named "Nope"/);
	});
});

/**
 * A node written as a class of n8n-workflow's `Node` (n8n's newer style, the one of its Wait
 * node): n8n-core calls `execute(context)` on the node itself.
 */
class Tagger extends Node {
	description: INodeTypeDescription = {
		displayName: 'Tagger',
		name: 'tagger',
		group: ['transform'],
		version: 1,
		description: 'Adds a tag, or fails on an item asking it to',
		defaults: { name: 'Tagger' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		properties: [],
	};

	async execute(context: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = context.getInputData();
		if (items.some((item) => item.json.fail === true)) throw new NodeOperationError(context.getNode(), 'asked to fail');
		return [items.map((item, index) => ({ json: { ...item.json, tag: context.getNode().name }, pairedItem: { item: index } }))];
	}
}

/** n8n's loader takes node classes as they are; n8n-workflow's INodeType does not describe them. */
const tagger = () => new Tagger() as unknown as INodeType;

describe('runWorkflow with a node written as a class', () => {
	const workflow = (pinned: IDataObject): WorkflowJson => ({
		nodes: [
			{ name: TRIGGER, type: MANUAL_TRIGGER_TYPE, typeVersion: 1, parameters: {} },
			{ name: 'Tag it', type: 'test.tagger', typeVersion: 1, parameters: {} },
		],
		connections: { [TRIGGER]: { main: [[{ node: 'Tag it', type: 'main', index: 0 }]] } },
		pinData: { [TRIGGER]: [pinned] },
	});

	it('hands it the context, as n8n-core does', async () => {
		const result = await runWorkflow(workflow({ n: 1 }), { nodeTypes: { 'test.tagger': tagger() } });
		expect(result.errors).toEqual([]);
		expect(result.items['Tag it'].map((item) => item.json)).toEqual([{ n: 1, tag: 'Tag it' }]);
	});

	it('reports the error it throws under its own name', async () => {
		const result = await runWorkflow(workflow({ fail: true }), { nodeTypes: { 'test.tagger': tagger() } });
		expect(result.status).toBe('error');
		expect(result.errors.map((error) => [error.node, error.message])).toEqual([['Tag it', 'asked to fail']]);
		expect(result.errors[0].error).toBeInstanceOf(NodeOperationError);
	});
});
