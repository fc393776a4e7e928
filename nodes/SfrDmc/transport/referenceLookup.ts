import { chunkReportQueries, type DmcRecord } from '../domain/deliveryReports';
import { alreadySentIds, type SentMessageKey } from '../domain/reportMatching';
import type { DmcClient } from './DmcClient';

/**
 * Every report DMC has for these references, with one `findCraByIds` call per 100
 * references (each through the client's shared limiter).
 *
 * `findCraByIds` rather than `getSingleCallCra`: its `contactExtRefs` filter is documented
 * in the vendor guide, while `getSingleCallCra` documents only a date window (a `refExt`
 * filter was seen in one client, and a DMC that ignored it would answer every message of
 * the window). It takes 100 references per call where `getSingleCallCra` would take one
 * per reference, and its records carry `creationDate` and `callAdress`, which matching a
 * message to its call needs.
 */
export async function findByReferences(client: DmcClient, references: readonly string[]): Promise<DmcRecord[]> {
	const records: DmcRecord[] = [];
	for (const query of chunkReportQueries([], [...new Set(references)])) {
		records.push(...(await client.findCraByIds(query.contactIds, query.contactExtRefs)));
	}
	return records;
}

/** Per message, the id of a message DMC already has with its reference and recipient, or null. */
export async function alreadySentIdsOf(client: DmcClient, keys: readonly SentMessageKey[]): Promise<Array<string | null>> {
	return alreadySentIds(
		keys,
		await findByReferences(
			client,
			keys.map((key) => key.reference),
		),
	);
}
