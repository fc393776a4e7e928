/** What the editor shows for Send Voice Message, and the options Send and it share. */
import type { INodeProperties } from 'n8n-workflow';

import { operationSelectors, properties } from '../../nodes/SfrDmc/actions';

const shownFor = (operation: string) => properties.filter((property) => property.displayOptions?.show?.operation?.includes(operation));
const optionsOf = (operation: string) =>
	((shownFor(operation).find((property) => property.name === 'options')?.options ?? []) as INodeProperties[]).map(
		(option) => option.displayName,
	);

describe('Send Voice Message in the editor', () => {
	it('is an operation of its own, with To, Message and a Voice of the guide (claire08s by default)', () => {
		expect(operationSelectors.flatMap((selector) => selector.options)).toContainEqual(
			expect.objectContaining({ name: 'Send Voice Message', value: 'sendVoice' }),
		);
		expect(shownFor('sendVoice').map((property) => property.name)).toEqual(['to', 'message', 'voice', 'options']);
		const voice = shownFor('sendVoice').find((property) => property.name === 'voice');
		expect(voice?.default).toBe('claire08s');
		expect(voice?.options?.map((option) => ('value' in option ? option.value : undefined))).toEqual(['claire08s', 'laura8k']);
	});

	it('has the shared options, in alphabetical order, and Send adds its own among them', () => {
		expect(optionsOf('sendVoice')).toEqual([
			'Allowed Countries',
			'Default Country',
			'Exclude Numbers',
			'Look-Up Time When in Doubt',
			'Reference',
			'Request Timeout',
			'Skip If Already Sent',
			'Validity (Minutes)',
		]);
		expect(optionsOf('send')).toEqual([
			'Add STOP Mention',
			'Allowed Countries',
			'Default Country',
			'Encoding',
			'Exclude Numbers',
			'Look-Up Time When in Doubt',
			'Max Parts',
			'Reference',
			'Request Timeout',
			'Skip If Already Sent',
			'Validity (Minutes)',
		]);
	});

	it('offers Add STOP Mention off by default', () => {
		const options = shownFor('send').find((property) => property.name === 'options')?.options as INodeProperties[];
		expect(options.find((option) => option.name === 'stopNotice')).toMatchObject({ type: 'boolean', default: false });
	});
});
