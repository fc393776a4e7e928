import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { textOf } from '../domain/deliveryReports';
import { connectDmc } from '../transport/connectDmc';
import { findByReferences } from '../transport/referenceLookup';
import { outputPerItem, readItems } from './itemErrors';
import * as getStatus from './getStatus.operation';

/** The same Message IDs and References fields as Get Status, so a send's output feeds either. */
export const description: INodeProperties[] = getStatus.description;

/**
 * Stops messages DMC has not yet delivered (`stopSingleCall`), e.g. an alert sent by mistake
 * to phones that are switched off. A delivered message cannot be taken back: DMC counts
 * only the messages it stopped. References are looked up first (100 per call); one output
 * item per input item: the ids asked to stop and DMC's count.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const inputs = readItems(this, (itemIndex) => getStatus.readQuery(this, itemIndex));
	const client = await connectDmc(this);
	const output = await outputPerItem(this, inputs, async (query) => {
		const records = query.references.length === 0 ? [] : await findByReferences(client, query.references);
		const found = records
			.map((record) => ({ id: textOf(record.contactId), reference: textOf(record.externalReference) }))
			.filter((entry): entry is { id: string; reference: string } => entry.id !== null && query.references.includes(entry.reference ?? ''));
		const messageIds = [...new Set([...query.messageIds, ...found.map((entry) => entry.id)])];
		const referencesNotFound = query.references.filter((reference) => !found.some((entry) => entry.reference === reference));
		const cancelled = messageIds.length === 0 ? 0 : await client.stopSingleCall(messageIds);
		return [referencesNotFound.length > 0 ? { messageIds, cancelled, referencesNotFound } : { messageIds, cancelled }];
	});
	return [output];
}
