/**
 * Property-based tests over hostile input: arbitrary strings, arrays, numbers, objects,
 * null, very long and Unicode input. Each property runs 10,000 cases (fast-check).
 */
import fc from 'fast-check';

import { MAX_MESSAGES_PER_CALL, packIntoBatches } from '../../nodes/SfrDmc/domain/batches';
import {
	MAX_RECIPIENTS_PER_ITEM,
	normalizePhoneNumber,
	normalizeRecipients,
	splitRecipientList,
} from '../../nodes/SfrDmc/domain/recipients';
import { InputError } from '../../nodes/SfrDmc/domain/inputError';
import { validateSender } from '../../nodes/SfrDmc/domain/sender';
import { countSmsParts, prepareSmsText } from '../../nodes/SfrDmc/domain/smsText';

const CASES = 10_000;
const run = (property: fc.IProperty<never> | fc.IProperty<unknown[]>) => fc.assert(property as fc.IProperty<unknown>, { numRuns: CASES });

const E164 = /^\+[1-9]\d{6,14}$/;
const FR = { defaultCountry: 'FR' as const };

/** Anything an expression can hand the node. */
const anyValue = fc.oneof(
	fc.string(),
	fc.string({ unit: 'grapheme', maxLength: 200 }),
	fc.array(fc.string()),
	fc.array(fc.anything(), { maxLength: 5 }),
	fc.anything(),
	fc.integer(),
	fc.double(),
	fc.constant(null),
	fc.constant(undefined),
	fc.string({ minLength: 1000, maxLength: 5000 }),
);

/** Strings that look like phone numbers: digits, +, 00, separators, in any order. */
const phoneLike = fc
	.array(
		fc.constantFrom(
			'0',
			'1',
			'2',
			'3',
			'4',
			'5',
			'6',
			'7',
			'8',
			'9',
			' ',
			'.',
			'-',
			'(',
			')',
			'/',
			'+',
			'00',
			'06',
			'07',
			'+33',
			'0590',
			'0690',
			'+262',
			'0033',
		),
		{
			maxLength: 24,
		},
	)
	.map((parts) => parts.join(''));

/** Real-looking numbers of many countries and formats. */
const plausibleNumber = fc
	.tuple(
		fc.constantFrom(
			'06',
			'07',
			'+33 6',
			'+33 (0)7',
			'0033 6',
			'0690',
			'0692',
			'0696',
			'0694',
			'+590 690',
			'+32 470',
			'+41 79',
			'+49 170',
			'+1 415',
		),
		fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 3, maxLength: 4 }),
		fc.constantFrom(' ', '.', '-', ''),
	)
	.map(([prefix, groups, separator]) => `${prefix}${separator}${groups.map((g) => String(g).padStart(2, '0')).join(separator)}`);

/** The action's value, or undefined when it threw `errorType`; any other error fails the property. */
function onlyTyped<T>(errorType: new (...args: never[]) => Error, action: () => T): T | undefined {
	let outcome: { value: T } | { error: unknown };
	try {
		outcome = { value: action() };
	} catch (error) {
		outcome = { error };
	}
	if ('value' in outcome) return outcome.value;
	expect(outcome.error).toBeInstanceOf(errorType);
	return undefined;
}

describe('normalisation', () => {
	it('throws nothing but InputError, whatever the input', () => {
		run(fc.property(anyValue, (value) => void onlyTyped(InputError, () => normalizeRecipients(value, FR))));
	});

	it('accepts only E.164 with +, never a 00 prefix, and normalising again changes nothing', () => {
		run(
			fc.property(fc.oneof(phoneLike, plausibleNumber), (input) => {
				const e164 = onlyTyped(InputError, () => normalizePhoneNumber(input, FR));
				if (e164 === undefined) return;
				expect(e164).toMatch(E164);
				expect(e164.startsWith('+00')).toBe(false);
				expect(normalizePhoneNumber(e164, FR)).toBe(e164);
			}),
		);
	});

	it('never keeps more than 20 recipients, nor two equal numbers', () => {
		run(
			fc.property(fc.array(fc.oneof(plausibleNumber, phoneLike), { maxLength: 30 }), (inputs) => {
				const recipients = onlyTyped(InputError, () => normalizeRecipients(inputs, FR));
				if (recipients === undefined) return;
				expect(recipients.length).toBeLessThanOrEqual(MAX_RECIPIENTS_PER_ITEM);
				expect(new Set(recipients.map((recipient) => recipient.to)).size).toBe(recipients.length);
			}),
		);
	});

	it('splitting keeps what normalising the whole list would see', () => {
		run(
			fc.property(fc.array(plausibleNumber, { maxLength: 10 }), fc.constantFrom(',', ';', '\n', ', ', '\r\n'), (numbers, separator) => {
				expect(splitRecipientList(numbers.join(separator))).toEqual(numbers.map((n) => n.trim()).filter((n) => n !== ''));
			}),
		);
	});
});

