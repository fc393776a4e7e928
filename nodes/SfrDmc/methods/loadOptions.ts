import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { connectBroadcasts, connectDmc } from '../transport/connectDmc';

/** The Sender drop-down of the send operation: the account default, then each allowed sender. */
export async function getSenders(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = await connectDmc(this);
	const senders = await client.findServiceOadc();
	return [
		{ name: "Account's Default", value: '', description: 'Let DMC choose the sender' },
		...senders.map((sender) => ({ name: sender, value: sender })),
	];
}

/** The Scenario drop-down of Campaign Create: the account's scenarios for the chosen channel (findScenarii). */
export async function getScenarios(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const channel = this.getCurrentNodeParameter('channel') as string | undefined;
	const flag = channel === 'voice' ? 'isVocal' : 'isSms';
	const client = await connectBroadcasts(this);
	return (await client.findScenarii())
		.filter((scenario) => scenario[flag] === true || scenario[flag] === 'true')
		.map((scenario) => ({ name: String(scenario.scenarioName ?? scenario.scenarioId), value: String(scenario.scenarioId) }));
}

/** The Call Planning drop-down of Campaign Create: the hours a campaign may reach its contacts (PlanningWS/findPlanning). */
export async function getCallPlannings(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = await connectBroadcasts(this);
	return (await client.findPlanning()).map((planning) => ({
		name: String(planning.planningName ?? planning.planningId),
		value: String(planning.planningId),
	}));
}
