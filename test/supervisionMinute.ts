import { scaleSupervisionMinuteForTests } from '../nodes/SfrDmc/transport/supervisionGate';

/**
 * The minute of the suites that run the node against a sandbox: both the sandbox's
 * once-a-minute rule and the node's gate count in it, so the rule holds exactly as with
 * DMC's real minute while the suites wait a fraction of a second instead of minutes.
 */
export const TEST_MINUTE_MS = 200;

/** Sandbox options keeping the strict rule on the test minute. */
export const STRICT_TEST_MINUTE = { supervisionIntervalMs: TEST_MINUTE_MS } as const;

scaleSupervisionMinuteForTests(TEST_MINUTE_MS);
