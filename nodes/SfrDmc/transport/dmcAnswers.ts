import type { DmcRecord } from '../domain/deliveryReports';

// The shapes DMC's JSON service takes and gives back, read without trusting them.

/** DMC takes message ids as numbers; digits that would lose precision stay text. */
export function asNumbers(ids: readonly string[]): Array<string | number> {
	return ids.map((id) => (/^\d{1,15}$/.test(id) ? Number(id) : id));
}

/** DMC lists come bare or wrapped as `{ list, total }`. */
export function recordsOf(response: unknown): DmcRecord[] {
	const list = Array.isArray(response)
		? response
		: typeof response === 'object' && response !== null && Array.isArray((response as { list?: unknown }).list)
			? (response as { list: unknown[] }).list
			: [];
	return list.filter((entry): entry is DmcRecord => typeof entry === 'object' && entry !== null);
}

/** DMC's answer envelope: `success`, then `response` or `errorCode` and `errorDetail`. */
export function isEnvelope(value: unknown): value is { success: boolean; response?: unknown; errorCode?: unknown; errorDetail?: unknown } {
	return typeof value === 'object' && value !== null && typeof (value as { success?: unknown }).success === 'boolean';
}
