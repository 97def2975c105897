import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../server/db/client';
import {
	assignments,
	cases,
	delegations,
	devices,
	emergencyGrants,
	journalHeads,
	notes,
	organisations,
	persons,
	rightsRequests,
	teams,
	users,
	visits
} from '../../server/db/schema';
import { seedDemoIfEmpty } from '../../server/db/seedDemo';
import type { SessionUser } from '../../server/auth/session';
import { generateJournalSecret } from '../../server/sync/registerDevice';
import { JOURNAL_GENESIS_MAC } from '../../src/lib/shared/sync';
import { loadSessionUser } from './testCaller';

/**
 * The world the authorization fuzz plays in: the demo seed plus what makes refusals
 * interesting: a case of another organisation (the provider's), an archived case, a disabled
 * account with a stale session, an account that must change its password, a provider DPO, an
 * active suppléance, an active emergency grant, a restricted (sensitive) note, registered and
 * revoked devices, rights requests of both organisations.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const fixtureUsernames = ['tisf.disabled', 'aed.nouveau', 'dpo.prestataire'] as const;

export async function prepareFuzzWorld(db: Database, now: Date): Promise<void> {
	await seedDemoIfEmpty(db, now);
	const user = async (username: string) => (await db.select().from(users).where(eq(users.username, username)))[0];
	const amelie = await user('tisf.amelie');
	const ines = await user('tisf.ines');
	const gael = await user('aed.gael');
	const chloe = await user('educ.chloe');
	const david = await user('chef.david');
	const [provider] = await db.select().from(organisations).where(eq(organisations.id, ines.organisationId));
	const [providerTeam] = await db.select().from(teams).where(eq(teams.id, ines.teamId!));
	const [sud] = await db.select().from(teams).where(eq(teams.name, 'AED Sud'));

	// Accounts: a disabled worker (stale session), one who must change the password, the provider's DPO.
	const account = (username: string, values: Partial<typeof users.$inferInsert>) =>
		db
			.insert(users)
			.values({ ...amelie, id: undefined, version: undefined, username, displayName: `Compte ${username}`, ...values })
			.returning()
			.then((rows) => rows[0]);
	const disabled = await account('tisf.disabled', { disabledAt: new Date(now.getTime() - HOUR) });
	const nouveau = await account('aed.nouveau', { mustChangePassword: true });
	await account('dpo.prestataire', { role: 'dpo', organisationId: provider.id, teamId: null, habilitations: [] });

	const amelieCases = await db.select({ caseId: assignments.caseId }).from(assignments).where(eq(assignments.userId, amelie.id));
	const someCase = amelieCases[0].caseId;
	await db.insert(assignments).values([
		{ userId: disabled.id, caseId: someCase, role: 'intervenant', startsAt: new Date(now.getTime() - 30 * DAY) },
		{ userId: nouveau.id, caseId: amelieCases[1].caseId, role: 'intervenant', startsAt: new Date(now.getTime() - 30 * DAY) }
	]);

	// A case of the provider organisation, with content: no one of the association may see it.
	const [foreign] = await db
		.insert(cases)
		.values({ organisationId: provider.id, teamId: providerTeam.id, reference: 'PR-2025-001', measureType: 'tisf', status: 'open', openedAt: '2025-03-01', lastContactAt: new Date(now.getTime() - 5 * DAY) })
		.returning();
	await insertContent(db, foreign.id, ines.id, 'Prestataire', now);
	await db.insert(assignments).values({ userId: ines.id, caseId: foreign.id, role: 'referent', startsAt: new Date(now.getTime() - 100 * DAY) });

	// An archived case of AED Nord: only the DPO may reach it, through a logged reading.
	const [archived] = await db
		.insert(cases)
		.values({ organisationId: amelie.organisationId, teamId: amelie.teamId, reference: 'AN-2015-900', measureType: 'aed', status: 'archived', openedAt: '2015-01-05', closedAt: '2017-06-30', lastContactAt: new Date('2017-06-30T10:00:00Z'), archivedAt: new Date(now.getTime() - 200 * DAY) })
		.returning();
	await insertContent(db, archived.id, amelie.id, 'Archive', now);
	await db.insert(assignments).values({ userId: amelie.id, caseId: archived.id, role: 'referent', startsAt: new Date('2015-01-05T00:00:00Z') });

	// A restricted note on Amélie's caseload in a category she is not habilitated for.
	await db.insert(notes).values({ id: crypto.randomUUID(), caseId: someCase, authorId: david.id, kind: 'synthesis', body: 'Note réservée : pratique religieuse évoquée par la famille lors de l’entretien.', sensitiveCategory: 'religion', createdOnDeviceAt: new Date(now.getTime() - 2 * DAY) });

	// Suppléance: Gaël covers Amélie now; an emergency grant: Chloé on a case of AED Sud.
	await db.insert(delegations).values({ fromUserId: amelie.id, toUserId: gael.id, reason: 'Arrêt maladie', startsAt: new Date(now.getTime() - HOUR), endsAt: new Date(now.getTime() + 2 * DAY), createdBy: david.id });
	const [sudCase] = await db.select({ id: cases.id }).from(cases).where(eq(cases.teamId, sud.id)).orderBy(cases.reference).limit(1).offset(15);
	await db.insert(emergencyGrants).values({ userId: chloe.id, caseId: sudCase.id, reason: 'Appel du commissariat, référent absent', grantedAt: new Date(now.getTime() - 30 * 60_000), expiresAt: new Date(now.getTime() + 90 * 60_000), createdBy: chloe.id });

	// Devices: one registered for every field account, and a revoked one for Amélie.
	const field = await db.select({ id: users.id, username: users.username }).from(users).where(sql`${users.role} in ('worker', 'lead')`);
	for (const u of field) {
		await registerDirectly(db, u.id, `Tablette de ${u.username}`, now, null);
		if (u.username === 'tisf.amelie') await registerDirectly(db, u.id, 'Tablette perdue', now, new Date(now.getTime() - DAY));
	}

	// Rights requests of both organisations.
	await db.insert(rightsRequests).values([
		{ kind: 'access', requesterName: 'Demandeur Association', receivedAt: '2026-11-01', dueAt: '2026-12-01', personId: (await db.select({ id: persons.id }).from(persons).where(eq(persons.caseId, someCase)).limit(1))[0].id },
		{ kind: 'rectification', requesterName: 'Demandeur Prestataire', receivedAt: '2026-11-02', dueAt: '2026-12-02', personId: (await db.select({ id: persons.id }).from(persons).where(eq(persons.caseId, foreign.id)).limit(1))[0].id }
	]);
}

async function insertContent(db: Database, caseId: string, authorId: string, family: string, now: Date) {
	await db.insert(persons).values([
		{ caseId, role: 'child', firstName: 'Maëlys', lastName: `${family}-Vautrin`, birthDate: '2014-04-02', address: `7 impasse des ${family}s, 99420 Brumeville` },
		{ caseId, role: 'parent', firstName: 'Séverine', lastName: `${family}-Vautrin`, phone: '01 99 42 42 42', email: `severine.${family.toLowerCase()}@example.org` }
	]);
	await db.insert(notes).values([
		{ id: crypto.randomUUID(), caseId, authorId, kind: 'observation', body: `Observation ${family} : Maëlys a repris le chemin de l’école, la mère reste fatiguée.`, createdOnDeviceAt: new Date(now.getTime() - 3 * DAY) },
		{ id: crypto.randomUUID(), caseId, authorId, kind: 'incident', body: `Incident ${family} : suivi judiciaire en cours, audience prévue.`, sensitiveCategory: 'judicial', createdOnDeviceAt: new Date(now.getTime() - 2 * DAY) }
	]);
	await db.insert(visits).values({ caseId, userId: authorId, plannedAt: new Date(now.getTime() + 2 * DAY), status: 'planned', place: `Domicile ${family}`, purpose: `Point ${family} avec la mère` });
}

async function registerDirectly(db: Database, userId: string, label: string, now: Date, revokedAt: Date | null) {
	const id = crypto.randomUUID();
	await db.insert(devices).values({ id, userId, label, journalSecret: generateJournalSecret(), createdAt: now, lastSeenAt: now, revokedAt });
	await db.insert(journalHeads).values({ deviceId: id, lastSeq: 0, lastMac: JOURNAL_GENESIS_MAC, updatedAt: now });
}

/** Every kind of id a procedure may take, as the fuzz names them. */
export const idKinds = ['case', 'person', 'note', 'visit', 'user', 'device', 'team', 'organisation', 'delegation', 'grant', 'assignment', 'rightsRequest'] as const;
export type IdKind = (typeof idKinds)[number];

