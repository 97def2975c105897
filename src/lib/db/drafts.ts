import type { RecordFailure } from './quarantine';
import { openRows, sealValue } from './sealedTable';
import { requireDb } from './session';
import { draftsTable, type Draft } from './tables';
import { guardWrite } from './writeGuard';

/** Saves (creates or replaces) a local draft, encrypted. */
export async function saveDraft(draft: Draft): Promise<void> {
	const db = requireDb();
	const row = await sealValue(draftsTable, draft);
	await guardWrite(() => db.transaction('rw', [db.drafts], () => db.drafts.put(row)));
}

/** Drafts of one case, or of every case; newest first. */
export async function listDrafts(caseId?: string): Promise<{ items: Draft[]; failures: RecordFailure[] }> {
	const db = requireDb();
	const rows = caseId ? await db.drafts.where('caseId').equals(caseId).toArray() : await db.drafts.toArray();
	const opened = await openRows(draftsTable, rows);
	opened.items.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
	return opened;
}

export async function deleteDraft(draftId: string): Promise<void> {
	const db = requireDb();
	await db.transaction('rw', [db.drafts], () => db.drafts.delete(draftId));
}
