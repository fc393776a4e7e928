/**
 * The invariants of test/node/invariants.ts over random fault schedules: random items,
 * random faults on random calls (answers lost before or after DMC stored the messages,
 * refusals, failing look-ups), reports listed late or at once, with or without
 * continue-on-fail; then a re-run with Skip If Already Sent once DMC lists everything.
 * Each case is a real send through n8n's engine against the sandbox, so the runs are few.
 */
import fc from 'fast-check';
import { sleep, type IDataObject } from 'n8n-workflow';

import { runNode } from '../../harness';
import { startSandbox, type FaultSpec, type Sandbox } from '../../sandbox';
import { expectInvariants } from './invariants';
import { smsNodeOn } from './sandboxNode';
import { STRICT_TEST_MINUTE } from '../supervisionMinute';

jest.setTimeout(240_000);

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ ...STRICT_TEST_MINUTE, rateMode: 'refuse', logger: () => undefined });
});
afterAll(async () => sandbox.close());

const fault = fc.oneof(
	fc.record({
		kind: fc.constantFrom<FaultSpec['kind']>('noAnswer', 'reset', 'html502', 'garbage'),
		afterStore: fc.boolean(),
		target: fc.nat(),
	}),
	fc.record({ kind: fc.constantFrom<FaultSpec['kind']>('missingIds', 'successFalse'), target: fc.nat() }),
	// A look-up that fails: the node must keep looking, or say it could not check.
	fc.record({ kind: fc.constant<FaultSpec['kind']>('html502'), lookup: fc.constant(true), count: fc.integer({ min: 1, max: 3 }) }),
);

const scenario = fc.record({
	sizes: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 14 }),
	faults: fc.array(fault, { maxLength: 3 }),
	continueOnFail: fc.boolean(),
	skipAlreadySent: fc.boolean(),
	reportDelayMs: fc.constantFrom(0, 0, 700),
	doubtLookupTime: fc.constantFrom(0, 1),
});

function send(input: IDataObject[], continueOnFail: boolean, options: IDataObject) {
	return runNode({
		...smsNodeOn(sandbox),
		items: input,
		continueOnFail,
		parameters: {
			operation: 'send',
			to: '={{ $json.to }}',
			message: '={{ $json.text }}',
			options: { reference: '={{ $json.requestId }}', requestTimeout: 1, ...options },
		},
	});
}

it('every recipient is reported with the id DMC stored, or as failed or in doubt; never twice in DMC; nothing reported that DMC lacks', async () => {
	let run = 0;
	await fc.assert(
		fc.asyncProperty(scenario, async (s) => {
			sandbox.reset();
			sandbox.configure({ reportDelayMs: s.reportDelayMs });
			run++;
			let next = 0;
			const recipientsOf = s.sizes.map((size) =>
				Array.from({ length: size }, () => `+33612${String(run).padStart(2, '0')}${String(next++).padStart(4, '0')}`),
			);
			const recipients = recipientsOf.flat();
			const input = recipientsOf.map((list, n) => ({ to: list.join(', '), text: `Message ${n}`, requestId: `R${run}-${n}` }));
			for (const spec of s.faults) {
				if ('lookup' in spec) sandbox.injectFaults({ kind: spec.kind, method: 'findCraByIds', count: spec.count });
				else
					sandbox.injectFaults({
						kind: spec.kind,
						...('afterStore' in spec ? { afterStore: spec.afterStore } : {}),
						method: 'batchSingleCall',
						to: recipients[spec.target % recipients.length],
					});
			}
			const options = { skipAlreadySent: s.skipAlreadySent, doubtLookupTime: s.doubtLookupTime };
			const first = await send(input, s.continueOnFail, options);
			expectInvariants(first, recipients, sandbox.messages());

			// Once DMC lists everything, a re-run that skips what was sent completes the send, once.
			sandbox.clearFaults();
			await sleep(s.reportDelayMs);
			const second = await send(input, s.continueOnFail, { skipAlreadySent: true, doubtLookupTime: s.doubtLookupTime });
			const reported = expectInvariants(second, recipients, sandbox.messages());
			expect(reported.sent.size).toBe(recipients.length);
			expect(sandbox.stats().refused).toBe(0);
		}),
		{ numRuns: 25 },
	);
});
