/**
 * The three invariants of a send, checked against what the sandbox stored:
 * (a) every recipient is reported either with the id DMC stored for it, or as failed, not
 *     sent or in doubt; and every message DMC stored is reported, with its id or in doubt;
 * (b) no recipient has two messages in DMC;
 * (c) nothing is reported sent that DMC does not have.
 * A run either returns items (continue-on-fail, or no failure) or throws the stop error,
 * whose description lists what was accepted and what is in doubt.
 */
import type { NodeApiError } from 'n8n-workflow';

import type { RunNodeResult } from '../../harness';
import type { SandboxMessage } from '../../sandbox';

export interface Reported {
	/** Recipient (E.164) → the id the node reported for it. */
	sent: Map<string, string>;
	/** Recipients reported in doubt. */
	inDoubt: Set<string>;
	/** Recipients reported failed or not sent (DMC refused the call, or the node stopped first). */
	notSent: Set<string>;
}

interface RecipientEntry {
	to: string;
	messageId: string | null;
	inDoubt?: boolean;
}

/** What the node reported, from its items or from its stop error. */
export function reportedBy(result: RunNodeResult, recipients: readonly string[]): Reported {
	const reported: Reported = { sent: new Map(), inDoubt: new Set(), notSent: new Set() };
	if (result.error) {
		const description = (result.error as NodeApiError).description ?? '';
		for (const [, to, id] of description.matchAll(/^item \d+: (\+\d+) → (\d+)/gm)) reported.sent.set(to, id);
		for (const [, to] of description.matchAll(/^item \d+: (\+\d+) \(reference /gm)) reported.inDoubt.add(to);
		for (const to of recipients) if (!reported.sent.has(to) && !reported.inDoubt.has(to)) reported.notSent.add(to);
		return reported;
	}
	for (const item of result.items) {
		for (const entry of (item.json.recipients as RecipientEntry[] | undefined) ?? []) {
			if (entry.messageId !== null) reported.sent.set(entry.to, entry.messageId);
			else if (entry.inDoubt === true) reported.inDoubt.add(entry.to);
			else reported.notSent.add(entry.to);
		}
	}
	return reported;
}

/** Throws (through expect) unless the three invariants hold; returns what was reported. */
export function expectInvariants(result: RunNodeResult, recipients: readonly string[], stored: readonly SandboxMessage[]): Reported {
	const reported = reportedBy(result, recipients);
	const storedBy = new Map<string, SandboxMessage[]>();
	for (const message of stored) storedBy.set(message.callAdress, [...(storedBy.get(message.callAdress) ?? []), message]);

	// (b) no recipient has two messages in DMC.
	for (const [to, messages] of storedBy) expect({ to, messages: messages.length }).toEqual({ to, messages: 1 });

	// (c) nothing is reported sent that DMC does not have, and each id is that recipient's.
	for (const [to, id] of reported.sent) {
		expect({ to, id, stored: storedBy.get(to)?.map((message) => String(message.id)) }).toEqual({ to, id, stored: [id] });
	}

	// (a) every recipient is reported exactly once: sent with its id, in doubt, or not sent...
	for (const to of recipients) {
		const kinds = [reported.sent.has(to), reported.inDoubt.has(to), reported.notSent.has(to)].filter(Boolean);
		expect({ to, reportedAs: kinds.length }).toEqual({ to, reportedAs: 1 });
	}
	// ...and a recipient reported not sent has nothing in DMC, while one DMC has is sent or in doubt.
	for (const to of reported.notSent) expect({ to, stored: storedBy.has(to) }).toEqual({ to, stored: false });
	for (const to of storedBy.keys())
		expect({ to, reported: reported.sent.has(to) || reported.inDoubt.has(to) }).toEqual({ to, reported: true });
	return reported;
}
