import type { CaseAccess, CaseRecord, NoteRecord, PersonRecord, Tombstone, VisitRecord } from '../../src/lib/shared/records';
import type { PackedRecord, PullOutput } from '../../src/lib/shared/sync';
import type { FramedPullOutput, FramedRecord } from '../../src/lib/shared/pullFrame';
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

/** A record's clear fields and its UTF-8 JSON: what the device encrypts as it is. */
export function framedRecord(record: { id: string; caseId?: string; version: number }): FramedRecord {
	const json = Buffer.from(JSON.stringify(record), 'utf8');
	return { id: record.id, caseId: record.caseId ?? record.id, version: record.version, json: new Uint8Array(json.buffer as ArrayBuffer, json.byteOffset, json.length) };
}

/**
 * The packed form of a pull answer (`packed: true`): each record becomes its clear fields and
 * the base64 of its UTF-8 JSON, which the device encrypts as it is. Call it on an answer that
 * went through pullOutputSchema (so that every record holds the wire fields and nothing else).
 */
export function packPullOutput(output: PullOutput): PullOutput {
	if (output.wipe) return output;
	return withPackedRecords(output, (record): PackedRecord => {
		const { json, ...fields } = framedRecord(record);
		return { ...fields, json: Buffer.from(json.buffer, json.byteOffset, json.length).toString('base64') };
	});
}

/**
 * The same answer for a binary frame (src/lib/shared/pullFrame.ts): the records' JSON as bytes.
 * Same precondition as packPullOutput.
 */
export function framePullOutput(output: PullOutput): FramedPullOutput {
	if (output.wipe) return output;
	return withPackedRecords(output, framedRecord);
}

/** The page with its four record arrays emptied and their records, packed by `pack`, under `packed`. */
function withPackedRecords<R>(output: Extract<PullOutput, { wipe: false }>, pack: (record: { id: string; caseId?: string; version: number }) => R) {
	const { packed: _previous, ...page } = output;
	return {
		...page,
		cases: [],
		persons: [],
		notes: [],
		visits: [],
		packed: { cases: output.cases.map(pack), persons: output.persons.map(pack), notes: output.notes.map(pack), visits: output.visits.map(pack) }
	};
}
