import type { Operation } from '../index';
import * as create from './create.operation';

/** The Campaign resource's operations, as the editor lists them: adding one is adding it here. */
export const campaignOperations: Operation[] = [
	{
		option: {
			name: 'Create',
			value: 'create',
			action: 'Create a campaign',
			description: 'Create a campaign that DMC sends to every input item, one contact per item',
		},
		parameters: create.description,
		execute: create.execute,
	},
];
