import { sql } from 'drizzle-orm';
import type { Database } from '../../server/db/client';
import {
	appliedMutations,
	assignments,
	cases,
	delegations,
	devices,
	emergencyGrants,
	noteRevisions,
	notes,
	persons,
	rightsRequests,
	users,
	visits
} from '../../server/db/schema';
import { administeredOrganisationIds } from '../../server/policy/adminScope';
import { allowedCaseIds } from '../../server/policy/allowedCaseIds';
import { leadTeamMemberIds } from '../../server/policy/leadScope';
import { loadPolicySubject, type PolicySubject } from '../../server/policy/loadPolicySubject';
import type { SensitiveCategory } from '../../src/lib/shared/domain';
import type { IdKind } from './fuzzWorld';

/**
 * What a caller may see, per server/policy, and what the world holds, so that every successful
 * answer of the fuzz can be searched for data of a case outside the caller's need-to-know.
 *
 * Visibility has three levels per case:
 *  - `idCases`: the case id, its reference, and the ids of its rows may appear;
 *  - `personNameCases` / `personFieldCases`: a person's name / address, phone, e-mail may appear;
 *  - `contentCases`: everything (names, contact details, note bodies, visits), except the bodies
 *    of sensitive notes outside the caller's habilitations.
 * The exceptions per role and procedure are in `visibilityFor`.
 */

export interface CaseFacts {
	id: string;
	organisationId: string;
	status: string;
	reference: string;
	rowIds: string[];
	personNames: string[];
	personFields: string[];
	notes: { body: string; category: SensitiveCategory | null }[];
	visitTexts: string[];
}

/** The world at one version of the sync sequence (every write of a case row, user, assignment… bumps it). */
export interface WorldIndex {
	stamp: string;
	cases: Map<string, CaseFacts>;
	caseOf: Map<string, string>;
	userOrganisation: Map<string, string>;
	deviceOwner: Map<string, string>;
	delegationFrom: Map<string, string>;
	requestCreator: Map<string, string | null>;
	assignmentHolders: { userId: string; caseId: string }[];
	grants: { userId: string; caseId: string; expiresAt: Date }[];
	/** Audit events by actor organisation: cases each organisation's users touched (ids only). */
	casesTouchedBy: Map<string, Set<string>>;
}

export async function worldStamp(db: Database): Promise<string> {
	// The accounts' state too: a password reset or a disabled account changes what its holder sees.
	const result = await db.execute(sql`select last_value::text as v, (select count(*) from applied_mutations)::text as m, (select count(*) from rights_requests)::text as r, (select count(*) from devices where revoked_at is not null)::text as d,
		(select md5(string_agg(id::text || ':' || must_change_password::text || ':' || coalesce(disabled_at::text, '') || ':' || role::text || ':' || habilitations::text, ',' order by id)) from users) as u from sync_version`);
	const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { v: string; m: string; r: string; d: string; u: string }[];
	return `${rows[0].v}/${rows[0].m}/${rows[0].r}/${rows[0].d}/${rows[0].u}`;
}

