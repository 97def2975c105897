import { sql } from 'drizzle-orm';
import type { Database } from './client';
import {
	assignments,
	cases,
	delegations,
	notes,
	organisations,
	persons,
	teams,
	users,
	visits
} from './schema';
import { hashPassword } from '../auth/password';
import { appendAuditEvent } from '../audit/appendAuditEvent';
import * as texts from './demoTexts';
import type { MeasureType, NoteStatus, SensitiveCategory } from '../../src/lib/shared/domain';

/** Password of every demo account (demo mode only; printed in README.md). */
export const DEMO_PASSWORD = 'Carnet-Demo-2026!';

export const demoAccounts = [
	{ username: 'tisf.amelie', displayName: 'Amélie Roussel', role: 'worker', profession: 'TISF', team: 'AED Nord', habilitations: ['health'] },
	{ username: 'aed.bruno', displayName: 'Bruno Lemaire', role: 'worker', profession: 'Éducateur AED', team: 'AED Nord', habilitations: ['health', 'judicial'] },
	{ username: 'educ.chloe', displayName: 'Chloé Marchand', role: 'worker', profession: 'Éducatrice spécialisée', team: 'MECS Les Tilleuls', habilitations: ['health'] },
	{ username: 'chef.david', displayName: 'David Caron', role: 'lead', profession: 'Chef de service', team: 'AED Nord', habilitations: ['health', 'religion', 'origin', 'sexual_life', 'judicial'] },
	{ username: 'admin.eva', displayName: 'Eva Nguyen', role: 'admin', profession: 'Administratrice', team: null, habilitations: [] },
	{ username: 'dpo.farid', displayName: 'Farid Haddad', role: 'dpo', profession: 'Délégué à la protection des données', team: null, habilitations: [] },
	{ username: 'aed.gael', displayName: 'Gaël Fontaine', role: 'worker', profession: 'Éducateur AEMO', team: 'AED Sud', habilitations: ['judicial'] },
	{ username: 'chef.helene', displayName: 'Hélène Perrin', role: 'lead', profession: 'Cheffe de service', team: 'AED Sud', habilitations: ['health', 'judicial'] },
	{ username: 'tisf.ines', displayName: 'Inès Benali', role: 'worker', profession: 'TISF (prestataire)', team: 'TISF Prestataire', habilitations: [] },
	/** Not signed in for 120 days: the habilitation review must flag it. */
	{ username: 'aed.julien', displayName: 'Julien Masson', role: 'worker', profession: 'Éducateur AED', team: 'AED Sud', habilitations: [] }
] as const;

/** Deterministic pseudo-random numbers (mulberry32): the demo is the same on every machine. */
function prng(seed: number) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Seeds the demo organisation when the database has no user; returns counts, or null when it did nothing. */
export async function seedDemoIfEmpty(db: Database, now = new Date()): Promise<Record<string, number> | null> {
	return db.transaction(async (tx) => {
		// Two processes starting together must not both seed.
		await tx.execute(sql`select pg_advisory_xact_lock(${0x5eed_de30})`);
		const [{ count }] = await tx.select({ count: sql<number>`count(*)::int` }).from(users);
		if (count > 0) return null;
		return seedDemo(tx as unknown as Database, now);
	});
}