/** Ids and strings the input generators draw from. `own` holds what belongs to one caller. */
export interface IdPools {
	byKind: Record<IdKind, string[]>;
	own: Partial<Record<IdKind, string[]>>;
	references: string[];
	usernames: string[];
	personNames: string[];
}

export async function loadIdPools(db: Database): Promise<IdPools> {
	const ids = async (table: { id: unknown }) => (await db.select({ id: (table as typeof cases).id }).from(table as typeof cases)).map((r) => r.id);
	const byKind: Record<IdKind, string[]> = {
		case: await ids(cases),
		person: await ids(persons),
		note: await ids(notes),
		visit: await ids(visits),
		user: await ids(users),
		device: await ids(devices),
		team: await ids(teams),
		organisation: await ids(organisations),
		delegation: await ids(delegations),
		grant: await ids(emergencyGrants),
		assignment: await ids(assignments),
		rightsRequest: await ids(rightsRequests)
	};
	return {
		byKind,
		own: {},
		references: (await db.select({ r: cases.reference }).from(cases)).map((r) => r.r),
		usernames: (await db.select({ u: users.username }).from(users)).map((r) => r.u),
		personNames: (await db.select({ n: persons.lastName }).from(persons)).map((r) => r.n)
	};
}

/** A caller of the fuzz: a database account (with its session as loaded now) or anonymous. */
export interface FuzzSubject {
	label: string;
	user: SessionUser | null;
	pools: IdPools;
}

export async function loadSubjects(db: Database, pools: IdPools): Promise<FuzzSubject[]> {
	const rows = await db.select({ username: users.username }).from(users).orderBy(users.username);
	const subjects: FuzzSubject[] = [{ label: 'anonymous', user: null, pools }];
	for (const { username } of rows) {
		const user = await loadSessionUser(db, username);
		const own = {
			device: (await db.select({ id: devices.id }).from(devices).where(eq(devices.userId, user.id))).map((r) => r.id),
			note: (await db.select({ id: notes.id }).from(notes).where(eq(notes.authorId, user.id))).map((r) => r.id),
			case: (await db.select({ id: assignments.caseId }).from(assignments).where(eq(assignments.userId, user.id))).map((r) => r.id)
		};
		subjects.push({ label: `${username} (${user.role})`, user, pools: { ...pools, own } });
	}
	return subjects;
}
