import { e164OrRaw, toReply } from '../../nodes/SfrDmc/domain/deliveryReports';

describe('e164OrRaw', () => {
	it('shows any valid number in E.164, landlines (called by voice messages) included', () => {
		expect(e164OrRaw('33123456789')).toBe('+33123456789');
		expect(e164OrRaw('0612345678')).toBe('+33612345678');
		expect(e164OrRaw('+590590123456')).toBe('+590590123456');
	});

	it('keeps what does not read as a number as DMC gave it', () => {
		expect(e164OrRaw('SFR')).toBe('SFR');
		expect(e164OrRaw('12')).toBe('12');
	});
});

describe('toReply', () => {
	const record = { contactId: 88, callAdress: '0612345678', callResponse: 'STOP', callDate: 1_750_000_000_000 };

	it("gives a campaign contact's reply its campaignId, DMC's broadcastId", () => {
		expect(toReply({ ...record, broadcastId: 61904 })).toEqual({
			from: '+33612345678',
			text: 'STOP',
			receivedAt: new Date(1_750_000_000_000).toISOString(),
			isStop: true,
			messageId: '88',
			campaignId: '61904',
		});
		expect(toReply({ ...record, broadcastId: '301' }).campaignId).toBe('301');
	});

	it('gives none when DMC gives no campaign (a unit message), or not a campaign id', () => {
		for (const broadcastId of [undefined, null, '', 0, '0', -3, 'abc'])
			expect({ broadcastId, reply: toReply({ ...record, broadcastId }) }).not.toHaveProperty('reply.campaignId');
	});
});
