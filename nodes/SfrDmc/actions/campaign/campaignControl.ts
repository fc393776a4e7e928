import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { refusedControl, type CampaignControl } from '../../domain/campaigns';
import { InputError } from '../../domain/inputError';
import { connectBroadcasts } from '../../transport/connectDmc';
import { outputPerItem, readItems } from '../itemErrors';
import { currentCampaign, readCampaignId } from './campaignInput';

/**
 * Pause, Resume, Stop and Delete: per item, the campaign's state is read (getBroadcast), a
 * control its state does not allow is refused before DMC is asked, then the control is
 * sent (`broadcastId` as a list, §2.3.13) and the campaign read again, so the output says
 * what DMC made of it (`previousStatus`, then the campaign as it is now). A deleted
 * campaign cannot be read again: its output is the campaign as it was, `deleted: true`.
 */
export function controlExecute(control: CampaignControl) {
	return async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const inputs = readItems(this, (itemIndex) => readCampaignId(this, itemIndex));
		const client = await connectBroadcasts(this);
		const output = await outputPerItem(this, inputs, async (campaignId): Promise<IDataObject[]> => {
			const before = await currentCampaign(client, campaignId);
			const refusal = refusedControl(control, before);
			if (refusal !== null) throw new InputError(refusal, campaignId);
			await client.control(control, campaignId);
			if (control === 'drop') return [{ ...before, deleted: true, previousStatus: before.status }];
			return [{ ...(await currentCampaign(client, campaignId)), previousStatus: before.status }];
		});
		return [output];
	};
}
