/**
 * Campaigns made straight on the sandbox (as Create, or the DMC extranet, would leave them),
 * for the suites of the operations and trigger events that follow a campaign. Calls are
 * spaced so that the setup keeps DMC's 5 calls a second with the node's own calls.
 */
import { sleep } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../../sandbox';
import { dmcOk } from '../sandbox/helpers';
import { STRICT_TEST_MINUTE } from '../supervisionMinute';

const SETUP_CALL_SPACING_MS = 220;
/** DMC's rate window: the node's limiter does not see the setup's calls, so the setup leaves the window empty behind it. */
const RATE_WINDOW_MS = 1000;

/** A valid French mobile number per n, none of them a sandbox magic number. */
export const residentNumber = (n: number) => `+33612${String(n).padStart(6, '0')}`;
/** The sandbox's magic numbers: blacklisted, replies, replies STOP, phone switched off (stays RUNNING: the campaign keeps sending). */
export const BLACKLISTED = '+33699999901';
export const REPLIES = '+33699999903';
export const STOPS = '+33699999904';
export const SWITCHED_OFF = '+33699999906';

/**
 * A suite's sandbox, strict on the test minute, whose campaigns load and deliver in 20 ms,
 * and the calls it received as `POST <Service>/<method>`, in order: started before the
 * suite, reset with its record emptied before each test, closed after.
 */
export function useCampaignSandbox(): { readonly sandbox: Sandbox; readonly wire: string[] } {
	const wire: string[] = [];
	let started: Sandbox | undefined;
	beforeAll(async () => {
		started = await startSandbox({
			...STRICT_TEST_MINUTE,
			deliveryDelayMs: 20,
			failureDelayMs: 20,
			replyDelayMs: 20,
			broadcastLoadingMs: 20,
			logger: (_level, message) => {
				const call = /^(\w+) (\S+) service=/.exec(message);
				if (call) wire.push(`${call[1]} ${call[2]}`);
			},
		});
	});
	afterAll(async () => await started?.close());
	beforeEach(() => {
		started?.reset();
		wire.length = 0;
	});
	return {
		get sandbox() {
			if (!started) throw new Error('The campaign sandbox is used before its beforeAll hook ran');
			return started;
		},
		wire,
	};
}

export interface CampaignSetup {
	name?: string;
	text?: string;
	startDate?: number;
	stopDate?: number;
	activate?: boolean;
}

/** Creates a campaign with one contact per number (reference `ref-<index>`), activated unless asked not to; answers its id. */
export async function campaignWith(sandbox: Sandbox, numbers: readonly string[], setup: CampaignSetup = {}): Promise<string> {
	const call = async <T>(method: string, params: Record<string, unknown>) => {
		const answer = await dmcOk<T>(sandbox, method, params);
		await sleep(SETUP_CALL_SPACING_MS);
		return answer;
	};
	const { broadcastId } = await call<{ broadcastId: number }>('BroadcastWS/createBroadcast', {
		broadcast: {
			broadcastName: setup.name ?? 'Alerte canicule',
			scenarioId: 43,
			callPlanningId: 22,
			...(setup.startDate === undefined ? {} : { startDate: setup.startDate }),
			...(setup.stopDate === undefined ? {} : { stopDate: setup.stopDate }),
		},
		customizableMessage: [{ customizableId: 142, multimediaType: 3, text: setup.text ?? "Alerte canicule : buvez de l'eau" }],
	});
	for (let start = 0; start < numbers.length; start += 100) {
		const contact = numbers.slice(start, start + 100).map((phoneNumber1, offset) => ({
			phoneNumber1,
			externalReference: `ref-${start + offset}`,
			firstName: `Resident ${start + offset}`,
		}));
		await call('BroadcastWS/addContactToBroadcast', { broadcastId, contact });
	}
	if (setup.activate !== false) await call('BroadcastWS/activateBroadcast', { broadcastId });
	await sleep(RATE_WINDOW_MS - SETUP_CALL_SPACING_MS);
	return String(broadcastId);
}

/** Waits until the sandbox shows the campaign in one of these statuses (its French labels). */
export async function untilStatus(sandbox: Sandbox, campaignId: string, labels: readonly string[]): Promise<void> {
	for (let tries = 0; tries < 200; tries++) {
		const campaign = sandbox.broadcasts().find((broadcast) => String(broadcast.id) === campaignId);
		if (campaign && labels.includes(campaign.status)) return;
		await sleep(20);
	}
	throw new Error(`Campaign ${campaignId} never reached ${labels.join(' or ')}`);
}
