'use strict';

/**
 * DMC answer envelopes. The real platform answers HTTP 200 even on failure;
 * the `success` field decides.
 */

/** An error that becomes a `success:false` envelope. */
class DmcError extends Error {
	constructor(errorCode, errorDetail, { invalidParams = false } = {}) {
		super(`${errorCode}: ${errorDetail}`);
		this.name = 'DmcError';
		this.errorCode = errorCode;
		this.errorDetail = errorDetail;
		this.invalidParams = invalidParams;
	}
}

function successEnvelope(response) {
	return { success: true, response };
}

function failureEnvelope(errorCode, errorDetail, invalidParams = false) {
	return { success: false, errorCode, errorDetail, fatal: true, invalidParams };
}

function envelopeForError(error) {
	return failureEnvelope(error.errorCode, error.errorDetail, error.invalidParams);
}

/** Shorthand for the most common failure: a bad or missing parameter. */
function invalidParameter(detail) {
	return new DmcError('invalid_parameter', detail, { invalidParams: true });
}

module.exports = { DmcError, successEnvelope, failureEnvelope, envelopeForError, invalidParameter };
