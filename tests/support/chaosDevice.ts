import { createHmac } from 'node:crypto';
import type { CaseRecord, NoteRecord, PersonRecord, Tombstone, VisitRecord } from '../../src/lib/shared/records';
import type { JournalAction } from '../../src/lib/shared/domain';
import {
	JOURNAL_GENESIS_MAC,
	journalMacMessage,
	type JournalEntry,
	type Mutation,
	type MutationResult,
	type PullOutput,
	type RejectionCode
} from '../../src/lib/shared/sync';

/**
 * One device of the chaos suite, in memory, applying the server's answers the way the real
 * client (src/lib/sync, src/lib/db, src/lib/journal) does:
 *  - a pull page deletes the revoked cases with every row, draft and queued mutation of theirs
 *    (deleteCases: the UI reports the dropped work), stores the records, applies tombstones,
 *    then moves the cursor;
 *  - the outbox is FIFO, a mutation leaves it only once answered; a rejection puts its text
 *    back into a draft (pushOutbox.settle / restoreDraft), a duplicate settles on its first result;
 *  - journal entries are chained by HMAC-SHA256 with the secret of the first pull and deleted
 *    only up to the acknowledged seq.
 */
export class ChaosDevice {
	cursor: string | null = null;
	secret: string | null = null;
	readonly cases = new Map<string, CaseRecord>();
	readonly persons = new Map<string, PersonRecord>();
	readonly notes = new Map<string, NoteRecord>();
	readonly visits = new Map<string, VisitRecord>();
	readonly outbox: OutboxItem[] = [];
	readonly drafts: Draft[] = [];
	/** Work dropped with a revoked case, as pullChanges reports it (droppedLocalWork). */
	readonly dropped: DroppedWork[] = [];
	readonly journal: JournalEntry[] = [];
	journalHead = { seq: 0, mac: JOURNAL_GENESIS_MAC };
	/** Push requests that left the device, for the network to deliver again later. */
	readonly sentPushes: Mutation[][] = [];

	constructor(
		readonly name: string,
		readonly id: string
	) {}

	heldCaseIds(): string[] {
		return [...this.cases.keys()];
	}

	enqueue(item: OutboxItem): void {
		this.outbox.push(item);
	}

	/** A pull page, applied as src/lib/sync/pullChanges.ts does. */
	applyPullPage(page: Extract<PullOutput, { wipe: false }>): void {
		if (page.journalSecret) this.secret = page.journalSecret;
		if (page.revokedCaseIds.length > 0) this.deleteCases(page.revokedCaseIds, 'revoked');
		for (const record of page.cases) this.cases.set(record.id, record);
		for (const record of page.persons) this.persons.set(record.id, record);
		for (const record of page.notes) this.notes.set(record.id, record);
		for (const record of page.visits) this.visits.set(record.id, record);
		if (page.tombstones.length > 0) this.applyTombstones(page.tombstones);
		this.cursor = page.cursor;
	}

	/** A push answer: answered mutations leave the outbox; rejected ones become drafts. */
	settle(results: MutationResult[]): Settled[] {
		const settled: Settled[] = [];
		for (const answer of results) {
			const index = this.outbox.findIndex((item) => item.mutation.id === answer.id);
			if (index < 0) continue;
			const [item] = this.outbox.splice(index, 1);
			const result = answer.status === 'duplicate' && isResult(answer.first) ? answer.first : answer;
			settled.push({ item, result });
			if (result.status !== 'rejected') continue;
			if (item.text !== null && item.caseId !== null) {
				this.drafts.push({ caseId: item.caseId, text: item.text, code: result.code, mutationId: item.mutation.id });
			}
		}
		return settled;
	}

	/** appendJournalEntry: the next seq, chained from the head. */
	appendJournal(entry: { at: string; caseId: string; noteId: string | null; action: JournalAction; offline: boolean }): JournalEntry {
		if (!this.secret) throw new Error(`${this.name}: no journal secret`);
		const unsigned = { seq: this.journalHead.seq + 1, ...entry };
		const mac = createHmac('sha256', Buffer.from(this.secret, 'hex')).update(journalMacMessage(this.journalHead.mac, unsigned), 'utf8').digest('hex');
		const signed: JournalEntry = { ...unsigned, mac };
		this.journal.push(signed);
		this.journalHead = { seq: signed.seq, mac };
		return signed;
	}

	/** acknowledgeJournal: entries up to ackSeq are stored on the server. */
	acknowledgeJournal(ackSeq: number): number {
		const before = this.journal.length;
		const kept = this.journal.filter((entry) => entry.seq > ackSeq);
		this.journal.splice(0, this.journal.length, ...kept);
		return before - kept.length;
	}

	private deleteCases(caseIds: string[], reason: DroppedWork['reason']): void {
		const gone = new Set(caseIds);
		for (const id of caseIds) this.cases.delete(id);
		deleteWhere(this.persons, (r) => gone.has(r.caseId));
		deleteWhere(this.notes, (r) => gone.has(r.caseId));
		deleteWhere(this.visits, (r) => gone.has(r.caseId));
		for (let i = this.drafts.length - 1; i >= 0; i--) {
			const draft = this.drafts[i];
			if (!gone.has(draft.caseId)) continue;
			this.dropped.push({ caseId: draft.caseId, text: draft.text, code: draft.code, reason, from: 'draft' });
			this.drafts.splice(i, 1);
		}
		for (let i = this.outbox.length - 1; i >= 0; i--) {
			const item = this.outbox[i];
			if (item.caseId === null || !gone.has(item.caseId)) continue;
			this.dropped.push({ caseId: item.caseId, text: item.text, code: null, reason, from: 'outbox' });
			this.outbox.splice(i, 1);
		}
	}

	private applyTombstones(tombstones: Tombstone[]): void {
		const ids = (entity: Tombstone['entity']) => tombstones.filter((t) => t.entity === entity).map((t) => t.id);
		this.deleteCases(ids('case'), 'tombstone');
		for (const id of ids('person')) this.persons.delete(id);
		for (const id of ids('note')) this.notes.delete(id);
		for (const id of ids('visit')) this.visits.delete(id);
	}
}

function deleteWhere<T>(map: Map<string, T>, predicate: (value: T) => boolean): void {
	for (const [key, value] of map) if (predicate(value)) map.delete(key);
}

function isResult(value: unknown): value is Exclude<MutationResult, { status: 'duplicate' }> {
	return typeof value === 'object' && value !== null && 'status' in value && typeof (value as { status: unknown }).status === 'string';
}

export interface OutboxItem {
	caseId: string | null;
	mutation: Mutation;
	/** The worker's text carried by the mutation (null for a visit status). */
	text: string | null;
}

export interface Draft {
	caseId: string;
	text: string;
	/** Why the server refused the mutation that carried this text. */
	code: RejectionCode;
	mutationId: string;
}

export interface DroppedWork {
	caseId: string;
	text: string | null;
	code: RejectionCode | null;
	reason: 'revoked' | 'tombstone';
	from: 'draft' | 'outbox';
}

export interface Settled {
	item: OutboxItem;
	result: MutationResult;
}
