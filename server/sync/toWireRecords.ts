import type { CaseAccess, CaseRecord, NoteRecord, PersonRecord, Tombstone, VisitRecord } from '../../src/lib/shared/records';
import type { SensitiveCategory } from '../../src/lib/shared/domain';
import { noteBodyFor } from '../policy/noteBodyFor';
import type { CaseRow, NoteRow, PersonRow, TombstoneRow, VisitRow } from './readCaseRows';

/** Server rows to the records of the wire contract (src/lib/shared/records.ts): dates as ISO strings. */

export function toCaseRecord(row: CaseRow, access: CaseAccess): CaseRecord {
	return {
		id: row.id,
		reference: row.reference,
		measureType: row.measureType,
		status: row.status,
		teamId: row.teamId,
		openedAt: row.openedAt,
		closedAt: row.closedAt,
		lastContactAt: row.lastContactAt?.toISOString() ?? null,
		access,
		version: row.version
	};
}

export function toPersonRecord(row: PersonRow): PersonRecord {
	const { frozenAt, ...rest } = row;
	return { ...rest, frozen: frozenAt !== null };
}

export function toNoteRecord(row: NoteRow, habilitations: readonly SensitiveCategory[]): NoteRecord {
	return {
		id: row.id,
		caseId: row.caseId,
		authorId: row.authorId,
		authorName: row.authorName,
		kind: row.kind,
		...noteBodyFor(habilitations, row),
		sensitiveCategory: row.sensitiveCategory,
		status: row.status,
		reviewComment: row.reviewComment,
		visitId: row.visitId,
		conflictOf: row.conflictOf,
		createdOnDeviceAt: row.createdOnDeviceAt.toISOString(),
		receivedAt: row.receivedAt.toISOString(),
		version: row.version
	};
}

export function toVisitRecord(row: VisitRow): VisitRecord {
	return { ...row, plannedAt: row.plannedAt.toISOString() };
}

export function toTombstone(row: TombstoneRow): Tombstone {
	return row;
}
