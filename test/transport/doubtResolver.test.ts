/**
 * resolveCallInDoubt against the sandbox: a batchSingleCall whose answer is lost, then the
 * look-ups by reference that find (or do not find) what DMC stored. Fake clock: the pauses
 * advance it instead of waiting.
 */
import { MAX_LOOKUPS } from '../../nodes/SfrDmc/domain/lookupSchedule';
import { DmcApiError, type DmcMessage } from '../../nodes/SfrDmc/transport/DmcClient';
import { resolveCallInDoubt } from '../../nodes/SfrDmc/transport/doubtResolver';
import type { FaultSpec, Sandbox } from '../../sandbox';
import { fakeClock, quietSandbox, type FakeClock } from '../sandbox/helpers';
import { sandboxClient } from './sandboxClient';

let sandbox: Sandbox;
let clock: FakeClock;
let pauses: number[];

beforeAll(async () => {
	clock = fakeClock();
	sandbox = await quietSandbox({ now: clock.now });
});
afterAll(() => sandbox.close());
beforeEach(() => {
	sandbox.reset();
	pauses = [];
});

const wait = async (ms: number) => {
	pauses.push(ms);
	clock.advance(ms);
};

const sms = (to: string, refExt = 'req-1'): DmcMessage => ({ media: 'SMS', textMsg: 'Alerte', to, ...(refExt ? { refExt } : {}) });

/** A batchSingleCall that ends in doubt under `fault`; returns the instant it started. */
async function lostCall(messages: DmcMessage[], fault: FaultSpec): Promise<number> {
	sandbox.injectFaults({ ...fault, method: 'batchSingleCall' });
	const startedAt = clock.now();
	const error = await sandboxClient(sandbox, 300)
		.batchSingleCall(messages)
		.then(
			() => undefined,
			(reason: unknown) => reason,
		);
	expect(error).toBeInstanceOf(DmcApiError);
	expect((error as DmcApiError).outcome).toBe('unknown');
	return startedAt;
}

const storedIds = () => sandbox.messages().map((message) => String(message.id));
/** Look-ups are getSingleCallCra listings: never a SupervisionWS call, so never the once-a-minute rule. */
const lookupCalls = () => {
	const { callsByMethod, supervisionCalls } = sandbox.stats();
	expect(supervisionCalls).toBe(0);
	return callsByMethod['MessagesUnitairesWS/getSingleCallCra'] ?? 0;
};

it.each<[string, FaultSpec]>([
	['no answer', { kind: 'noAnswer', afterStore: true }],
	['a reset', { kind: 'reset', afterStore: true }],
	['a gateway 502', { kind: 'html502', afterStore: true }],
	['an unreadable answer', { kind: 'garbage', afterStore: true }],
	['an id missing', { kind: 'missingIds' }],
])('finds by reference and recipient the ids DMC stored when the answer is lost (%s)', async (_label, fault) => {
	const messages = [sms('+33612345678'), sms('+33698765432'), sms('+33699999903', 'req-2')];
	const startedAt = await lostCall(messages, fault);
	const resolution = await resolveCallInDoubt(sandboxClient(sandbox), messages, startedAt, { budgetMs: 30_000, wait });
	expect(resolution).toEqual({ ids: storedIds(), lookups: 1 });
	expect(pauses).toEqual([]);
	expect(lookupCalls()).toBe(1);
});

it('looks again after growing pauses until DMC lists the messages, within the budget', async () => {
	sandbox.configure({ reportDelayMs: 2500 });
	const messages = [sms('+33612345678')];
	const startedAt = await lostCall(messages, { kind: 'noAnswer', afterStore: true });
	const resolution = await resolveCallInDoubt(sandboxClient(sandbox), messages, startedAt, { budgetMs: 30_000, wait });
	expect(resolution).toEqual({ ids: storedIds(), lookups: 3 });
	expect(pauses).toEqual([1000, 2000]);
	expect(lookupCalls()).toBe(3);
});

it('leaves in doubt what DMC never stored, after the last look-up, never past the budget', async () => {
	const messages = [sms('+33612345678'), sms('+33698765432')];
	const startedAt = await lostCall(messages, { kind: 'noAnswer' });
	const resolution = await resolveCallInDoubt(sandboxClient(sandbox), messages, startedAt, { budgetMs: 5000, wait });
	expect(resolution).toEqual({ ids: [null, null], lookups: 4 });
	expect(pauses).toEqual([1000, 2000, 2000]);
	expect(lookupCalls()).toBe(4);
	expect(sandbox.messages()).toEqual([]);
});

