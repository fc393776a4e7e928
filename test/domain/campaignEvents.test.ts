import { campaignReportEvents, campaignsToRead, finishedCampaignEvents, watchMarks } from '../../nodes/SfrDmc/domain/campaignEvents';
import { toCampaign } from '../../nodes/SfrDmc/domain/campaigns';
import { advanceCursor, startCursor } from '../../nodes/SfrDmc/domain/pollCursor';

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

it('reads the campaigns under way, and an ended one while the cursor still holds its watch mark', () => {
	const listed = [campaign(1, 'Appel/Envoi en cours'), campaign(2, 'Terminée'), campaign(3, 'Edition'), campaign(4, 'Arrêtée')];
	const start = startCursor('campaignReport', NOW - 60_000);
	const { next } = advanceCursor(start, watchMarks(['1', '2'], NOW - 60_000), NOW - 60_000);
	expect(campaignsToRead(listed, next)).toEqual({ read: ['1', '2'], underWay: ['1'] });
	expect(campaignsToRead(listed, undefined)).toEqual({ read: ['1'], underWay: ['1'] });
	// Ten minutes on, the ended campaign's mark has left the cursor's overlap: it is read no more.
	const later = advanceCursor(next, watchMarks(['1'], NOW + 10 * 60_000), NOW + 10 * 60_000).next;
	expect(campaignsToRead(listed, later).read).toEqual(['1']);
});

it('lists ended campaigns, among the ids given when there are some', () => {
	const listed = [campaign(1, 'Appel/Envoi en cours'), campaign(2, 'Terminée'), campaign(4, 'Arrêtée'), campaign(5, 'Echec')];
	expect(finishedCampaignEvents(listed, [], NOW).map((event) => event.value.campaignId)).toEqual(['2', '4', '5']);
	expect(finishedCampaignEvents(listed, ['4', '1'], NOW).map((event) => event.key)).toEqual(['["finished","4"]']);
});