/** A reference count written differently: fill parts one character at a time as strings. */
function referenceParts(text: string, unicode: boolean): number {
	const extension = new Set('^{}\\[~]|€\f');
	const characters = [...text];
	const size = (character: string) => (unicode ? character.length : extension.has(character) ? 2 : 1);
	const total = characters.reduce((sum, character) => sum + size(character), 0);
	if (total <= (unicode ? 70 : 160)) return 1;
	const parts = [''];
	let used = 0;
	for (const character of characters) {
		if (used + size(character) > (unicode ? 67 : 153)) {
			parts.push('');
			used = 0;
		}
		parts[parts.length - 1] += character;
		used += size(character);
	}
	expect(parts.join('')).toBe(text);
	return parts.length;
}

describe('encoding', () => {
	// Lengths drawn uniformly, so that the part boundaries (160, 306, 459…) are often hit.
	const textOf = (unit: fc.Arbitrary<string>, longest: number) =>
		fc.integer({ min: 0, max: longest }).chain((length) => fc.string({ unit, minLength: length, maxLength: length }));
	const gsmText = textOf(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz ABC0123456789.,!?éèàù@£$\n{}[]~\\|^'.split('')), 1300);
	const anyText = textOf(fc.constantFrom('a', 'é', 'я', '€', '👍', '🇫🇷', ' ', '\n'), 600);

	it('counts standard parts as the reference does', () => {
		run(
			fc.property(gsmText, (text) => {
				const info = countSmsParts(text);
				expect(info.encoding).toBe('GSM-7');
				expect(info.parts).toBe(referenceParts(text, false));
			}),
		);
	});

	it('counts Unicode parts as the reference does, emoji and all', () => {
		run(
			fc.property(anyText, (text) => {
				expect(countSmsParts(text, 'unicode').parts).toBe(referenceParts(text, true));
			}),
		);
	});

	it('throws nothing but InputError on any message value', () => {
		run(
			fc.property(
				anyValue,
				fc.constantFrom('auto', 'standard', 'unicode'),
				fc.integer({ min: 1, max: 10 }),
				(value, encoding, maxParts) => {
					const info = onlyTyped(InputError, () => prepareSmsText(value, encoding as 'auto', maxParts));
					if (info) expect(info.parts).toBeLessThanOrEqual(maxParts);
				},
			),
		);
	});

	it('throws nothing but InputError on any sender value', () => {
		run(
			fc.property(anyValue, (value) => {
				const sender = onlyTyped(InputError, () => validateSender(value));
				if (sender !== undefined) expect(sender).toMatch(/^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/);
			}),
		);
	});
});

describe('batching', () => {
	const sizes = fc.array(fc.integer({ min: 0, max: MAX_MESSAGES_PER_CALL }), { maxLength: 120 });
	const itemsOfSizes = (list: number[]) =>
		list.map((size, itemIndex) => ({ itemIndex, messages: Array.from({ length: size }, (_, n) => `${itemIndex}:${n}`) }));

	/** Calls made when each call is filled in input order: the packing this one must never lose to. */
	function nextFitCalls(list: number[]): number {
		let calls = 0;
		let room = 0;
		for (const size of list.filter((n) => n > 0)) {
			if (size > room) {
				calls++;
				room = MAX_MESSAGES_PER_CALL;
			}
			room -= size;
		}
		return calls;
	}

	it('never makes more calls than filling them in input order', () => {
		run(
			fc.property(sizes, (list) => {
				const calls = packIntoBatches(itemsOfSizes(list)).length;
				if (calls > nextFitCalls(list)) throw new Error(`${calls} calls, input order needs ${nextFitCalls(list)}`);
			}),
		);
	});

	it('never puts more than 20 messages in a call, never splits an item, sends every message once', () => {
		run(
			fc.property(sizes, (list) => {
				const items = itemsOfSizes(list);
				const batches = packIntoBatches(items);
				// Compared as joined text: plain equality keeps 10,000 cases fast.
				for (const batch of batches) {
					if (batch.messages.length > MAX_MESSAGES_PER_CALL) throw new Error(`a call of ${batch.messages.length}`);
					if (batch.messages.join() !== batch.items.flatMap((item) => item.messages).join()) throw new Error('an item split');
				}
				const sent = batches
					.flatMap((batch) => batch.messages)
					.sort()
					.join();
				if (
					sent !==
					items
						.flatMap((item) => item.messages)
						.sort()
						.join()
				)
					throw new Error('a message lost or sent twice');
				const placed = batches
					.flatMap((batch) => batch.items.map((item) => item.itemIndex))
					.sort((a, b) => a - b)
					.join();
				if (
					placed !==
					items
						.filter((item) => item.messages.length > 0)
						.map((item) => item.itemIndex)
						.join()
				) {
					throw new Error('an item lost or in two calls');
				}
			}),
		);
	});

	it("keeps input order inside each call and across the calls' first items", () => {
		run(
			fc.property(sizes, (list) => {
				const firsts = packIntoBatches(itemsOfSizes(list)).map((batch) => {
					const order = batch.items.map((item) => item.itemIndex);
					if (order.some((index, n) => n > 0 && index < order[n - 1])) throw new Error(`a call in the order ${order.join()}`);
					return order[0];
				});
				if (firsts.some((index, n) => n > 0 && index < firsts[n - 1])) throw new Error(`calls in the order ${firsts.join()}`);
			}),
		);
	});
});
