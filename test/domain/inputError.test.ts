import { describeValue, InputError } from '../../nodes/SfrDmc/domain/inputError';
import { parseIdList } from '../../nodes/SfrDmc/domain/deliveryReports';
import { splitRecipientList } from '../../nodes/SfrDmc/domain/recipients';
import { validateSender } from '../../nodes/SfrDmc/domain/sender';
import { prepareSmsText } from '../../nodes/SfrDmc/domain/smsText';

describe('describeValue', () => {
	it.each<[unknown, string]>([
		[null, 'null'],
		[undefined, 'nothing'],
		[['a'], 'a list'],
		[{ a: 1 }, 'an object'],
		[42, 'the number 42'],
		[true, 'a boolean'],
		['x', 'a string'],
	])('names %p as %j', (value, text) => {
		expect(describeValue(value)).toBe(text);
	});
});

describe('one input error and one wording for a wrong value, in every domain module', () => {
	it.each<[string, () => unknown, string]>([
		['recipients', () => splitRecipientList({ phone: '0612345678' }), 'not an object'],
		['a recipient', () => splitRecipientList(['0612345678', 7]), 'is the number 7'],
		['the message', () => prepareSmsText({ body: 'x' }, 'auto'), 'The message must be text, not an object'],
		['the sender', () => validateSender(42), 'The sender must be text, not the number 42'],
		['message ids', () => parseIdList({ id: 1 }, 'Message IDs'), 'Message IDs must be text or a list of texts, not an object'],
		['nested ids', () => parseIdList([['1']], 'Message IDs'), 'not a list holding a list'],
	])('%s', (_, action, text) => {
		expect(action).toThrow(InputError);
		expect(action).toThrow(text);
	});
});
