/**
 * A value the user gave that DMC must not receive: a phone number, a text, a sender, a
 * list of ids, an option. The node reports it as the item's error ("… [item 3]"); any other
 * exception is a bug and is never dressed up as one.
 */
export class InputError extends Error {
	constructor(
		message: string,
		/** The offending value as the user wrote it, when there is one. */
		readonly value?: string,
	) {
		super(message);
		this.name = 'InputError';
	}
}

/** Names a value of the wrong kind as a user reads it: "a list", "the number 42", "nothing". */
export function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (value === undefined) return 'nothing';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'number') return `the number ${value}`;
	return `a ${typeof value}`;
}
