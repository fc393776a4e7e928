import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';

/**
 * What a failed call means for the messages in it:
 * - `refused`: DMC answered and took none of them;
 * - `unknown`: the call may have reached DMC (time-out, reset, gateway error, unreadable
 *   answer): the messages may have been sent, so they must not be sent again blindly;
 * - `not-sent`: the call provably never left (refused connection, unknown host).
 */
export type DmcOutcome = 'refused' | 'unknown' | 'not-sent';

/** A DMC call that failed, with DMC's error code and what it means for the messages. */
export class DmcApiError extends NodeApiError {
	constructor(
		node: INode,
		readonly errorCode: string,
		readonly outcome: DmcOutcome,
		message: string,
		description: string,
		httpCode?: number,
	) {
		// Not `errorCode`: n8n would read a system code there (ECONNREFUSED…) and replace
		// the message with its generic one.
		super(node, { dmcErrorCode: errorCode, outcome } as JsonObject, {
			message,
			description,
			httpCode: httpCode === undefined ? undefined : String(httpCode),
		});
	}
}

const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

const TRANSPORT_FAILURES: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host name is unknown',
	EAI_AGAIN: 'the host name could not be resolved',
	ECONNRESET: 'the connection was reset',
	ECONNABORTED: 'it timed out',
	ETIMEDOUT: 'it timed out',
	EPIPE: 'the connection was closed',
};

export const UNKNOWN_OUTCOME_HINT =
	'DMC may or may not have taken the messages of this call: check their status before sending them again.';

// The messages name the failure in words: n8n replaces any error message that holds a
// system code (ECONNREFUSED…) with a generic text of its own. The code is in errorCode.
/** What a call that got no answer means: its system code, whether it left, and in words. */
export function transportFailure(
	path: string,
	failure: unknown,
): { code: string; outcome: DmcOutcome; message: string; description: string } {
	const code = findErrorCode(failure) ?? 'NETWORK_ERROR';
	const what = TRANSPORT_FAILURES[code] ?? 'the network failed';
	if (NEVER_SENT_CODES.has(code)) {
		return {
			code,
			outcome: 'not-sent',
			message: `Could not reach DMC for ${path}: ${what}`,
			description: 'The call never reached DMC: nothing was sent by it.',
		};
	}
	return { code, outcome: 'unknown', message: `The call to DMC for ${path} failed: ${what}`, description: UNKNOWN_OUTCOME_HINT };
}

/** The system error code (ECONNREFUSED, ETIMEDOUT, …) of an error or of what caused it. */
function findErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}
