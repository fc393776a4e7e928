import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { properties, subtitle } from './actions';
import { router } from './actions/router';
import { loadOptions } from './methods';

export class SfrDmcSms implements INodeType {
	description: INodeTypeDescription = {
		// "SFR DMC" and "SFR DMC Trigger": n8n lists a node and its trigger together only
		// under matching names. The internal name stays, so saved workflows keep working.
		displayName: 'SFR DMC',
		name: 'sfrDmcSms',
		icon: { light: 'file:sfrDmc.svg', dark: 'file:sfrDmc.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle,
		description: 'Send SMS through SFR Business DMC and follow their delivery, replies and STOPs',
		defaults: { name: 'SFR DMC' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'sfrDmcApi', required: true }],
		properties,
	};

	methods = { loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