async function seedDemo(db: Database, now: Date): Promise<Record<string, number>> {
	const rand = prng(2026);
	const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
	const day = 86_400_000;
	const isoDate = (d: Date) => d.toISOString().slice(0, 10);
	// Visits at office hours (UTC, which is close enough to Paris time for a demo).
	const startOfDay = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());

	const [association] = await db.insert(organisations).values({ name: 'Association Demo', kind: 'association' }).returning();
	const [provider] = await db.insert(organisations).values({ name: 'Aide à domicile Demo (prestataire)', kind: 'provider' }).returning();
	const teamRows = await db
		.insert(teams)
		.values([
			{ organisationId: association.id, name: 'AED Nord' },
			{ organisationId: association.id, name: 'AED Sud' },
			{ organisationId: association.id, name: 'MECS Les Tilleuls' },
			{ organisationId: provider.id, name: 'TISF Prestataire' }
		])
		.returning();
	const teamId = (name: string | null) => (name ? teamRows.find((t) => t.name === name)!.id : null);

	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const userRows = await db
		.insert(users)
		.values(
			demoAccounts.map((a) => ({
				organisationId: a.username === 'tisf.ines' ? provider.id : association.id,
				teamId: teamId(a.team),
				username: a.username,
				displayName: a.displayName,
				role: a.role,
				profession: a.profession,
				passwordHash,
				habilitations: [...a.habilitations] as SensitiveCategory[],
				lastLoginAt: a.username === 'aed.julien' ? new Date(now.getTime() - 120 * day) : null,
				lastReviewAt: new Date(now.getTime() - 200 * day)
			}))
		)
		.returning();
	const userId = (username: string) => userRows.find((u) => u.username === username)!.id;

	// 60 cases: 24 in AED Nord, 18 in AED Sud, 18 in the MECS.
	const plan: { team: string; measures: MeasureType[]; count: number; prefix: string }[] = [
		{ team: 'AED Nord', measures: ['aed', 'aed', 'aemo', 'tisf', 'ip'], count: 24, prefix: 'AN' },
		{ team: 'AED Sud', measures: ['aed', 'aemo', 'aemo', 'tisf', 'ip'], count: 18, prefix: 'AS' },
		{ team: 'MECS Les Tilleuls', measures: ['placement', 'placement', 'placement', 'cjm'], count: 18, prefix: 'MT' }
	];
	const caseValues: (typeof cases.$inferInsert)[] = [];
	for (const p of plan) {
		for (let i = 0; i < p.count; i++) {
			const opened = new Date(now.getTime() - (60 + Math.floor(rand() * 900)) * day);
			caseValues.push({
				organisationId: association.id,
				teamId: teamId(p.team),
				reference: `${p.prefix}-${opened.getUTCFullYear()}-${String(i + 1).padStart(3, '0')}`,
				measureType: pick(p.measures),
				status: 'open',
				openedAt: isoDate(opened),
				lastContactAt: new Date(now.getTime() - Math.floor(rand() * 40) * day)
			});
		}
	}
	// Two closed cases whose last contact is old: retention has work to show.
	caseValues[22].status = 'closed';
	caseValues[22].closedAt = isoDate(new Date(now.getTime() - 800 * day));
	caseValues[22].lastContactAt = new Date(now.getTime() - 800 * day);
	caseValues[41].status = 'closed';
	caseValues[41].closedAt = isoDate(new Date(now.getTime() - 400 * day));
	caseValues[41].lastContactAt = new Date(now.getTime() - 400 * day);
	const caseRows = await db.insert(cases).values(caseValues).returning();
	const nord = caseRows.slice(0, 24);
	const sud = caseRows.slice(24, 42);
	const mecs = caseRows.slice(42, 60);

	// Assignments: every worker 8 to 15 cases; a few cases with no referent for the team view.
	const assignmentValues: (typeof assignments.$inferInsert)[] = [];
	const assign = (username: string, list: typeof caseRows, role: 'referent' | 'co_referent' | 'intervenant') => {
		for (const c of list) assignmentValues.push({ userId: userId(username), caseId: c.id, role, startsAt: new Date(c.openedAt), createdBy: userId('chef.david') });
	};
	assign('aed.bruno', nord.slice(0, 12), 'referent');
	assign('tisf.amelie', nord.slice(9, 12), 'intervenant');
	assign('tisf.amelie', nord.slice(12, 19), 'referent');
	assign('aed.gael', sud.slice(0, 12), 'referent');
	assign('aed.julien', sud.slice(10, 12), 'co_referent');
	assign('aed.julien', sud.slice(12, 18), 'referent');
	// The provider's TISF works on cases explicitly assigned to her, and on no other.
	assign('tisf.ines', sud.slice(0, 8), 'intervenant');
	assign('educ.chloe', mecs.slice(0, 11), 'referent');
	await db.insert(assignments).values(assignmentValues);

	// An expired delegation (the review must flag it).
	await db.insert(delegations).values({
		fromUserId: userId('aed.bruno'),
		toUserId: userId('tisf.amelie'),
		reason: 'Congés d’été de Bruno',
		startsAt: new Date(now.getTime() - 40 * day),
		endsAt: new Date(now.getTime() - 10 * day),
		createdBy: userId('chef.david')
	});

	// Persons, visits, notes.
	const personValues: (typeof persons.$inferInsert)[] = [];
	const visitValues: (typeof visits.$inferInsert)[] = [];
	const noteValues: (typeof notes.$inferInsert)[] = [];
	const referentOf = new Map<string, string>();
	for (const a of assignmentValues) if (!referentOf.has(a.caseId)) referentOf.set(a.caseId, a.userId);
	for (const c of caseRows) {
		const family = pick(texts.lastNames);
		const town = pick(texts.towns);
		const address = `${1 + Math.floor(rand() * 80)} ${pick(texts.streets)}, 99${String(Math.floor(rand() * 900) + 100)} ${town}`;
		const childCount = 1 + Math.floor(rand() * 2);
		const childNames: string[] = [];
		for (let k = 0; k < childCount; k++) {
			const age = c.measureType === 'cjm' ? 18 + Math.floor(rand() * 3) : 3 + Math.floor(rand() * 14);
			const first = pick(texts.childFirstNames);
			childNames.push(first);
			personValues.push({ caseId: c.id, role: 'child', firstName: first, lastName: family, birthDate: isoDate(new Date(now.getTime() - (age * 365 + Math.floor(rand() * 300)) * day)), address, relationship: k === 0 ? 'Enfant suivi' : 'Fratrie' });
		}
		// adultFirstNames alternates women's and men's names.
		const parentIndex = Math.floor(rand() * texts.adultFirstNames.length);
		const parentName = texts.adultFirstNames[parentIndex];
		personValues.push({ caseId: c.id, role: 'parent', firstName: parentName, lastName: family, address, phone: `01 99 00 ${String(Math.floor(rand() * 90) + 10)} ${String(Math.floor(rand() * 90) + 10)}`, email: `${parentName.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}.${family.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}@example.org`, relationship: parentIndex % 2 === 0 ? 'Mère' : 'Père' });
		if (rand() < 0.5) personValues.push({ caseId: c.id, role: 'entourage', firstName: pick(texts.adultFirstNames), lastName: pick(texts.lastNames), phone: `01 99 00 ${String(Math.floor(rand() * 90) + 10)} ${String(Math.floor(rand() * 90) + 10)}`, relationship: pick(['Grand-mère', 'Oncle', 'Voisine', 'Marraine']) });

		const worker = referentOf.get(c.id) ?? null;
		for (let v = 0; v < 2; v++) {
			const future = v === 0;
			visitValues.push({ caseId: c.id, userId: worker, plannedAt: new Date(startOfDay + (future ? 1 + Math.floor(rand() * 14) : -(3 + Math.floor(rand() * 20))) * day + (8 + Math.floor(rand() * 9)) * 3_600_000 + (rand() < 0.5 ? 1_800_000 : 0)), status: future ? 'planned' : 'done', place: pick(texts.visitPlaces), purpose: pick(texts.visitPurposes) });
		}
		if (!worker) continue;
		const noteCount = 2 + Math.floor(rand() * 4);
		for (let n = 0; n < noteCount; n++) {
			const sensitive = rand() < 0.12 ? pick(texts.sensitiveNotes) : null;
			const template = sensitive ? sensitive.text : pick(texts.ordinaryNotes);
			const body = template.replaceAll('{child}', pick(childNames)).replaceAll('{parent}', parentName);
			const written = new Date(now.getTime() - (2 + Math.floor(rand() * 60)) * day);
			const status: NoteStatus = n === 0 && rand() < 0.3 ? 'changes_requested' : rand() < 0.5 ? 'reviewed' : 'submitted';
			noteValues.push({ id: crypto.randomUUID(), caseId: c.id, authorId: worker, kind: pick(['visit_report', 'visit_report', 'observation', 'call', 'synthesis'] as const), body, sensitiveCategory: sensitive?.category ?? null, status, reviewComment: status === 'changes_requested' ? texts.reviewComments[1] : status === 'reviewed' && rand() < 0.3 ? texts.reviewComments[0] : null, reviewedBy: status === 'submitted' ? null : userId(c.teamId === teamId('AED Sud') ? 'chef.helene' : 'chef.david'), reviewedAt: status === 'submitted' ? null : new Date(written.getTime() + 2 * day), createdOnDeviceAt: written, receivedAt: new Date(written.getTime() + 3_600_000) });
		}
	}
	await db.insert(persons).values(personValues);
	await db.insert(visits).values(visitValues);
	for (let i = 0; i < noteValues.length; i += 200) await db.insert(notes).values(noteValues.slice(i, i + 200));

	const counts = { users: userRows.length, cases: caseRows.length, persons: personValues.length, notes: noteValues.length, visits: visitValues.length, assignments: assignmentValues.length };
	await appendAuditEvent(db, { action: 'demo.seed', details: counts }, now);
	return counts;
}
