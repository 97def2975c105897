import type { Tombstone } from '$lib/shared/records';
import { notePacksChanged, notesMigrated, sealNotes, writeNotes } from './notePacks';
import { forgetOpenedValues } from './openedValues';
import { requireDb } from './session';

/**
 * Deletes cases and every row tied to them (persons, notes, visits, local drafts and queued
 * mutations), in one transaction: used when access is revoked. Journal entries stay, since
 * they must still reach the audit trail. Returns how much unsynced work was dropped, so the UI
 * can say so (access is gone: the server would refuse it anyway).
 */
export async function deleteCases(caseIds: string[]): Promise<{ droppedDrafts: number; droppedMutations: number }> {
	const db = requireDb();
	if (caseIds.length === 0) return { droppedDrafts: 0, droppedMutations: 0 };
	const dropped = await db.transaction('rw', [db.cases, db.persons, db.notePacks, db.notes, db.visits, db.drafts, db.outbox, db.meta], async () => {
		await db.cases.bulkDelete(caseIds);
		await db.persons.where('caseId').anyOf(caseIds).delete();
		await db.notePacks.where('caseId').anyOf(caseIds).delete();
		await notePacksChanged();
		await db.notes.where('caseId').anyOf(caseIds).delete(); // a version-1 store's, not yet moved into packs
		await db.visits.where('caseId').anyOf(caseIds).delete();
		const droppedDrafts = await db.drafts.where('caseId').anyOf(caseIds).delete();
		const droppedMutations = await db.outbox.where('caseId').anyOf(caseIds).delete();
		return { droppedDrafts, droppedMutations };
	});
	// Values of revoked cases leave this tab's memory with their rows (all values go: this is
	// rare). After the commit, so that a listing which read the rows before it is forgotten too.
	forgetOpenedValues();
	return dropped;
}

/**
 * Applies the deletions of a pull page: a case tombstone removes the whole case; a note's
 * removes it from its pack (the pack's other notes are sealed again, `notePacks.ts`).
 */
export async function applyTombstones(tombstones: Tombstone[]): Promise<void> {
	const db = requireDb();
	await notesMigrated();
	const ids = (entity: Tombstone['entity']) => tombstones.filter((t) => t.entity === entity).map((t) => t.id);
	await writeNotes(await sealNotes([], ids('note')), (applyNotes) =>
		db.transaction('rw', [db.cases, db.persons, db.notePacks, db.notes, db.visits, db.drafts, db.outbox, db.meta], async () => {
			if (!(await applyNotes())) return false;
			await deleteCases(ids('case'));
			await db.persons.bulkDelete(ids('person'));
			await db.visits.bulkDelete(ids('visit'));
			return true;
		})
	);
	forgetOpenedValues();
}
