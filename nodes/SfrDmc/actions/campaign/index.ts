import type { Operation } from '../index';
import * as create from './create.operation';
import * as deleteCampaign from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getReports from './getReports.operation';
import * as pause from './pause.operation';
import * as reschedule from './reschedule.operation';
import * as resume from './resume.operation';
import * as stop from './stop.operation';

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
	{
		option: {
			name: 'Delete',
			value: 'delete',
			action: 'Delete a campaign',
			description: 'Delete a campaign still in edition, or one that has ended',
		},
		parameters: deleteCampaign.description,
		execute: deleteCampaign.execute,
	},
	{
		option: { name: 'Get', value: 'get', action: 'Get a campaign', description: 'Get a campaign with its status and contact counts' },
		parameters: get.description,
		execute: get.execute,
	},
	{
		option: {
			name: 'Get Many',
			value: 'getMany',
			action: 'Get many campaigns',
			description: 'List the campaigns under way and those in edition',
		},
		parameters: getMany.description,
		execute: getMany.execute,
	},
	{
		option: {
			name: 'Get Reports',
			value: 'getReports',
			action: 'Get the reports of a campaign',
			description: "Get each contact's report, or a count of contacts per result",
		},
		parameters: getReports.description,
		execute: getReports.execute,
	},
	{
		option: { name: 'Pause', value: 'pause', action: 'Pause a campaign', description: 'Hold a campaign until it is resumed' },
		parameters: pause.description,
		execute: pause.execute,
	},
	{
		option: {
			name: 'Reschedule',
			value: 'reschedule',
			action: 'Reschedule a campaign',
			description: 'Change the start date, stop date or call planning of a campaign',
		},
		parameters: reschedule.description,
		execute: reschedule.execute,
	},
	{
		option: { name: 'Resume', value: 'resume', action: 'Resume a campaign', description: 'Send a paused campaign again' },
		parameters: resume.description,
		execute: resume.execute,
	},
	{
		option: {
			name: 'Stop',
			value: 'stop',
			action: 'Stop a campaign for good',
			description: 'End a campaign for good: contacts not yet reached are never sent (final)',
		},
		parameters: stop.description,
		execute: stop.execute,
	},
];
