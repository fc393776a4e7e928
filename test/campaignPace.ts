import { scaleCampaignPaceForTests } from '../nodes/SfrDmc/transport/BroadcastClient';

/**
 * The build's second in the suites that create many campaigns against a sandbox: the pace
 * holds one call per window as with DMC's second, the suites wait a fraction of it. The
 * wire test (test/transport/BroadcastClient.test.ts) keeps the real second against a
 * sandbox that refuses a second call within it.
 */
export const TEST_PACE_MS = 20;

scaleCampaignPaceForTests(TEST_PACE_MS);
