import { validateSender } from '../../nodes/SfrDmc/domain/sender';

describe('validateSender', () => {
	it.each([[''], ['   '], [undefined], [null]])('treats %p as the account default', (value) => {
		expect(validateSender(value)).toBeUndefined();
	});

	it.each([['MAIRIE'], ['Mairie75'], ['SFR'], ['ABCDEFGHIJK'], [' Lyon ']])('accepts %j', (value) => {
		expect(validateSender(value)).toBe(value.trim());
	});

	it.each([
		['ABCDEFGHIJKL', /"ABCDEFGHIJKL" has 12 characters; at most 11/],
		['Mairie Lyon', /only letters A-Z and digits/],
		['Mairie-Lyon', /only letters A-Z and digits/],
		['Mairie!', /only letters/],
		['Élysée', /only letters/],
		['0612345678', /at least one letter/],
		[42, /must be text/],
		[{ name: 'MAIRIE' }, /must be text/],
	])('refuses %p', (value, message) => {
		expect(() => validateSender(value)).toThrow(message);
	});
});
