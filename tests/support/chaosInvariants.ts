import { and, asc, eq, inArray, like, ne, or } from 'drizzle-orm';
import { auditEvents, devices, journalHeads, noteRevisions, notes, persons, visits } from '../../server/db/schema';
import type { ChaosDevice } from './chaosDevice';
import type { ChaosRun } from './chaosRun';

/**
 * The invariants of a chaos run, checked after a final clean sync of both devices. Each returns
 * the list of violations (empty when it holds), in words a failure message can show.
 */
export async function checkChaosInvariants(run: ChaosRun): Promise<string[]> {
	return [
		...(await noTextLostOrDuplicated(run)),
		...run.pullMismatches.map((m) => `(2) device holds other cases than allowed: ${m}`),
		...outboxesEmpty(run),
		...(await journalsGapless(run)),
		...(await devicesConverged(run)),
		...run.journalIncidents.map((m) => `(4) journal incident: ${m}`)
	];
}

/**
 * (1) Every submitted text is on the server exactly once (a note, a conflict revision, or an
 * earlier text in note_revisions), or on a device as a rejected draft with its code, or was
 * dropped with a revoked case, which the client reports (droppedLocalWork); never two of these.
 */
async function noTextLostOrDuplicated(run: ChaosRun): Promise<string[]> {
	const caseIds = run.world.cases.map((c) => c.id);
	const noteRows = await run.db.select({ id: notes.id, body: notes.body }).from(notes).where(inArray(notes.caseId, caseIds));
	const revisionRows = noteRows.length
		? await run.db.select({ body: noteRevisions.body }).from(noteRevisions).where(inArray(noteRevisions.noteId, noteRows.map((n) => n.id)))
		: [];
	const onServer = tally([...noteRows, ...revisionRows].map((r) => r.body));
	const drafts = tally(run.devices.flatMap((d) => d.drafts.map((draft) => draft.text)));
	const dropped = tally(run.devices.flatMap((d) => d.dropped.flatMap((w) => (w.text === null ? [] : [w.text]))));
	const violations: string[] = [];
	for (const text of run.submitted) {
		const places = { server: onServer.get(text) ?? 0, draft: drafts.get(text) ?? 0, dropped: dropped.get(text) ?? 0 };
		if (places.server + places.draft + places.dropped !== 1) violations.push(`(1) text "${text}" found ${JSON.stringify(places)}`);
	}
	for (const device of run.devices) {
		for (const draft of device.drafts) if (!draft.code) violations.push(`(1) ${device.name}: draft without a rejection code`);
	}
	return violations;
}

function outboxesEmpty(run: ChaosRun): string[] {
	return run.devices.flatMap((d) => (d.outbox.length > 0 ? [`(3) ${d.name}: ${d.outbox.length} mutation(s) left in the outbox`] : []));
}

/** (4) Journal entries in the audit trail: seq 1..N, each accepted, no incident; the device journal empty. */
async function journalsGapless(run: ChaosRun): Promise<string[]> {
	const violations: string[] = [];
	for (const device of run.devices) {
		if (device.journal.length > 0) violations.push(`(4) ${device.name}: ${device.journal.length} journal entries never acknowledged`);
		const events = await run.db
			.select({ outcome: auditEvents.outcome, details: auditEvents.details })
			.from(auditEvents)
			.where(and(eq(auditEvents.deviceId, device.id), like(auditEvents.action, 'journal.%')))
			.orderBy(asc(auditEvents.id));
		const seqs = events.map((e) => (e.details as { seq: number }).seq);
		const expected = Array.from({ length: device.journalHead.seq }, (_, i) => i + 1);
		if (seqs.join() !== expected.join()) violations.push(`(4) ${device.name}: journal seqs in the audit trail [${seqs}], expected 1..${device.journalHead.seq}`);
		const bad = events.filter((e) => e.outcome !== 'success' || (e.details as { accepted?: boolean }).accepted !== true);
		if (bad.length > 0) violations.push(`(4) ${device.name}: ${bad.length} journal event(s) not accepted: ${JSON.stringify(bad.map((e) => e.details))}`);
		const [head] = await run.db.select({ lastSeq: journalHeads.lastSeq }).from(journalHeads).where(eq(journalHeads.deviceId, device.id));
		if ((head?.lastSeq ?? 0) !== device.journalHead.seq) violations.push(`(4) ${device.name}: server journal head ${head?.lastSeq}, device ${device.journalHead.seq}`);
	}
	return violations;
}

/**
 * After a clean sync the device is a faithful copy: the journal secret of its registration, and
 * for every case it holds, exactly the server's persons, visits and the notes it may see, at their versions.
 */
async function devicesConverged(run: ChaosRun): Promise<string[]> {
	const violations: string[] = [];
	for (const device of run.devices) {
		const [row] = await run.db.select({ secret: devices.journalSecret }).from(devices).where(eq(devices.id, device.id));
		if (row && device.secret !== row.secret) violations.push(`(5) ${device.name}: registered, but holds ${device.secret === null ? 'no' : 'another'} journal secret`);
		const held = device.heldCaseIds();
		if (held.length === 0) continue;
		const serverNotes = await run.db
			.select({ id: notes.id, version: notes.version })
			.from(notes)
			.where(and(inArray(notes.caseId, held), or(ne(notes.status, 'draft'), eq(notes.authorId, run.world.worker.id))));
		const serverPersons = await run.db.select({ id: persons.id, version: persons.version }).from(persons).where(inArray(persons.caseId, held));
		violations.push(...compareRows(device, 'notes', serverNotes, [...device.notes.values()]));
		violations.push(...compareRows(device, 'persons', serverPersons, [...device.persons.values()]));
		const serverVisits = await run.db.select({ id: visits.id, version: visits.version }).from(visits).where(inArray(visits.caseId, held));
		violations.push(...compareRows(device, 'visits', serverVisits, [...device.visits.values()]));
	}
	return violations;
}

function compareRows(device: ChaosDevice, table: string, server: { id: string; version: number }[], local: { id: string; version: number }[]): string[] {
	const key = (rows: { id: string; version: number }[]) => rows.map((r) => `${r.id}@${r.version}`).sort();
	const want = key(server);
	const have = key(local);
	if (want.join() === have.join()) return [];
	const missing = want.filter((k) => !have.includes(k));
	const extra = have.filter((k) => !want.includes(k));
	return [`(6) ${device.name}: ${table} differ from the server: missing [${missing}] extra [${extra}]`];
}

function tally(values: string[]): Map<string, number> {
	const counts = new Map<string, number>();
	for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
	return counts;
}
