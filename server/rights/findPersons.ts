import { and, asc, eq, ilike, ne, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { cases, persons } from '../db/schema';
import { appendAuditEvent } from '../audit/appendAuditEvent';
import type { UserRef } from '../policy/loadPolicySubject';

/**
 * The DPO looks a person up by name to answer a request: persons of the organisation's cases
 * (destroyed cases hold none). The search is audited with its result count, not the name typed.
 */
export async function findPersons(db: Database, user: UserRef & { organisationId: string }, query: string, now: Date) {
	const pattern = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
	const rows = await db
		.select({
			id: persons.id,
			firstName: persons.firstName,
			lastName: persons.lastName,
			role: persons.role,
			birthDate: persons.birthDate,
			frozen: sql<boolean>`${persons.frozenAt} is not null`,
			caseId: cases.id,
			caseReference: cases.reference,
			caseStatus: cases.status,
			measureType: cases.measureType
		})
		.from(persons)
		.innerJoin(cases, eq(cases.id, persons.caseId))
		.where(
			and(
				eq(cases.organisationId, user.organisationId),
				ne(cases.status, 'destroyed'),
				or(ilike(persons.lastName, pattern), ilike(persons.firstName, pattern), sql`(${persons.firstName} || ' ' || ${persons.lastName}) ilike ${pattern}`)
			)
		)
		.orderBy(asc(persons.lastName), asc(persons.firstName), asc(cases.reference))
		.limit(50);
	await appendAuditEvent(db, { action: 'rights.person.search', actorId: user.id, details: { results: rows.length } }, now);
	return rows;
}