export async function loadWorldIndex(db: Database): Promise<WorldIndex> {
	const stamp = await worldStamp(db);
	const caseRows = await db.select({ id: cases.id, organisationId: cases.organisationId, status: cases.status, reference: cases.reference }).from(cases);
	const facts = new Map<string, CaseFacts>(
		caseRows.map((c) => [c.id, { ...c, rowIds: [], personNames: [], personFields: [], notes: [], visitTexts: [] }])
	);
	const caseOf = new Map<string, string>();
	for (const p of await db.select().from(persons)) {
		const f = facts.get(p.caseId)!;
		f.rowIds.push(p.id);
		caseOf.set(p.id, p.caseId);
		f.personNames.push(`${p.firstName} ${p.lastName}`);
		for (const v of [p.address, p.phone, p.email]) if (v) f.personFields.push(v);
	}
	const noteCategory = new Map<string, { caseId: string; category: SensitiveCategory | null }>();
	for (const n of await db.select({ id: notes.id, caseId: notes.caseId, body: notes.body, category: notes.sensitiveCategory }).from(notes)) {
		const f = facts.get(n.caseId)!;
		f.rowIds.push(n.id);
		caseOf.set(n.id, n.caseId);
		f.notes.push({ body: n.body, category: n.category });
		noteCategory.set(n.id, { caseId: n.caseId, category: n.category });
	}
	for (const r of await db.select({ noteId: noteRevisions.noteId, body: noteRevisions.body, category: noteRevisions.sensitiveCategory }).from(noteRevisions)) {
		const note = noteCategory.get(r.noteId);
		if (note) facts.get(note.caseId)!.notes.push({ body: r.body, category: r.category });
	}
	const visitRows = await db.select({ id: visits.id, caseId: visits.caseId, place: visits.place, purpose: visits.purpose }).from(visits);
	// Visit places and purposes come from short generic lists: only a text of one case identifies it.
	const textCases = new Map<string, Set<string>>();
	for (const v of visitRows) for (const t of [v.place, v.purpose]) if (t) textCases.set(t, (textCases.get(t) ?? new Set()).add(v.caseId));
	for (const v of visitRows) {
		const f = facts.get(v.caseId)!;
		f.rowIds.push(v.id);
		caseOf.set(v.id, v.caseId);
		for (const t of [v.place, v.purpose]) if (t && textCases.get(t)!.size === 1) f.visitTexts.push(t);
	}
	const assignmentRows = await db.select({ id: assignments.id, userId: assignments.userId, caseId: assignments.caseId }).from(assignments);
	for (const a of assignmentRows) caseOf.set(a.id, a.caseId);
	const grantRows = await db.select({ id: emergencyGrants.id, userId: emergencyGrants.userId, caseId: emergencyGrants.caseId, expiresAt: emergencyGrants.expiresAt }).from(emergencyGrants);
	for (const g of grantRows) caseOf.set(g.id, g.caseId);
	const userRows = await db.select({ id: users.id, organisationId: users.organisationId }).from(users);
	const touched = await db.execute(sql`
		select u.organisation_id as org, e.case_id::text as case_id from audit_events e join users u on u.id = e.actor_id where e.case_id is not null
		union
		select u.organisation_id, jsonb_array_elements_text(e.details -> 'caseIds') from audit_events e join users u on u.id = e.actor_id where jsonb_typeof(e.details -> 'caseIds') = 'array'`);
	const casesTouchedBy = new Map<string, Set<string>>();
	for (const row of (Array.isArray(touched) ? touched : (touched as { rows: unknown[] }).rows) as { org: string; case_id: string }[]) {
		casesTouchedBy.set(row.org, (casesTouchedBy.get(row.org) ?? new Set()).add(row.case_id));
	}
	return {
		stamp,
		cases: facts,
		caseOf,
		userOrganisation: new Map(userRows.map((u) => [u.id, u.organisationId])),
		deviceOwner: new Map((await db.select({ id: devices.id, userId: devices.userId }).from(devices)).map((d) => [d.id, d.userId])),
		delegationFrom: new Map((await db.select({ id: delegations.id, from: delegations.fromUserId }).from(delegations)).map((d) => [d.id, d.from])),
		requestCreator: new Map((await db.select({ id: rightsRequests.id, by: rightsRequests.createdBy }).from(rightsRequests)).map((r) => [r.id, r.by])),
		assignmentHolders: assignmentRows,
		grants: grantRows,
		casesTouchedBy
	};
}

export async function loadMutationOwners(db: Database): Promise<Map<string, string>> {
	return new Map((await db.select({ id: appliedMutations.id, userId: appliedMutations.userId }).from(appliedMutations)).map((m) => [m.id, m.userId]));
}

export interface Visibility {
	subject: PolicySubject | null;
	idCases: Set<string>;
	personNameCases: Set<string>;
	personFieldCases: Set<string>;
	contentCases: Set<string>;
	habilitations: readonly SensitiveCategory[];
	/** Why the exceptions apply, for failure messages. */
	rule: string;
}

const none = (subject: PolicySubject | null, rule: string): Visibility => ({
	subject,
	idCases: new Set(),
	personNameCases: new Set(),
	personFieldCases: new Set(),
	contentCases: new Set(),
	habilitations: [],
	rule
});

/**
 * The caller's visibility for one call of `path` with `input`, at `now`, from server/policy and
 * the database (never the session). Per role:
 *  - nobody signed in, a disabled account, an account that must change its password: nothing;
 *  - worker: the cases `allowedCaseIds(read)` gives (assignments, suppléances, emergency grants);
 *  - lead: the same (their team included); plus the ids and references of the cases of emergency
 *    grants to members of their team (the lead is told of every grant: lead.emergencyGrants);
 *  - admin: ids and references of `allowedCaseIds(administer)` (their organisation's live cases),
 *    never a person, a note or a visit;
 *  - DPO: ids and references of `allowedCaseIds(audit)`; person names of those cases in
 *    dpo.rights.findPersons and dpo.rights.list (to find the person a request is about);
 *    everything of one case only through dpo.rights.exportPerson (the person's case) and
 *    dpo.retention.readArchivedCase (the archived case read), both logged reads; in the audit
 *    procedures (dpo.audit.*) also the ids of every case of their organisation (destroyed ones
 *    too) and of the cases their organisation's users touched, and the person names and contact
 *    details of their organisation's cases (the trail records a rectification's before and after).
 */
