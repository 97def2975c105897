import { eq } from 'drizzle-orm';
import type { Database } from '../../server/db/client';
import { assignments, cases, noteRevisions, notes, persons, teams, users, visits } from '../../server/db/schema';
import type { MeasureType } from '../../src/lib/shared/domain';

/** Helpers of the DPO suites (retention, rights, audit): cases with known dates and content. */

export async function teamId(db: Database, name: string): Promise<string> {
	const [row] = await db.select({ id: teams.id, organisationId: teams.organisationId }).from(teams).where(eq(teams.name, name));
	return row.id;
}

export async function organisationOf(db: Database, username: string): Promise<string> {
	const [row] = await db.select({ organisationId: users.organisationId }).from(users).where(eq(users.username, username));
	return row.organisationId;
}

/**
 * A closed case of aed.bruno's team, assigned to him, with two persons, two notes (one with an
 * earlier revision) and a visit. `closedAt` and `lastContactAt` are what the rules read.
 */
export async function insertClosedCase(
	db: Database,
	input: { reference: string; measureType: MeasureType; closedAt: string; lastContactAt: Date | null; status?: 'open' | 'closed' }
) {
	const [bruno] = await db.select({ id: users.id, organisationId: users.organisationId, teamId: users.teamId }).from(users).where(eq(users.username, 'aed.bruno'));
	const [row] = await db
		.insert(cases)
		.values({
			organisationId: bruno.organisationId,
			teamId: bruno.teamId,
			reference: input.reference,
			measureType: input.measureType,
			status: input.status ?? 'closed',
			openedAt: '2019-01-01',
			closedAt: input.status === 'open' ? null : input.closedAt,
			lastContactAt: input.lastContactAt
		})
		.returning({ id: cases.id });
	const caseId = row.id;
	await db.insert(assignments).values({ userId: bruno.id, caseId, role: 'referent', startsAt: new Date('2019-01-01T00:00:00Z') });
	const personRows = await db
		.insert(persons)
		.values([
			{ caseId, role: 'child', firstName: 'Zoé', lastName: `Testeuse-${input.reference}`, birthDate: '2012-05-04', address: `3 rue du Test ${input.reference}`, relationship: 'Enfant suivi' },
			{ caseId, role: 'parent', firstName: 'Yann', lastName: `Testeuse-${input.reference}`, phone: `01 99 77 ${input.reference.slice(-2)} 11`, email: `yann.${input.reference.toLowerCase()}@example.org`, relationship: 'Père' }
		])
		.returning({ id: persons.id, role: persons.role });
	const noteIds = [crypto.randomUUID(), crypto.randomUUID()];
	await db.insert(notes).values(
		noteIds.map((id, i) => ({
			id,
			caseId,
			authorId: bruno.id,
			kind: 'observation' as const,
			body: `Note ${i + 1} du dossier ${input.reference}`,
			revision: i === 0 ? 2 : 1,
			createdOnDeviceAt: new Date('2020-03-01T10:00:00Z'),
			receivedAt: new Date('2020-03-01T11:00:00Z')
		}))
	);
	await db.insert(noteRevisions).values({ noteId: noteIds[0], revision: 1, body: `Première version ${input.reference}`, kind: 'observation', authorId: bruno.id });
	const [visit] = await db
		.insert(visits)
		.values({ caseId, userId: bruno.id, plannedAt: new Date('2020-02-01T09:00:00Z'), status: 'done', place: 'Domicile', purpose: 'Point mensuel' })
		.returning({ id: visits.id });
	return {
		caseId,
		childId: personRows.find((p) => p.role === 'child')!.id,
		parentId: personRows.find((p) => p.role === 'parent')!.id,
		personIds: personRows.map((p) => p.id),
		noteIds,
		visitIds: [visit.id]
	};
}
