import type { INodeTypeDescription } from 'n8n-workflow';

import { SfrDmcSmsTrigger } from './SfrDmcSmsTrigger.node';
import type { TriggerClock } from './trigger/poll';

/**
 * The polling trigger under its first type name, `sfrDmcTrigger`, kept so that workflows
 * saved with it still load and poll. Hidden from the node panel: n8n's panel pairs a
 * trigger with its node by type name (`sfrDmcSmsTrigger` with `sfrDmcSms`), which this name
 * could never do.
 */
export class SfrDmcTrigger extends SfrDmcSmsTrigger {
	constructor(clock?: TriggerClock) {
		super(clock);
		const description: INodeTypeDescription = { ...this.description, name: 'sfrDmcTrigger', hidden: true };
		this.description = description;
	}
}
