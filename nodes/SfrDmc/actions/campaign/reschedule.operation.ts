import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ENDED_STATUSES, parseInstant } from '../../domain/campaigns';
import { InputError } from '../../domain/inputError';
import { connectBroadcasts } from '../../transport/connectDmc';
import { outputPerItem, readItems } from '../itemErrors';
import { callPlanningParameter } from './createParameters';
import { campaignIdParameter, currentCampaign, readCampaignId } from './campaignInput';

export const description: INodeProperties[] = [
	campaignIdParameter,
	{
		displayName: 'Start At',
		name: 'startAt',
		type: 'dateTime',
		default: '',
		description: 'When DMC may start sending. DMC changes a start date only while it has not passed. Empty: unchanged.',
	},
	{
		displayName: 'Stop At',
		name: 'stopAt',
		type: 'dateTime',
		default: '',
		description: 'When DMC ends the campaign; contacts not reached by then get CRA_PLANNINGEND. Empty: unchanged.',
	},
	{
		...callPlanningParameter,
		required: false,
		description:
			'The hours DMC may reach contacts in from now on. Empty: unchanged. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
];

interface Reschedule {
	campaignId: string;
	startAt?: number;
	stopAt?: number;
	callPlanning?: string;
}

/**
 * updateBroadcast (§2.3.12) with `brStart`, `brStop` and `planningId`, per item. What DMC
 * would refuse is named first: an ended campaign, a start date already passed, a stop
 * before the start. DMC's own "false" is an error too, never a silent no-op; the output is
 * the campaign as DMC has it afterwards.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const inputs = readItems(this, (itemIndex) => readReschedule(this, itemIndex));
	const client = await connectBroadcasts(this);
	const output = await outputPerItem(this, inputs, async (asked) => {
		const { campaignId } = asked;
		const before = await currentCampaign(client, campaignId);
		if (ENDED_STATUSES.includes(before.status)) {
			throw new InputError(
				`Campaign ${campaignId} is ${before.statusLabel ?? before.status} (${before.status}): an ended campaign cannot be rescheduled`,
				campaignId,
			);
		}
		const startedAt = before.startAt === null ? undefined : Date.parse(before.startAt);
		if (asked.startAt !== undefined && startedAt !== undefined && startedAt <= Date.now()) {
			throw new InputError(
				`Campaign ${campaignId} started at ${before.startAt}: DMC changes a start date only while it has not passed (change Stop At instead)`,
				campaignId,
			);
		}
		const start = asked.startAt ?? startedAt;
		const stop = asked.stopAt ?? (before.stopAt === null ? undefined : Date.parse(before.stopAt));
		if (start !== undefined && stop !== undefined && stop <= start) {
			throw new InputError(
				`Stop At (${new Date(stop).toISOString()}) must be after Start At (${new Date(start).toISOString()})`,
				campaignId,
			);
		}
		const valuesToChange: Record<string, unknown> = {};
		if (asked.startAt !== undefined) valuesToChange.brStart = asked.startAt;
		if (asked.stopAt !== undefined) valuesToChange.brStop = asked.stopAt;
		if (asked.callPlanning !== undefined) valuesToChange.planningId = Number(asked.callPlanning);
		if (!(await client.updateBroadcast(campaignId, valuesToChange))) {
			throw new InputError(
				`DMC did not reschedule campaign ${campaignId} (it answered false to ${JSON.stringify(valuesToChange)})`,
				campaignId,
			);
		}
		return [{ ...(await currentCampaign(client, campaignId)), previousStatus: before.status }];
	});
	return [output];
}

function readReschedule(context: IExecuteFunctions, itemIndex: number): Reschedule {
	const campaignId = readCampaignId(context, itemIndex);
	const startAt = parseInstant(context.getNodeParameter('startAt', itemIndex, ''), 'Start At');
	const stopAt = parseInstant(context.getNodeParameter('stopAt', itemIndex, ''), 'Stop At');
	const planning = String(context.getNodeParameter('callPlanning', itemIndex, '') ?? '').trim();
	if (planning !== '' && !/^\d{1,15}$/.test(planning)) {
		throw new InputError(`Call Planning must be chosen from the list or be a DMC ID, not ${JSON.stringify(planning)}`, planning);
	}
	if (startAt === undefined && stopAt === undefined && planning === '') {
		throw new InputError('Give a Start At, a Stop At or a Call Planning to change');
	}
	return { campaignId, startAt, stopAt, callPlanning: planning === '' ? undefined : planning };
}
