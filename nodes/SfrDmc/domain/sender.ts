import { describeValue, InputError } from './inputError';

/** Longest alphanumeric sender id (OADC) a phone displays. */
export const MAX_SENDER_LENGTH = 11;

/**
 * Checks a sender id as DMC and handsets take it: 1 to 11 ASCII letters and digits, not
 * digits only. Returns undefined for an empty sender (the account's default is used).
 */
export function validateSender(value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string') {
		throw new InputError(`The sender must be text, not ${describeValue(value)}`);
	}
	const sender = value.trim();
	if (sender === '') return undefined;
	const quoted = JSON.stringify(sender.length > 20 ? `${sender.slice(0, 20)}…` : sender);
	if (sender.length > MAX_SENDER_LENGTH) {
		throw new InputError(`The sender ${quoted} has ${sender.length} characters; at most ${MAX_SENDER_LENGTH} are allowed`);
	}
	if (!/^[A-Za-z0-9]+$/.test(sender)) {
		throw new InputError(`The sender ${quoted} may hold only letters A-Z and digits: no spaces, accents or punctuation`);
	}
	if (/^\d+$/.test(sender)) {
		throw new InputError(`The sender ${quoted} must contain at least one letter`);
	}
	return sender;
}
