/**
 * The trigger as the n8n editor shows it, read through n8n-workflow's own helpers: its
 * name, the canvas subtitle (evaluated by n8n's expression engine, as the editor does),
 * the event list, and which parameters show for each event.
 */
import { NodeHelpers, Workflow, type INode, type INodeProperties, type INodePropertyOptions, type INodeTypes } from 'n8n-workflow';

import { ensureEngine } from '../../harness';
import { SfrDmcSms } from '../../nodes/SfrDmc/SfrDmcSms.node';
import { SfrDmcSmsTrigger } from '../../nodes/SfrDmc/SfrDmcSmsTrigger.node';
import { SfrDmcTrigger } from '../../nodes/SfrDmc/SfrDmcTrigger.node';

const trigger = new SfrDmcSmsTrigger();
const { description } = trigger;
const property = (name: string) => description.properties.find((candidate) => candidate.name === name) as INodeProperties;
const events = property('event').options as INodePropertyOptions[];

const nodeTypes: INodeTypes = {
	getByName: () => trigger,
	getByNameAndVersion: () => trigger,
	getKnownTypes: () => ({}),
};

function nodeWith(event: string): INode {
	return {
		id: 'trigger',
		name: 'SFR DMC Trigger',
		type: 'n8n-nodes-sfr-dmc.sfrDmcTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: { event },
	};
}

/** The subtitle as the editor computes it for a node on the canvas. */
async function subtitleOf(event: string): Promise<unknown> {
	ensureEngine();
	const node = nodeWith(event);
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	await workflow.expression.acquireIsolate();
	try {
		return workflow.expression.getSimpleParameterValue(node, description.subtitle as string, 'internal', {}, undefined, '');
	} finally {
		await workflow.expression.releaseIsolate();
	}
}

it('is "SFR DMC Trigger", typed so that the node panel pairs it with the SFR DMC node (sfrDmcSms)', () => {
	expect(description.displayName).toBe('SFR DMC Trigger');
	expect(description.defaults.name).toBe('SFR DMC Trigger');
	// The panel drops "Trigger" from a trigger's type name and looks for a node of that type.
	expect(description.name.replace(/Trigger$/, '')).toBe(new SfrDmcSms().description.name);
	expect(description.hidden).toBeUndefined();
});

it('still loads under its first type name, hidden, so saved workflows keep working', () => {
	const legacy = new SfrDmcTrigger();
	expect(legacy.description.name).toBe('sfrDmcTrigger');
	expect(legacy.description.hidden).toBe(true);
	expect(legacy.description.properties).toEqual(description.properties);
	expect(typeof legacy.poll).toBe('function');
});

it('lists its events with their capitals, in the parameter and in the node panel', () => {
	expect(events.map((event) => [event.value, event.name, event.action])).toEqual([
		['campaignFinished', 'Campaign Finished', 'Campaign Finished'],
		['campaignReport', 'Campaign Report', 'Campaign Report'],
		['deliveryStatusChanged', 'Delivery Status Changed', 'Delivery Status Changed'],
		['replyReceived', 'Reply Received', 'Reply Received'],
		['stopReceived', 'STOP Received', 'STOP Received'],
	]);
});

it.each([
	['replyReceived', 'Reply Received'],
	['stopReceived', 'STOP Received'],
	['deliveryStatusChanged', 'Delivery Status Changed'],
	['campaignReport', 'Campaign Report'],
	['campaignFinished', 'Campaign Finished'],
])('shows the event %s as "%s" under the node on the canvas', async (event, subtitle) => {
	expect(await subtitleOf(event)).toBe(subtitle);
});

describe.each(events.map((event) => event.value as string))('with %s chosen', (event) => {
	const values = NodeHelpers.getNodeParameters(description.properties, { event }, true, false, nodeWith(event), description) ?? {};
	const shown = (candidate: INodeProperties) => NodeHelpers.displayParameter(values, candidate, nodeWith(event), description, values);

	it('shows the Options block only with an option in it (no empty "No properties" block)', () => {
		const options = property('options');
		const shownOptions = (options.options as INodeProperties[]).filter(shown);
		expect(shown(options)).toBe(shownOptions.length > 0);
		expect(shown(options)).toBe(['replyReceived', 'deliveryStatusChanged'].includes(event));
	});

	it('shows the report filters for the report events only, the once-a-minute notice wherever reports are read', () => {
		const reports = ['deliveryStatusChanged', 'campaignReport'].includes(event);
		expect(['statuses', 'resultCodes'].map((name) => shown(property(name)))).toEqual([reports, reports]);
		expect(shown(property('oneMinuteNotice'))).toBe(reports || event === 'campaignFinished');
	});

	it('asks for Campaign IDs for the campaign events only', () => {
		expect(shown(property('campaignIds'))).toBe(event.startsWith('campaign'));
	});
});

it('gives the Result Codes field a placeholder that reads as an example', () => {
	expect(property('resultCodes').placeholder).toMatch(/^e\.g\. /);
});
