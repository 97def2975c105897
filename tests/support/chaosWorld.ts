import { sql } from 'drizzle-orm';
import type { Database } from '../../server/db/client';
import { assignments, cases, organisations, persons, teams, users, visits } from '../../server/db/schema';
import type { SessionUser } from '../../server/auth/session';

/**
 * The small world of the sync chaos suite: one organisation, one team, a worker with two
 * devices, a colleague, their lead, four cases. Every execution gets fresh ids (so that audit
 * events left by earlier executions, which are append-only and never truncated, name other
 * users and devices), built from a per-execution prefix and a counter: the ids of one execution
 * sort in creation order, so the server's id-sorted lists come out the same on a replay.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Deterministic UUIDs (version 4 layout) of one execution. */
export class ChaosIds {
	#next = 0;
	constructor(private readonly execution: number) {}
	next(): string {
		const counter = (this.#next++).toString(16).padStart(12, '0');
		return `${this.execution.toString(16).padStart(8, '0')}-0000-4000-8000-${counter}`;
	}
}

export interface ChaosCase {
	id: string;
	reference: string;
	personIds: string[];
}

export interface ChaosWorld {
	organisationId: string;
	teamId: string;
	worker: SessionUser;
	colleague: SessionUser;
	lead: SessionUser;
	/**
	 * 0, 1: the worker's (referent); 2: the colleague's (covered through a suppléance);
	 * 3: the worker's, closed, its active period ending a few days after the start (a retention
	 * run then archives it).
	 */
	cases: ChaosCase[];
}

/**
 * Empties everything runs wrote, except the append-only audit trail. Runs do not need it (each
 * has its own ids); it only keeps the tables small, so call it every few dozen runs: a
 * TRUNCATE costs about 200 ms on PostgreSQL.
 */
export async function resetChaosDatabase(db: Database): Promise<void> {
	await db.execute(sql`truncate table organisations, applied_mutations, tombstones, job_runs cascade`);
}

export async function createChaosWorld(db: Database, ids: ChaosIds, now: Date): Promise<ChaosWorld> {
	const organisationId = ids.next();
	const teamId = ids.next();
	const tag = organisationId.slice(0, 8);
	await db.insert(organisations).values({ id: organisationId, name: `Chaos ${tag}`, kind: 'association' });
	await db.insert(teams).values({ id: teamId, organisationId, name: `Équipe ${tag}` });

	const person = (username: string, role: 'worker' | 'lead', displayName: string): SessionUser => ({
		id: ids.next(),
		organisationId,
		teamId,
		username: `${username}.${tag}`,
		displayName,
		role,
		profession: role === 'lead' ? 'chef de service' : 'TISF',
		mustChangePassword: false,
		habilitations: []
	});
	const worker = person('tisf', 'worker', 'Travailleuse');
	const colleague = person('aed', 'worker', 'Collègue');
	const lead = person('chef', 'lead', 'Cheffe');
	await db.insert(users).values(
		[worker, colleague, lead].map((u) => ({
			id: u.id,
			organisationId,
			teamId,
			username: u.username,
			displayName: u.displayName,
			role: u.role,
			profession: u.profession,
			passwordHash: 'not-a-hash'
		}))
	);

	const lastContact = new Date(now.getTime() - 2 * DAY);
	// Social follow-up: archived 24 months after the last contact, here 3 days after the start.
	const retiringContact = new Date(now.getTime() + 3 * DAY);
	retiringContact.setUTCFullYear(retiringContact.getUTCFullYear() - 2);
	const specs = [
		{ status: 'open' as const, contact: lastContact, closedAt: null },
		{ status: 'open' as const, contact: lastContact, closedAt: null },
		{ status: 'open' as const, contact: lastContact, closedAt: null },
		{ status: 'closed' as const, contact: retiringContact, closedAt: retiringContact.toISOString().slice(0, 10) }
	];
	const chaosCases: ChaosCase[] = [];
	for (const [i, spec] of specs.entries()) {
		const id = ids.next();
		const reference = `CH-${tag}-${i}`;
		await db.insert(cases).values({
			id,
			organisationId,
			teamId,
			reference,
			measureType: 'aed',
			status: spec.status,
			openedAt: '2024-01-15',
			closedAt: spec.closedAt,
			lastContactAt: spec.contact
		});
		const personIds = [ids.next(), ids.next()];
		await db.insert(persons).values([
			{ id: personIds[0], caseId: id, role: 'child', firstName: 'Enfant', lastName: `Fictif ${i}`, birthDate: '2015-05-01' },
			{ id: personIds[1], caseId: id, role: 'parent', firstName: 'Parent', lastName: `Fictif ${i}` }
		]);
		await db.insert(visits).values({ id: ids.next(), caseId: id, userId: worker.id, plannedAt: new Date(now.getTime() - DAY), place: 'Domicile', purpose: 'Visite' });
		chaosCases.push({ id, reference, personIds });
	}
	const since = new Date(now.getTime() - 30 * DAY);
	await db.insert(assignments).values([
		{ id: ids.next(), userId: worker.id, caseId: chaosCases[0].id, role: 'referent', startsAt: since },
		{ id: ids.next(), userId: worker.id, caseId: chaosCases[1].id, role: 'referent', startsAt: since },
		{ id: ids.next(), userId: colleague.id, caseId: chaosCases[1].id, role: 'co_referent', startsAt: since },
		{ id: ids.next(), userId: colleague.id, caseId: chaosCases[2].id, role: 'referent', startsAt: since },
		{ id: ids.next(), userId: worker.id, caseId: chaosCases[3].id, role: 'referent', startsAt: since }
	]);
	return { organisationId, teamId, worker, colleague, lead, cases: chaosCases };
}
