import { setupHintFor } from '../transport/dmcHints';
import { DmcApiError } from '../transport/DmcClient';

/**
 * A failed DMC call as the trigger reports it. n8n shows only the message of an error that
 * fails an activation ("There was a problem activating the workflow: …"), so the message
 * itself carries DMC's text for a refusal (already redacted by the client) and what to
 * check when the set-up is the likely cause. Any other error passes through unchanged.
 */
export function withSetupHint(error: unknown): unknown {
	if (!(error instanceof DmcApiError)) return error;
	const hint = setupHintFor(error.errorCode);
	const detail = error.outcome === 'refused' && error.description ? ` (${error.description})` : '';
	if (hint === undefined && detail === '') return error;
	const description = [error.description, hint].filter((part) => part).join(' ');
	return new DmcApiError(
		error.node,
		error.errorCode,
		error.outcome,
		[`${error.message}${detail}.`, hint].filter((part) => part).join(' '),
		description,
		error.httpCode === null ? undefined : Number(error.httpCode),
	);
}
