'use strict';

/**
 * Injected faults: what goes wrong with the next DMC calls.
 *
 * kinds:
 *   html502      HTTP 502 with an HTML page (a gateway in front of DMC). Stores only with afterStore:true
 *                (the gateway gave up while DMC was still taking the call).
 *   successFalse HTTP 200 {"success":false,...} with errorCode (default corruption_base). Nothing stored.
 *   garbage      HTTP 200 whose body is not JSON. Stores only with afterStore:true.
 *   noAnswer     the connection is accepted and never answered. Stores only with afterStore:true.
 *   reset        the socket is destroyed without an answer. Stores only with afterStore:true.
 *   missingIds   the call is processed (messages stored), then the success answer lacks its
 *                last id: DMC took the messages but the answer does not say which id is whose.
 *   importFailed importContactBroadcast answers its import id as usual, and that import ends
 *                in status 5 with errorDetail as its errDesc (only for importContactBroadcast).
 *
 * A fault spec applies to the next `count` DMC calls (default 1), optionally only
 * to one method ("batchSingleCall" or "MessagesUnitairesWS/batchSingleCall") and only
 * to calls sending to one number (`to`, as written in the call): so a test can fail the
 * call at a chosen position of a send, whatever order concurrent calls arrive in.
 * Specs are consumed first-in first-out.
 */

const FAULT_KINDS = ['html502', 'successFalse', 'garbage', 'noAnswer', 'reset', 'missingIds', 'importFailed'];
const AFTER_STORE_KINDS = ['html502', 'garbage', 'noAnswer', 'reset'];
/** Kinds that always process the call first. */
const ALWAYS_AFTER_STORE_KINDS = ['missingIds', 'importFailed'];
const DEFAULT_ERROR_CODE = 'corruption_base';

class FaultSpecError extends Error {}

function validateSpec(spec) {
	if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
		throw new FaultSpecError('A fault must be an object like {"kind":"html502","count":1}');
	}
	if (!FAULT_KINDS.includes(spec.kind)) {
		throw new FaultSpecError(`Fault kind must be one of ${FAULT_KINDS.join(', ')}`);
	}
	const count = spec.count === undefined ? 1 : spec.count;
	if (!Number.isInteger(count) || count < 1) {
		throw new FaultSpecError('Fault count must be a positive integer');
	}
	const always = ALWAYS_AFTER_STORE_KINDS.includes(spec.kind);
	const afterStore = spec.afterStore === undefined ? always : spec.afterStore;
	if (typeof afterStore !== 'boolean') throw new FaultSpecError('Fault afterStore must be true or false');
	if (always && !afterStore) throw new FaultSpecError(`${spec.kind} always stores: afterStore cannot be false`);
	if (afterStore && !always && !AFTER_STORE_KINDS.includes(spec.kind)) {
		throw new FaultSpecError(`afterStore is only possible for ${AFTER_STORE_KINDS.join(', ')}`);
	}
	for (const name of ['errorCode', 'errorDetail', 'method', 'to']) {
		if (spec[name] !== undefined && (typeof spec[name] !== 'string' || spec[name] === '')) {
			throw new FaultSpecError(`Fault ${name} must be a non-empty string`);
		}
	}
	if (spec.kind === 'importFailed' && spec.method !== undefined && !/(^|\/)importContactBroadcast$/.test(spec.method)) {
		throw new FaultSpecError('importFailed only applies to importContactBroadcast');
	}
	return {
		kind: spec.kind,
		remaining: count,
		afterStore,
		errorCode: spec.errorCode || DEFAULT_ERROR_CODE,
		errorDetail: spec.errorDetail || 'Erreur technique simulée par la sandbox',
		method: spec.method || (spec.kind === 'importFailed' ? 'importContactBroadcast' : null),
		to: spec.to || null,
	};
}

function appliesTo(fault, methodName, recipients) {
	if (fault.to !== null && !recipients.includes(fault.to)) return false;
	if (fault.method === null) return true;
	return fault.method === methodName || methodName.endsWith(`/${fault.method}`);
}

class FaultQueue {
	constructor() {
		this.queue = [];
	}

	/** Add one spec or an array of specs (all validated before any is queued). */
	add(specs) {
		const list = (Array.isArray(specs) ? specs : [specs]).map(validateSpec);
		this.queue.push(...list);
	}

	/**
	 * Consume and return the fault for this call, or null.
	 * @param {string[]} [recipients] the numbers the call sends to, as written
	 */
	take(methodName, recipients = []) {
		const index = this.queue.findIndex((fault) => appliesTo(fault, methodName, recipients));
		if (index === -1) return null;
		const fault = this.queue[index];
		fault.remaining--;
		if (fault.remaining === 0) this.queue.splice(index, 1);
		return {
			kind: fault.kind,
			afterStore: fault.afterStore,
			errorCode: fault.errorCode,
			errorDetail: fault.errorDetail,
			method: fault.method,
			to: fault.to,
		};
	}

	pending() {
		return this.queue.map((fault) => ({ ...fault }));
	}

	clear() {
		this.queue = [];
	}
}

module.exports = { FaultQueue, FaultSpecError, FAULT_KINDS, AFTER_STORE_KINDS, DEFAULT_ERROR_CODE };
