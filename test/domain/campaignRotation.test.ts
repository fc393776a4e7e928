import { afterListing, afterRead, rotationFor, turnOf, type CampaignRotation } from '../../nodes/SfrDmc/domain/campaignRotation';
import { toCampaign } from '../../nodes/SfrDmc/domain/campaigns';

const NOW = 1_750_000_000_000;
const campaign = (broadcastId: number, status: string) => toCampaign({ broadcastId, status });
const turns = (rotation: CampaignRotation | undefined) => {
	const turn = turnOf(rotation);
	return turn.kind === 'list' ? 'list' : turn.campaign.campaignId;
};
/** A read that found nothing new. */
const quiet = (rotation: CampaignRotation) => afterRead(rotation, { from: { since: NOW }, pending: false });

describe('without Campaign IDs', () => {
	it('lists first (the trigger starts from now: campaigns under way read from now, ended ones never), then reads each in turn, then lists again', () => {
		expect(turns(rotationFor(undefined, [], NOW))).toBe('list');
		const listed = [campaign(1, 'Appel/Envoi en cours'), campaign(2, 'Terminée'), campaign(3, 'Edition'), campaign(4, 'Appels suspendus')];
		let rotation = afterListing(undefined, listed, NOW);
		expect(rotation).toEqual({
			watched: [
				{ campaignId: '1', from: { since: NOW } },
				{ campaignId: '4', from: { since: NOW } },
			],
			next: 0,
			listed: ['1', '2', '4'],
		});
		const order: string[] = [];
		for (let poll = 0; poll < 6; poll++) {
			order.push(turns(rotation));
			rotation = turnOf(rotation).kind === 'list' ? afterListing(rotation, listed, NOW) : quiet(rotation);
		}
		expect(order).toEqual(['1', '4', 'list', '1', '4', 'list']);
	});

	it('reads a campaign new since the last listing from its first report, even one that ended between two listings, and drops an ended one once a read leaves nothing pending', () => {
		let rotation = afterListing(undefined, [campaign(1, 'Appel/Envoi en cours')], NOW);
		rotation = afterListing(
			rotation,
			[campaign(1, 'Terminée'), campaign(5, 'Terminée'), campaign(6, 'Appel/Envoi en cours')],
			NOW + 60_000,
		);
		expect(rotation.watched).toEqual([
			{ campaignId: '1', from: { since: NOW }, ended: true },
			{ campaignId: '5', from: { since: 0 }, ended: true },
			{ campaignId: '6', from: { since: 0 } },
		]);
		// Campaign 1's last read found a full page: it stays until a read leaves nothing pending.
		rotation = afterRead(rotation, { from: { since: NOW + 1, contactId: '50' }, readAll: true, pending: true });
		expect(rotation.next).toBe(1);
		rotation = afterRead(rotation, { from: { since: NOW + 2, contactId: '3' }, pending: false });
		expect(rotation.watched.map((watched) => watched.campaignId)).toEqual(['1', '6']);
		expect(turns(rotation)).toBe('6');
		rotation = afterRead(rotation, { from: { since: NOW + 3, contactId: '9' }, pending: false });
		expect(turns(rotation)).toBe('list');
		rotation = afterListing(rotation, [campaign(1, 'Terminée'), campaign(5, 'Terminée'), campaign(6, 'Appel/Envoi en cours')], NOW);
		expect(rotation.watched).toEqual([
			{ campaignId: '1', from: { since: NOW + 1, contactId: '50' }, readAll: true, ended: true },
			{ campaignId: '6', from: { since: NOW + 3, contactId: '9' } },
		]);
		// A campaign no longer listed (deleted) is dropped.
		expect(afterListing(rotation, [campaign(1, 'Terminée')], NOW).watched.map((watched) => watched.campaignId)).toEqual(['1']);
	});

	it('keeps the rotation as stored (plain JSON) and refuses a damaged one', () => {
		const rotation = afterListing(undefined, [campaign(1, 'Appel/Envoi en cours')], NOW);
		expect(rotationFor(JSON.parse(JSON.stringify(rotation)), [], NOW)).toEqual(rotation);
		expect(rotationFor({ ...rotation, watched: [{ campaignId: 1 }] }, [], NOW)).toBeUndefined();
		expect(rotationFor({ ...rotation, next: -1 }, [], NOW)).toBeUndefined();
		expect(rotationFor('soon', [], NOW)).toBeUndefined();
	});
});

describe('with Campaign IDs', () => {
	it('reads the campaigns given in turn, never lists, follows a change of the list', () => {
		let rotation = rotationFor(undefined, ['7', '8', '9'], NOW) as CampaignRotation;
		expect(rotation).toEqual({
			watched: ['7', '8', '9'].map((campaignId) => ({ campaignId, from: { since: NOW } })),
			next: 0,
			listed: null,
		});
		const order: string[] = [];
		for (let poll = 0; poll < 4; poll++) {
			order.push(turns(rotation));
			rotation = afterRead(rotation, { from: { since: NOW + poll, contactId: String(poll) }, pending: false });
		}
		expect(order).toEqual(['7', '8', '9', '7']);
		const changed = rotationFor(rotation, ['9', '10'], NOW + 5) as CampaignRotation;
		expect(changed.watched).toEqual([
			{ campaignId: '9', from: { since: NOW + 2, contactId: '2' } },
			{ campaignId: '10', from: { since: NOW + 5 } },
		]);
		expect(turns(changed)).toBe('10');
		// Back to every campaign: a listing first.
		expect(rotationFor(rotation, [], NOW)).toBeUndefined();
	});
});
