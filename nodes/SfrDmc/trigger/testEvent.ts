import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { connectBroadcasts } from '../transport/connectDmc';
import { eventKindFor } from './selectEvents';
import { readTriggerSettings } from './settings';

/** Most events looked into for a test event: one `findCraByIds` call's worth. */
const TEST_EVENT_CANDIDATES = 100;

/**
 * "Fetch Test Event": the most recent matching event, whatever the cursor says, which it
 * neither reads nor moves; null when there is none. No once-a-minute wait: a person asked.
 */
export async function fetchTestEvent(context: IPollFunctions, now: number): Promise<INodeExecutionData[][] | null> {
	const kind = eventKindFor(readTriggerSettings(context));
	const client = await connectBroadcasts(context);
	const newestFirst = [...(await kind.find(client, now)).events].sort((a, b) => b.time - a.time);
	const [latest] = (await kind.select(client, newestFirst, TEST_EVENT_CANDIDATES)).items;
	return latest === undefined ? null : [[{ json: latest }]];
}