it('makes at most MAX_LOOKUPS look-ups however long the budget', async () => {
	const messages = [sms('+33612345678')];
	const startedAt = await lostCall(messages, { kind: 'reset' });
	const resolution = await resolveCallInDoubt(sandboxClient(sandbox), messages, startedAt, { budgetMs: 3_600_000, wait });
	expect(resolution.lookups).toBe(MAX_LOOKUPS);
	expect(lookupCalls()).toBe(MAX_LOOKUPS);
});

it("does not take an earlier run's message with the same reference and recipient", async () => {
	await sandboxClient(sandbox).batchSingleCall([sms('+33612345678')]);
	clock.advance(60_000);
	const messages = [sms('+33612345678')];
	const startedAt = await lostCall(messages, { kind: 'noAnswer' });
	const resolution = await resolveCallInDoubt(sandboxClient(sandbox), messages, startedAt, { budgetMs: 0, wait });
	expect(resolution.ids).toEqual([null]);
	expect(sandbox.messages()).toHaveLength(1);
});

it('keeps looking when a look-up fails, and says so when the last one failed', async () => {
	const messages = [sms('+33612345678')];
	const startedAt = await lostCall(messages, { kind: 'noAnswer', afterStore: true });
	sandbox.injectFaults({ kind: 'html502', method: 'getSingleCallCra', count: 2 });
	const found = await resolveCallInDoubt(sandboxClient(sandbox), messages, startedAt, { budgetMs: 30_000, wait });
	expect(found).toEqual({ ids: storedIds(), lookups: 3 });

	sandbox.injectFaults({ kind: 'html502', method: 'getSingleCallCra', count: 10 });
	const failed = await resolveCallInDoubt(sandboxClient(sandbox), messages, startedAt, { budgetMs: 1000, wait });
	expect(failed.ids).toEqual([null]);
	expect(failed.lookupError).toBeInstanceOf(DmcApiError);
	expect(failed.lookupError?.message).toContain('HTTP 502');
	sandbox.clearFaults();
});

it('cannot look up messages without a reference, and does not try', async () => {
	const messages = [sms('+33612345678', '')];
	const startedAt = await lostCall(messages, { kind: 'noAnswer', afterStore: true });
	expect(await resolveCallInDoubt(sandboxClient(sandbox), messages, startedAt, { budgetMs: 30_000, wait })).toEqual({
		ids: [null],
		lookups: 0,
	});
	expect(lookupCalls()).toBe(0);
});

it('does not take ids other calls already answered for', async () => {
	const [answered] = await sandboxClient(sandbox).batchSingleCall([sms('+33612345678')]);
	const messages = [sms('+33612345678')];
	const startedAt = clock.now() - 10;
	const lost = await lostCall(messages, { kind: 'noAnswer', afterStore: true });
	expect(lost).toBeGreaterThanOrEqual(startedAt);
	const ambiguous = await resolveCallInDoubt(sandboxClient(sandbox), messages, startedAt, { budgetMs: 0, wait });
	expect(ambiguous.ids).toEqual([null]);
	const resolved = await resolveCallInDoubt(sandboxClient(sandbox), messages, startedAt, {
		budgetMs: 0,
		wait,
		claimedIds: new Set([answered]),
	});
	expect(resolved.ids).toEqual([storedIds()[1]]);
});

it('recovers a lost answer DMC lists 5 s late, within the look-up time, with no SupervisionWS call', async () => {
	sandbox.configure({ reportDelayMs: 5000 });
	const messages = [sms('+33612345678'), sms('+33698765432', 'req-2')];
	const startedAt = await lostCall(messages, { kind: 'reset', afterStore: true });
	const resolution = await resolveCallInDoubt(sandboxClient(sandbox), messages, startedAt, { budgetMs: 30_000, wait });
	expect(resolution).toEqual({ ids: storedIds(), lookups: 4 });
	expect(pauses).toEqual([1000, 2000, 4000]);
	expect(lookupCalls()).toBe(4);
	expect(sandbox.stats().supervisionViolations).toBe(0);
});
