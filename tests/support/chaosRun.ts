import { TRPCError } from '@trpc/server';
import { and, asc, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import type { Database } from '../../server/db/client';
import { appendAuditEvent } from '../../server/audit/appendAuditEvent';
import { assignments, cases, delegations, notes, persons } from '../../server/db/schema';
import { deviceCaseAccessFor } from '../../server/policy/caseAccessFor';
import { destroyPersonRecord } from '../../server/retention/destroyCaseContent';
import { runRetention } from '../../server/retention/runRetention';
import { pullChanges } from '../../server/sync/pullChanges';
import { pullOutputSchema, type JournalOutput, type Mutation, type PushOutput } from '../../src/lib/shared/sync';
import { ChaosDevice } from './chaosDevice';
import type { ChaosCommand, SyncFault } from './chaosCommands';
import { ChaosIds, createChaosWorld, type ChaosWorld } from './chaosWorld';
import { callerFor, TestClock } from './testCaller';
import type { DatabaseKind } from './testDatabase';

/** How long a command may wait beside a stalled writer before the writer is let go. */
const STALL_PATIENCE_MS = 100;

/**
 * One execution of a chaos scenario against a real server (the tRPC router for push, journal
 * and the lead; pullChanges itself for pulls, to vary the page size). The devices are models
 * (ChaosDevice); the network is this class: it drops, loses, duplicates and delays requests.
 * Every text the worker submits is recorded in `submitted`, for the invariants.
 */
export class ChaosRun {
	readonly devices: [ChaosDevice, ChaosDevice];
	/** Every text the worker submitted, once. */
	readonly submitted = new Set<string>();
	readonly stats = new ChaosStats();
	/** Invariant (2) checked after each completed pull: [device, held, allowed] when they differ. */
	readonly pullMismatches: string[] = [];
	readonly journalIncidents: string[] = [];
	#texts = 0;
	#stalled: { personId: string; release: () => void; finished: Promise<unknown> } | null = null;

	private constructor(
		readonly db: Database,
		readonly kind: DatabaseKind,
		readonly world: ChaosWorld,
		readonly clock: TestClock,
		readonly ids: ChaosIds
	) {
		this.devices = [new ChaosDevice('A', ids.next()), new ChaosDevice('B', ids.next())];
	}

	static async start(db: Database, kind: DatabaseKind, execution: number, start: Date): Promise<ChaosRun> {
		const ids = new ChaosIds(execution);
		const clock = new TestClock(new Date(start));
		return new ChaosRun(db, kind, await createChaosWorld(db, ids, clock.now()), clock, ids);
	}

	/** The end of every run: a stalled writer commits, then both devices sync cleanly, twice. */
	async finish(): Promise<void> {
		await this.releaseWriter();
		for (const device of [0, 1, 0, 1] as const) {
			if (!(await this.sync(this.devices[device]))) throw new Error(`clean sync of ${this.devices[device].name} did not finish`);
		}
		for (const device of this.devices) {
			this.stats.count('end:rejected-drafts', device.drafts.length);
			this.stats.count('end:texts-dropped-with-revoked-case', device.dropped.filter((w) => w.text !== null).length);
		}
	}

	private get worker() {
		return callerFor(this.db, this.world.worker, { now: this.clock.now }).caller;
	}
	private get lead() {
		return callerFor(this.db, this.world.lead, { now: this.clock.now }).caller;
	}

	/**
	 * Runs one command. While a writer is stalled the command runs beside it; if it is still
	 * waiting after a moment (it needs a lock the writer holds), the writer is let go first.
	 */
	async execute(command: ChaosCommand): Promise<void> {
		this.stats.count(command.kind);
		if (!this.#stalled) return this.executeNow(command);
		const done = this.executeNow(command);
		const waiting = await Promise.race([done.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), STALL_PATIENCE_MS))]);
		if (waiting) {
			this.stats.count('stall:blocked-a-command');
			await this.releaseWriter();
		}
		await done;
	}

	private async executeNow(command: ChaosCommand): Promise<void> {
		switch (command.kind) {
			case 'create-note':
				return this.createNote(this.devices[command.device], command.pick);
			case 'update-note':
				return this.updateNote(this.devices[command.device], command.pick);
			case 'resubmit-draft':
				return this.resubmitDraft(this.devices[command.device], command.pick);
			case 'report-visit':
				return this.reportVisit(this.devices[command.device], command.pick);
			case 'visit-status':
				return this.setVisitStatus(this.devices[command.device], command.pick, command.status);
			case 'view':
				return this.view(this.devices[command.device], command);
			case 'sync':
				await this.sync(this.devices[command.device], command.fault, command.faultPage, command.pageRows);
				return;
			case 'sync-both':
				await Promise.all(this.devices.map((device) => this.sync(device, 'none', 0, command.pageRows)));
				return;
			case 'replay-push':
				return this.replayPush(this.devices[command.device], command.pick, command.concurrent);
			case 'review':
				return this.review(command.pick, command.decision);
			case 'assign':
				return this.lenient(() => this.lead.lead.assign({ caseId: this.caseId(command.caseIndex), userId: this.userOf(command.who), role: 'intervenant' }));
			case 'unassign':
				return this.unassign(command.who, command.caseIndex);
			case 'delegate':
				return this.lenient(() =>
					this.lead.lead.createDelegation({
						fromUserId: this.world.colleague.id,
						toUserId: this.world.worker.id,
						reason: 'Congé (chaos)',
						endsAt: new Date(this.clock.now().getTime() + command.days * 86_400_000).toISOString()
					})
				);
			case 'end-delegation':
				return this.endDelegation();
			case 'close-case':
				await this.db.update(cases).set({ status: 'closed', closedAt: this.clock.now().toISOString().slice(0, 10) }).where(and(eq(cases.id, this.caseId(command.caseIndex)), eq(cases.status, 'open')));
				return;
			case 'reopen-case':
				await this.db.update(cases).set({ status: 'open', closedAt: null }).where(and(eq(cases.id, this.caseId(command.caseIndex)), eq(cases.status, 'closed')));
				return;
			case 'erase-person': {
				const personId = this.world.cases[command.caseIndex].personIds[command.personIndex];
				if (this.#stalled?.personId === personId) await this.releaseWriter();
				await this.db.transaction((tx) => destroyPersonRecord(tx, personId, this.clock.now()));
				return;
			}
			case 'retention':
				await runRetention(this.db, { now: this.clock.now(), dryRun: false, auditRetentionDays: 365, trigger: 'job' });
				return;
			case 'advance':
				this.clock.advance(command.ms);
				return;
			case 'stall-writer':
				return this.stallWriter(this.world.cases[command.caseIndex].personIds[command.personIndex]);
			case 'release-writer':
				return this.releaseWriter();
		}
	}

	/**
	 * A request that has written (its row has taken a version from the sequence) but has not
	 * committed yet: a GC pause, a slow link to the database. Later writes take higher versions
	 * and may commit first. Needs a second connection: PostgreSQL only.
	 */
	private async stallWriter(personId: string): Promise<void> {
		if (this.kind !== 'postgres' || this.#stalled) return;
		let release = () => {};
		const gate = new Promise<void>((resolve) => (release = resolve));
		let written = () => {};
		const wrote = new Promise<void>((resolve) => (written = resolve));
		const now = this.clock.now();
		const finished = this.db.transaction(async (tx) => {
			await tx.update(persons).set({ relationship: `modifié à ${now.toISOString()}` }).where(eq(persons.id, personId));
			written();
			await gate;
			await appendAuditEvent(tx, { action: 'chaos.stalled-write', actorId: this.world.lead.id, personId }, now);
		});
		await Promise.race([wrote, finished]);
		this.#stalled = { personId, release, finished };
	}

	/** Lets a stalled writer commit (also after a failure, so that its locks go). */
	async releaseWriter(): Promise<void> {
		const stalled = this.#stalled;
		if (!stalled) return;
		this.#stalled = null;
		stalled.release();
		await stalled.finished;
	}

	/** One sync as src/lib/sync/syncWithServer.ts runs it: outbox, then pull pages, then journal. */
	async sync(device: ChaosDevice, fault: SyncFault = 'none', faultPage = 0, pageRows = 1_000): Promise<boolean> {
		let pending = fault;
		const take = (...kinds: SyncFault[]) => {
			if (!kinds.includes(pending)) return null;
			const hit = pending;
			pending = 'none';
			this.stats.count(`fault:${hit}`);
			return hit;
		};

		while (device.outbox.length > 0) {
			const batch = device.outbox.slice(0, 100).map((item) => item.mutation);
			const hit = take('push-dropped', 'push-lost', 'push-twice', 'push-concurrent');
			if (hit === 'push-dropped') return false;
			device.sentPushes.push(batch);
			let answer: PushOutput;
			if (hit === 'push-lost') {
				await this.push(device, batch);
				return false;
			} else if (hit === 'push-twice') {
				await this.push(device, batch);
				answer = await this.push(device, batch);
			} else if (hit === 'push-concurrent') {
				[answer] = await Promise.all([this.push(device, batch), this.push(device, batch)]);
			} else {
				answer = await this.push(device, batch);
			}
			if (answer.wipe) throw new Error(`${device.name}: unexpected wipe on push`);
			for (const { result } of device.settle(answer.results)) this.stats.count(`result:${result.status}${result.status === 'rejected' ? `:${result.code}` : ''}`);
			if (answer.results.length === 0) return false;
		}

		for (let page = 0; ; page++) {
			const hit = page === faultPage ? take('pull-dropped', 'pull-lost') : null;
			if (hit === 'pull-dropped') return false;
			const input = { deviceId: device.id, deviceLabel: `Tablette ${device.name}`, cursor: device.cursor, heldCaseIds: device.heldCaseIds() };
			const output = pullOutputSchema.parse(await pullChanges(this.db, this.world.worker, input, this.clock.now(), pageRows));
			if (output.wipe) throw new Error(`${device.name}: unexpected wipe on pull`);
			if (hit === 'pull-lost') return false;
			device.applyPullPage(output);
			if (!output.hasMore) break;
			if (page > 200) throw new Error(`${device.name}: pull never finished`);
		}
		await this.checkHeldCases(device);

		while (device.journal.length > 0) {
			const hit = take('journal-dropped', 'journal-lost', 'journal-twice');
			if (hit === 'journal-dropped') return false;
			const entries = device.journal.slice(0, 500);
			let answer: JournalOutput = await this.worker.sync.journal({ deviceId: device.id, entries });
			if (hit === 'journal-lost') return false;
			if (hit === 'journal-twice') answer = await this.worker.sync.journal({ deviceId: device.id, entries });
			if (answer.incidents.length > 0) this.journalIncidents.push(`${device.name}: ${answer.incidents.join(',')} at ack ${answer.ackSeq}`);
			if (device.acknowledgeJournal(answer.ackSeq) === 0) break;
		}
		return true;
	}

	/** Invariant (2): after a complete pull the device holds exactly the cases the policy allows now. */
	private async checkHeldCases(device: ChaosDevice): Promise<void> {
		const allowed = [...(await deviceCaseAccessFor(this.db, this.world.worker, this.clock.now())).keys()].sort();
		const held = device.heldCaseIds().sort();
		if (allowed.join() !== held.join()) this.pullMismatches.push(`${device.name} at ${this.clock.now().toISOString()}: held [${held}] allowed [${allowed}]`);
	}

	private push(device: ChaosDevice, mutations: Mutation[]): Promise<PushOutput> {
		return this.worker.sync.push({ deviceId: device.id, mutations });
	}

	private nextText(device: ChaosDevice): string {
		const text = `Note ${this.#texts++} écrite sur ${device.name} (${this.ids.next()})`;
		this.submitted.add(text);
		return text;
	}

	private createNote(device: ChaosDevice, pick: number, draftText?: string): void {
		const held = device.heldCaseIds();
		if (held.length === 0) return;
		const caseId = held[pick % held.length];
		const text = draftText ?? this.nextText(device);
		device.enqueue({
			caseId,
			text,
			mutation: {
				id: this.ids.next(),
				type: 'note.create',
				baseVersion: null,
				payload: { noteId: this.ids.next(), caseId, kind: 'observation', body: text, sensitiveCategory: null, createdOnDeviceAt: this.clock.now().toISOString() }
			}
		});
	}

	/** An edit of a note the device holds, on the version it holds (stale or not). */
	private updateNote(device: ChaosDevice, pick: number): void {
		const own = [...device.notes.values()].filter((n) => n.authorId === this.world.worker.id);
		if (own.length === 0) return;
		const note = own[pick % own.length];
		const text = this.nextText(device);
		device.enqueue({
			caseId: note.caseId,
			text,
			mutation: {
				id: this.ids.next(),
				type: 'note.update',
				baseVersion: note.version,
				payload: { noteId: note.id, kind: note.kind, body: text, sensitiveCategory: note.sensitiveCategory, editedOnDeviceAt: this.clock.now().toISOString() }
			}
		});
	}

	/** A visit report: a new note tied to a visit the device holds. */
	private reportVisit(device: ChaosDevice, pick: number): void {
		const held = [...device.visits.values()];
		if (held.length === 0) return;
		const visit = held[pick % held.length];
		const text = this.nextText(device);
		device.enqueue({
			caseId: visit.caseId,
			text,
			mutation: {
				id: this.ids.next(),
				type: 'visit.report',
				baseVersion: visit.version,
				payload: { visitId: visit.id, noteId: this.ids.next(), body: text, sensitiveCategory: null, createdOnDeviceAt: this.clock.now().toISOString() }
			}
		});
	}

	private setVisitStatus(device: ChaosDevice, pick: number, status: 'done' | 'cancelled' | 'missed'): void {
		const held = [...device.visits.values()];
		if (held.length === 0) return;
		const visit = held[pick % held.length];
		device.enqueue({ caseId: visit.caseId, text: null, mutation: { id: this.ids.next(), type: 'visit.status', baseVersion: visit.version, payload: { visitId: visit.id, status } } });
	}

	/** The worker sends a rejected text again, as a new note of the same case. */
	private resubmitDraft(device: ChaosDevice, pick: number): void {
		if (device.drafts.length === 0) return;
		const [draft] = device.drafts.splice(pick % device.drafts.length, 1);
		const index = device.heldCaseIds().indexOf(draft.caseId);
		if (index < 0) throw new Error(`${device.name}: draft of a case it does not hold`);
		this.createNote(device, index, draft.text);
	}

	private view(device: ChaosDevice, command: Extract<ChaosCommand, { kind: 'view' }>): void {
		const held = device.heldCaseIds();
		if (!device.secret || held.length === 0) return;
		const caseId = held[command.pick % held.length];
		const caseNotes = [...device.notes.values()].filter((n) => n.caseId === caseId);
		const note = command.note && caseNotes.length > 0 ? caseNotes[command.pick % caseNotes.length] : null;
		device.appendJournal({ at: this.clock.now().toISOString(), caseId, noteId: note?.id ?? null, action: note ? 'note.view' : 'case.view', offline: command.offline });
	}

	private async replayPush(device: ChaosDevice, pick: number, concurrent: boolean): Promise<void> {
		if (device.sentPushes.length === 0) return;
		const batch = device.sentPushes[pick % device.sentPushes.length];
		if (concurrent) await Promise.all([this.push(device, batch), this.push(device, batch)]);
		else await this.push(device, batch);
	}

	/** The lead decides on one of the worker's notes, on the version they read. */
	private async review(pick: number, decision: 'reviewed' | 'changes_requested'): Promise<void> {
		const candidates = await this.db
			.select({ id: notes.id, version: notes.version })
			.from(notes)
			.where(and(eq(notes.authorId, this.world.worker.id), inArray(notes.status, ['submitted', 'changes_requested'])))
			.orderBy(asc(notes.version));
		if (candidates.length === 0) return;
		const note = candidates[pick % candidates.length];
		await this.lenient(() =>
			this.lead.lead.reviewNote({ noteId: note.id, version: note.version, decision, comment: decision === 'changes_requested' ? 'À reprendre.' : null })
		);
	}

	private async unassign(who: 'worker' | 'colleague', caseIndex: number): Promise<void> {
		const now = this.clock.now();
		const [row] = await this.db
			.select({ id: assignments.id })
			.from(assignments)
			.where(and(eq(assignments.userId, this.userOf(who)), eq(assignments.caseId, this.caseId(caseIndex)), or(isNull(assignments.endsAt), gt(assignments.endsAt, now))))
			.orderBy(asc(assignments.createdAt), asc(assignments.id));
		if (row) await this.lenient(() => this.lead.lead.endAssignment({ assignmentId: row.id }));
	}

	private async endDelegation(): Promise<void> {
		const [row] = await this.db
			.select({ id: delegations.id })
			.from(delegations)
			.where(and(eq(delegations.toUserId, this.world.worker.id), isNull(delegations.revokedAt), gt(delegations.endsAt, this.clock.now())))
			.orderBy(asc(delegations.createdAt), asc(delegations.id));
		if (row) await this.lenient(() => this.lead.lead.revokeDelegation({ delegationId: row.id }));
	}

	/** Lead actions may be refused (an archived case, a second delegation…): that is their business, not a failure. */
	private async lenient(action: () => Promise<unknown>): Promise<void> {
		try {
			await action();
		} catch (error) {
			if (!(error instanceof TRPCError) || error.code === 'INTERNAL_SERVER_ERROR') throw error;
			this.stats.count(`refused:${error.message}`);
		}
	}

	private caseId(index: number): string {
		return this.world.cases[index].id;
	}
	private userOf(who: 'worker' | 'colleague'): string {
		return who === 'worker' ? this.world.worker.id : this.world.colleague.id;
	}
}

/** Counters summed over a property, printed at the end. */
export class ChaosStats {
	readonly counts = new Map<string, number>();
	count(key: string, by = 1): void {
		this.counts.set(key, (this.counts.get(key) ?? 0) + by);
	}
	add(other: ChaosStats): void {
		for (const [key, value] of other.counts) this.count(key, value);
	}
}
