import nock from 'nock';

export const DMC_ORIGIN = 'https://dmc.test';
export const DMC_PATH = '/DmcWS/1.5.8/JsonService';
export const PASSWORD = 'S3cr3t+P@ss&w=rd/1';

let serviceCounter = 0;

/**
 * Credentials for one test. Each test gets its own service id, so the process-wide
 * rate limiter of one test does not slow the next.
 */
export function dmcCredentials(overrides: Record<string, unknown> = {}) {
	serviceCounter++;
	return {
		serviceId: `svc-${serviceCounter}`,
		servicePassword: PASSWORD,
		spaceId: 'space-7',
		baseUrl: `${DMC_ORIGIN}${DMC_PATH}/`,
		...overrides,
	};
}

export interface RecordedCall {
	method: string;
	path: string;
	contentType: string;
	raw: string;
	fields: Record<string, string>;
	authenticate: Record<string, string>;
	messages: Array<Record<string, unknown>>;
}

type Reply = [number, string | Record<string, unknown>, Record<string, string>?];

/**
 * Intercepts DMC's batchSingleCall and records what went over the wire. By default DMC
 * accepts every message and answers ids 1000, 1001, … in message order; `answer` can
 * script another reply from the call's messages.
 */
export function mockBatchSingleCall(answer?: (messages: RecordedCall['messages'], call: number) => Reply | undefined) {
	const calls: RecordedCall[] = [];
	let nextId = 1000;
	const scope = nock(DMC_ORIGIN)
		.persist()
		.post(`${DMC_PATH}/MessagesUnitairesWS/batchSingleCall`)
		.reply(function (uri, body) {
			const raw = typeof body === 'string' ? body : JSON.stringify(body);
			const fields = Object.fromEntries(new URLSearchParams(raw));
			const messages = JSON.parse(fields.messageUnitaires ?? '[]') as RecordedCall['messages'];
			calls.push({
				method: this.req.method,
				path: uri,
				contentType: String(this.req.headers['content-type']),
				raw,
				fields,
				authenticate: JSON.parse(fields.authenticate ?? '{}'),
				messages,
			});
			const scripted = answer?.(messages, calls.length);
			if (scripted) return scripted;
			return [200, { success: true, response: messages.map(() => nextId++) }];
		});
	return { calls, scope };
}

export function cleanNock() {
	nock.cleanAll();
}
