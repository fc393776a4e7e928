'use strict';

/**
 * Reading recipient numbers the way the sandbox needs: an E.164 form for
 * `callAdress` and for matching the magic numbers.
 */

/**
 * National French numbers (0XXXXXXXXX) become +33XXXXXXXXX; numbers already in
 * +E.164 are kept. Anything else (00-prefixed, with spaces, letters…) is returned
 * unchanged: the sandbox reports it as sent, it does not repair it.
 */
function toE164(to) {
	if (/^\+[1-9]\d{6,14}$/.test(to)) return to;
	if (/^0[1-9]\d{8}$/.test(to)) return `+33${to.slice(1)}`;
	return to;
}

module.exports = { toE164 };
