import { Workflow, type INodeTypes } from 'n8n-workflow';

import { operationSelector, properties } from '../../nodes/SfrDmc/actions';
import { SfrDmcSms } from '../../nodes/SfrDmc/SfrDmcSms.node';

const nodeType = new SfrDmcSms();
const values = (operationSelector.options ?? []).map((option) => (option as { value: string }).value);

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

	it("shows each operation's parameters only while it is selected", () => {
		for (const property of properties.filter((p) => p !== operationSelector)) {
			const shownFor = property.displayOptions?.show?.operation as string[];
			expect(shownFor).toHaveLength(1);
			expect(values).toContain(shownFor[0]);
		}
		expect(nodeType.description.properties[0]).toBe(operationSelector);
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
