import { campaignReportEvents, finishedCampaignEvents } from '../../nodes/SfrDmc/domain/campaignEvents';
import { toCampaign } from '../../nodes/SfrDmc/domain/campaigns';

const NOW = 1_750_000_000_000;
const campaign = (broadcastId: number, status: string) => toCampaign({ broadcastId, status });

it('keys final reports by campaign, contact and status; RUNNING ones are no event', () => {
	const events = campaignReportEvents(
		[
			{ broadcastId: 7, contactId: 1, status: 'DONE', statusLastChange: NOW - 10 },
			{ broadcastId: 7, contactId: 2, status: 'RUNNING', statusLastChange: NOW - 5 },
			{ broadcastId: 7, contactId: 3, status: 'FAILED' },
		],
		NOW,
	);
	expect(events.map((event) => [event.key, event.time])).toEqual([
		['["report","7","1","DONE"]', NOW - 10],
		['["report","7","3","FAILED"]', NOW],
	]);
});

it('lists ended campaigns, among the ids given when there are some', () => {
	const listed = [campaign(1, 'Appel/Envoi en cours'), campaign(2, 'Terminée'), campaign(4, 'Arrêtée'), campaign(5, 'Echec')];
	expect(finishedCampaignEvents(listed, [], NOW).map((event) => event.value.campaignId)).toEqual(['2', '4', '5']);
	expect(finishedCampaignEvents(listed, ['4', '1'], NOW).map((event) => event.key)).toEqual(['["finished","4"]']);
});
