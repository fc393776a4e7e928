import { Workflow, type INodeTypes } from 'n8n-workflow';

import { operationSelectors, properties, resourceSelector } from '../../nodes/SfrDmc/actions';
import { SfrDmcSms } from '../../nodes/SfrDmc/SfrDmcSms.node';

const nodeType = new SfrDmcSms();
const messageSelector = operationSelectors.find((selector) => selector.displayOptions?.show?.resource?.[0] === 'message')!;
const values = (messageSelector.options ?? []).map((option) => (option as { value: string }).value);

/** The canvas subtitle as n8n's editor works it out for a node set to `operation`. */
function subtitleFor(operation: string): unknown {
	const node = {
		id: '1',
		name: 'SFR DMC',
		type: 'sfrDmcSms',
		typeVersion: 1,
		position: [0, 0] as [number, number],
		parameters: { operation },
	};
	const nodeTypes = { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) } as unknown as INodeTypes;
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return workflow.expression.getSimpleParameterValue(node, nodeType.description.subtitle as string, 'internal', {});
}

describe('the list of operations', () => {
	it('names the node as n8n groups it with its trigger, keeping the internal name', () => {
		expect(nodeType.description).toMatchObject({ displayName: 'SFR DMC', name: 'sfrDmcSms', defaults: { name: 'SFR DMC' } });
	});

	it("shows each operation's parameters only while its resource and it are selected", () => {
		const selectors: unknown[] = [resourceSelector, ...operationSelectors];
		for (const property of properties.filter((p) => !selectors.includes(p))) {
			const { resource, operation } = property.displayOptions?.show ?? {};
			expect(resource).toHaveLength(1);
			expect(operation).toHaveLength(1);
			const selector = operationSelectors.find((candidate) => candidate.displayOptions?.show?.resource?.[0] === resource?.[0]);
			expect(selector?.options?.map((option) => (option as { value: string }).value)).toContain(operation?.[0]);
		}
		expect(nodeType.description.properties.slice(0, 3)).toEqual(selectors);
	});

	it('keeps saved workflows on their message operations: Message is the default resource, Send its default operation', () => {
		expect(resourceSelector).toMatchObject({ name: 'resource', default: 'message' });
		expect(messageSelector).toMatchObject({ name: 'operation', default: 'send', displayOptions: { show: { resource: ['message'] } } });
	});

	it.each([
		['send', 'Send'],
		['getStatus', 'Get Status'],
		['getReplies', 'Get Replies'],
		['listSenders', 'List Senders'],
		['cancel', 'Cancel'],
	])('subtitles %s as "%s"', (operation, subtitle) => {
		expect(values).toContain(operation);
		expect(subtitleFor(operation)).toBe(subtitle);
	});

	it('gives Get Status placeholders that read as examples, not as values', () => {
		const placeholders = properties.filter((p) => ['messageIds', 'references'].includes(p.name)).map((p) => p.placeholder);
		// Cancel takes the same fields as Get Status.
		expect(placeholders).toEqual(['e.g. 123456789, 123456790', 'e.g. REQ-42, REQ-43', 'e.g. 123456789, 123456790', 'e.g. REQ-42, REQ-43']);
	});
});