export async function visibilityFor(db: Database, world: WorldIndex, userId: string | null, path: string, input: unknown, now: Date): Promise<Visibility> {
	if (!userId) return none(null, 'anonymous');
	const subject = await loadPolicySubject(db, userId);
	if (!subject || subject.disabled) return none(subject, 'disabled or unknown account');
	const [{ mustChangePassword }] = await db.select({ mustChangePassword: users.mustChangePassword }).from(users).where(sql`${users.id} = ${userId}`);
	if (mustChangePassword) return none(subject, 'password change pending');
	switch (subject.role) {
		case 'worker':
		case 'lead': {
			const read = await allowedCaseIds(db, subject, now, 'read');
			const ids = new Set(read);
			if (subject.role === 'lead') {
				const members = await leadTeamMemberIds(db, subject, true);
				for (const g of world.grants) if (members.has(g.userId)) ids.add(g.caseId);
			}
			return { subject, idCases: ids, personNameCases: read, personFieldCases: read, contentCases: read, habilitations: subject.habilitations, rule: `${subject.role}: allowedCaseIds(read)` };
		}
		case 'admin': {
			const administered = await allowedCaseIds(db, subject, now, 'administer');
			return { ...none(subject, 'admin: ids of allowedCaseIds(administer), no content'), idCases: administered };
		}
		case 'dpo': {
			const audited = await allowedCaseIds(db, subject, now, 'audit');
			const ids = new Set(audited);
			const names = new Set<string>();
			const fields = new Set<string>();
			const content = new Set<string>();
			const own = [...world.cases.values()].filter((c) => c.organisationId === subject.organisationId).map((c) => c.id);
			const field = (key: string) => (input && typeof input === 'object' ? (input as Record<string, unknown>)[key] : undefined);
			if (path === 'dpo.rights.findPersons' || path === 'dpo.rights.list') for (const id of audited) names.add(id);
			if (path === 'dpo.rights.exportPerson') {
				const caseId = world.caseOf.get(String(field('personId')));
				if (caseId && audited.has(caseId)) content.add(caseId);
			}
			if (path === 'dpo.retention.readArchivedCase' && audited.has(String(field('caseId')))) content.add(String(field('caseId')));
			if (path.startsWith('dpo.audit.')) {
				for (const id of own) ids.add(id), names.add(id), fields.add(id);
				for (const id of world.casesTouchedBy.get(subject.organisationId) ?? []) ids.add(id);
			}
			for (const id of content) names.add(id), fields.add(id);
			return { subject, idCases: ids, personNameCases: names, personFieldCases: fields, contentCases: content, habilitations: ['health', 'religion', 'origin', 'sexual_life', 'judicial'], rule: `dpo: ${path}` };
		}
		default:
			return none(subject, 'unknown role');
	}
}

/** Merges the visibility before and after a call that may have changed it (an assignment, a grant). */
export function unionVisibility(a: Visibility, b: Visibility): Visibility {
	const u = (x: Set<string>, y: Set<string>) => new Set([...x, ...y]);
	return {
		subject: a.subject,
		idCases: u(a.idCases, b.idCases),
		personNameCases: u(a.personNameCases, b.personNameCases),
		personFieldCases: u(a.personFieldCases, b.personFieldCases),
		contentCases: u(a.contentCases, b.contentCases),
		habilitations: [...new Set([...a.habilitations, ...b.habilitations])],
		rule: a.rule === b.rule ? a.rule : `${a.rule} | ${b.rule}`
	};
}

/**
 * Whether an existing id of `kind` is out of the caller's reach, so that refusing it must look
 * exactly like refusing a made-up UUID. Null when the fuzz has no opinion (the kind does not name
 * anything need-to-know protects for this role).
 */
export async function isForbiddenId(db: Database, world: WorldIndex, vis: Visibility, kind: IdKind, id: string): Promise<boolean | null> {
	const subject = vis.subject;
	const caseBound = (caseId: string | undefined) => (caseId === undefined ? null : !vis.idCases.has(caseId));
	switch (kind) {
		case 'case':
			return world.cases.has(id) ? !vis.idCases.has(id) : null;
		case 'person':
		case 'note':
		case 'visit':
		case 'assignment':
		case 'grant':
			return caseBound(world.caseOf.get(id));
		case 'device': {
			const owner = world.deviceOwner.get(id);
			if (!owner) return null;
			if (subject?.role === 'admin') return !(await administeredOrganisationIds(db, subject)).has(world.userOrganisation.get(owner)!);
			return owner !== subject?.id;
		}
		case 'delegation': {
			const from = world.delegationFrom.get(id);
			if (!from) return null;
			if (subject?.role === 'lead') return !(await leadTeamMemberIds(db, subject, true)).has(from);
			if (subject?.role === 'admin') return world.userOrganisation.get(from) !== subject.organisationId;
			return true;
		}
		case 'rightsRequest': {
			if (!world.requestCreator.has(id)) return null;
			const by = world.requestCreator.get(id);
			return subject?.role !== 'dpo' || !by || world.userOrganisation.get(by) !== subject.organisationId;
		}
		case 'user': {
			const org = world.userOrganisation.get(id);
			if (!org || !subject) return org ? true : null;
			if (subject.role === 'admin') return !(await administeredOrganisationIds(db, subject)).has(org);
			if (subject.role === 'lead') {
				const holders = new Set(world.assignmentHolders.filter((a) => vis.idCases.has(a.caseId)).map((a) => a.userId));
				return org !== subject.organisationId && !holders.has(id);
			}
			return org !== subject.organisationId;
		}
		default:
			return null;
	}
}
