import { e164OrRaw } from '../../nodes/SfrDmc/domain/deliveryReports';

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
