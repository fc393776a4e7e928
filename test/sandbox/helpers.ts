/**
 * Helpers for the sandbox tests: a tiny DMC client over global fetch, a fake
 * clock, a quiet sandbox starter and a polling wait. (No node builtins or
 * timer globals here: the repo's n8n lint forbids them in .ts files.)
 */
import { sleep } from 'n8n-workflow';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox';

export const ACCOUNT = {
	serviceId: 'sandbox-service',
	servicePassword: 'sandbox-password',
	spaceId: 'sandbox-space',
};

export type Auth = { serviceId?: string; servicePassword?: string; spaceId?: string; lang?: string };

export interface DmcEnvelope {
	success: boolean;
	response?: unknown;
	errorCode?: string;
	errorDetail?: string;
	fatal?: boolean;
	invalidParams?: boolean;
}

export interface DmcAnswer {
	status: number;
	text: string;
	json: DmcEnvelope;
}

export interface CallOptions {
	http?: 'GET' | 'POST';
	/** null = no authenticate field at all */
	auth?: Auth | null;
	version?: string;
}

/** Every value becomes a JSON text, as DMC expects; URLSearchParams encodes '+' as %2B. */
export function dmcFields(params: Record<string, unknown>, auth: Auth | null = ACCOUNT): URLSearchParams {
	const fields = new URLSearchParams();
	if (auth !== null) fields.set('authenticate', JSON.stringify(auth));
	for (const [name, value] of Object.entries(params)) fields.set(name, JSON.stringify(value));
	return fields;
}

export function dmcUrl(sandbox: Sandbox, method: string, version?: string): string {
	const base = version ? `${sandbox.url}/DmcWS/${version}/JsonService` : sandbox.baseUrl;
	return `${base}/${method}`;
}

/** POST a raw form body (for tests that need a hand-made, possibly mis-encoded body). */
export async function postRawForm(sandbox: Sandbox, method: string, body: string): Promise<DmcAnswer> {
	const response = await fetch(dmcUrl(sandbox, method), {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body,
	});
	const text = await response.text();
	return { status: response.status, text, json: JSON.parse(text) as DmcEnvelope };
}

export async function callDmc(
	sandbox: Sandbox,
	method: string,
	params: Record<string, unknown> = {},
	options: CallOptions = {},
): Promise<DmcAnswer> {
	const fields = dmcFields(params, options.auth === undefined ? ACCOUNT : options.auth);
	const url = dmcUrl(sandbox, method, options.version);
	const response =
		options.http === 'GET'
			? await fetch(`${url}?${fields.toString()}`)
			: await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body: fields.toString(),
				});
	const text = await response.text();
	return { status: response.status, text, json: JSON.parse(text) as DmcEnvelope };
}

/** Call and expect a success envelope; returns its response. */
export async function dmcOk<T = unknown>(
	sandbox: Sandbox,
	method: string,
	params: Record<string, unknown> = {},
	options: CallOptions = {},
): Promise<T> {
	const answer = await callDmc(sandbox, method, params, options);
	expect(answer.status).toBe(200);
	if (!answer.json.success) throw new Error(`Expected success, got ${answer.text}`);
	return answer.json.response as T;
}

/** Call and expect a failure envelope; returns it. */
export async function dmcFail(
	sandbox: Sandbox,
	method: string,
	params: Record<string, unknown> = {},
	options: CallOptions = {},
): Promise<DmcEnvelope> {
	const answer = await callDmc(sandbox, method, params, options);
	expect(answer.status).toBe(200);
	expect(answer.json.success).toBe(false);
	return answer.json;
}

export interface FakeClock {
	now: () => number;
	advance: (ms: number) => void;
}

export function fakeClock(start = 1_700_000_000_000): FakeClock {
	let t = start;
	return {
		now: () => t,
		advance: (ms: number) => {
			t += ms;
		},
	};
}

/**
 * For suites that check what the sandbox's reports say, reading them many times in a row:
 * the once-a-minute rule is the subject of supervision.test.ts, and every suite that runs
 * the node keeps it strict.
 */
export const READS_REPORTS_AT_WILL = { strictSupervision: false } as const;

/** A sandbox with fast lifecycle delays, a huge rate limit and a silent logger, unless overridden. */
export function quietSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	return startSandbox({
		logger: () => undefined,
		deliveryDelayMs: 100,
		failureDelayMs: 100,
		replyDelayMs: 100,
		rateLimit: 1000,
		...options,
	});
}

/** Poll `check` until it returns a non-undefined value (or throw after timeoutMs). */
export async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 3000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`waitFor: condition not met within ${timeoutMs} ms`);
		await sleep(20);
	}
}

export function sms(to: string, textMsg = 'Hello from the sandbox tests', extra: Record<string, unknown> = {}) {
	return { media: 'SMS', textMsg, to, ...extra };
}
