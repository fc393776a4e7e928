/** The ids and references of one `findCraByIds` call. */
export interface LookupKeys {
	contactIds: string[];
	contactExtRefs: string[];
}

type ReportRecord = Record<string, unknown>;

/**
 * Makes one `findCraByIds` call once the service's once-a-minute turn is granted, asking
 * for the keys `keysAtTurn()` gives at that moment: look-ups that queued while the turn
 * was closed then join it.
 */
export type TurnLookup = (keysAtTurn: () => LookupKeys) => Promise<ReportRecord[]>;

interface Waiter {
	lookup: TurnLookup;
	maxKeys: number;
	/** Keys not answered yet. */
	left: number;
	records: ReportRecord[];
	seen: Set<ReportRecord>;
	resolve: (records: ReportRecord[]) => void;
	reject: (error: unknown) => void;
}

interface QueuedKey {
	waiter: Waiter;
	kind: 'id' | 'ref';
	value: string;
}

const keyName = (key: Pick<QueuedKey, 'kind' | 'value'>) => `${key.kind}:${key.value}`;

function idText(value: unknown): string | null {
	return (typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value)) ? String(value) : null;
}

/**
 * Report look-ups by id and reference, merged: every look-up waiting for the service's
 * turn rides on the next `findCraByIds` call, up to the call's limit of keys (a key asked
 * by several look-ups counts once), in arrival order. A burst of executions each checking
 * its references before sending thus costs one call a minute, not one call each.
 * Each look-up gets the records matching its own ids (`contactId`) and references
 * (`externalReference`), and only those.
 */
export class ReportLookupQueue {
	private queued: QueuedKey[] = [];
	private draining = false;

	/** Resolves with the records of these ids and references once every one was asked. */
	async find(keys: LookupKeys, maxKeys: number, lookup: TurnLookup): Promise<ReportRecord[]> {
		const ids = [...new Set(keys.contactIds)];
		const refs = [...new Set(keys.contactExtRefs)];
		if (ids.length + refs.length === 0) return [];
		return await new Promise<ReportRecord[]>((resolve, reject) => {
			const waiter: Waiter = { lookup, maxKeys, left: ids.length + refs.length, records: [], seen: new Set(), resolve, reject };
			for (const value of ids) this.queued.push({ waiter, kind: 'id', value });
			for (const value of refs) this.queued.push({ waiter, kind: 'ref', value });
			if (!this.draining) void this.drain();
		});
	}

	private async drain(): Promise<void> {
		this.draining = true;
		try {
			while (this.queued.length > 0) {
				const head = this.queued[0].waiter;
				let taken: QueuedKey[] = [];
				try {
					const records = await head.lookup(() => {
						taken = this.take(head.maxKeys);
						return {
							contactIds: [...new Set(taken.filter((key) => key.kind === 'id').map((key) => key.value))],
							contactExtRefs: [...new Set(taken.filter((key) => key.kind === 'ref').map((key) => key.value))],
						};
					});
					this.deliver(taken, records);
				} catch (error) {
					// A call that failed before its turn took no keys: the look-up that made it fails alone.
					const failed = new Set(taken.length > 0 ? taken.map((key) => key.waiter) : [head]);
					this.queued = this.queued.filter((key) => !failed.has(key.waiter));
					for (const waiter of failed) waiter.reject(error);
				}
			}
		} finally {
			this.draining = false;
		}
	}

	/** The oldest keys, as many as fit one call once repeated keys are counted once. */
	private take(maxKeys: number): QueuedKey[] {
		const distinct = new Set<string>();
		const taken: QueuedKey[] = [];
		const rest: QueuedKey[] = [];
		for (const key of this.queued) {
			const name = keyName(key);
			if (distinct.has(name) || distinct.size < maxKeys) {
				distinct.add(name);
				taken.push(key);
			} else {
				rest.push(key);
			}
		}
		this.queued = rest;
		return taken;
	}

	private deliver(taken: readonly QueuedKey[], records: readonly ReportRecord[]): void {
		const byKey = new Map<string, ReportRecord[]>();
		const index = (name: string | null, record: ReportRecord) => {
			if (name === null) return;
			byKey.set(name, [...(byKey.get(name) ?? []), record]);
		};
		for (const record of records) {
			const id = idText(record.contactId);
			index(id === null ? null : keyName({ kind: 'id', value: id }), record);
			const reference = idText(record.externalReference);
			index(reference === null ? null : keyName({ kind: 'ref', value: reference }), record);
		}
		for (const key of taken) {
			const { waiter } = key;
			for (const record of byKey.get(keyName(key)) ?? []) {
				if (waiter.seen.has(record)) continue;
				waiter.seen.add(record);
				waiter.records.push(record);
			}
			if (--waiter.left === 0) waiter.resolve(waiter.records);
		}
	}
}
