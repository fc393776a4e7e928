/**
 * A burst of concurrent executions in n8n's engine (WorkflowExecute), one credential,
 * against the local DMC sandbox: their messages share calls, and each execution gets
 * exactly its own results.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNodesConcurrently, type RunNodeOptions, type RunNodeResult } from '../../harness';
import { startSandbox, type Sandbox } from '../../sandbox';
import { smsNodeOn } from './sandboxNode';
import { STRICT_TEST_MINUTE } from '../supervisionMinute';

const PASSWORD = 'burst+P@ss&word=1';
/** The calls the limiter lets start at once: the first of a burst may go before others arrive. */
const SLOTS = 5;
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({
		...STRICT_TEST_MINUTE,
		servicePassword: PASSWORD,
		rateMode: 'refuse',
		latencyMs: 40,
		logger: () => undefined,
	});
});
afterAll(async () => sandbox.close());
beforeEach(() => sandbox.reset());

/** The one credential every execution of a test uses. */
function credentials() {
	return { serviceId: 'sandbox-service', servicePassword: PASSWORD, spaceId: 'sandbox-space', baseUrl: sandbox.baseUrl };
}

/** Execution e, item i: a distinct number and a text naming both. */
const inputOf = (execution: number, items: number): IDataObject[] =>
	Array.from({ length: items }, (_, item) => ({
		to: `06 ${String(10 + execution).padStart(2, '0')} 00 ${String(item).padStart(2, '0')} 00`,
		text: `execution ${execution} item ${item}`,
	}));

function run(login: RunNodeOptions['credentials'], input: IDataObject[], continueOnFail = false): RunNodeOptions {
	return {
		...smsNodeOn(sandbox),
		credentials: login,
		items: input,
		continueOnFail,
		parameters: { operation: 'send', to: '={{ $json.to }}', message: '={{ $json.text }}', options: {} },
	};
}

/** Every output item of every execution carries the id DMC gave its own message. */
function expectOwnIds(inputs: IDataObject[][], results: RunNodeResult[]) {
	const stored = new Map(sandbox.messages().map((message) => [String(message.id), message]));
	results.forEach((result, execution) => {
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(inputs[execution].length);
		result.items.forEach((item: INodeExecutionData, n) => {
			expect(item.pairedItem).toEqual({ item: n });
			const [id] = item.json.messageIds as string[];
			expect(stored.get(id)?.text).toBe(inputs[execution][n].text);
		});
	});
}

describe('a burst of concurrent executions through one credential', () => {
	it('shares calls between executions: 40 executions of 1 SMS and 6 of 30, each message stored once, no cap violation', async () => {
		const login = credentials();
		const inputs = [...Array.from({ length: 40 }, (_, e) => inputOf(e, 1)), ...Array.from({ length: 6 }, (_, e) => inputOf(40 + e, 30))];
		const results = await runNodesConcurrently(inputs.map((input) => run(login, input)));

		expectOwnIds(inputs, results);
		const messages = inputs.reduce((sum, input) => sum + input.length, 0);
		const stored = sandbox.messages();
		expect(stored).toHaveLength(messages);
		expect(new Set(stored.map((message) => message.text)).size).toBe(messages);
		const stats = sandbox.stats();
		expect(stats.violations).toBe(0);
		expect(stats.calls).toBeLessThanOrEqual(Math.ceil(messages / 20) + SLOTS);
	});

	it('fails, under continue-on-fail, the items of every execution in a refused call, and only those', async () => {
		const login = credentials();
		const inputs = Array.from({ length: 12 }, (_, e) => inputOf(e, 3));
		sandbox.injectFaults({ kind: 'successFalse', errorCode: 'corruption_base', method: 'batchSingleCall' });
		const results = await runNodesConcurrently(inputs.map((input) => run(login, input, true)));

		const storedTexts = new Set(sandbox.messages().map((message) => message.text));
		const failedExecutions = new Set<number>();
		results.forEach((result, execution) => {
			expect(result.error).toBeUndefined();
			result.items.forEach((item, n) => {
				expect(item.pairedItem).toEqual({ item: n });
				const text = inputs[execution][n].text as string;
				if (item.json.error !== undefined) {
					failedExecutions.add(execution);
					expect(item.json.errorCode).toBe('corruption_base');
					expect(storedTexts.has(text)).toBe(false);
				} else {
					expect(storedTexts.has(text)).toBe(true);
				}
			});
		});
		// The refused call was one of the first: it carried at least one execution's items.
		expect(failedExecutions.size).toBeGreaterThan(0);
		expect(sandbox.messages()).toHaveLength(
			results.flatMap((result) => result.items).filter((item) => item.json.error === undefined).length,
		);
	});
});
