import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/client';
import { assignments, delegations, devices, journalHeads, notes, users } from '../../server/db/schema';
import { checkCaseAccess } from '../../server/policy/checkCaseAccess';
import { caseActions, type CaseAction } from '../../server/policy/caseActions';
import { generateJournalSecret } from '../../server/sync/registerDevice';
import { appRouter } from '../../server/trpc/routers/_app';
import type { Need } from '../../server/policy/needs';
import { JOURNAL_GENESIS_MAC } from '../../src/lib/shared/sync';
import { databaseKinds, type TestDatabase } from '../support/testDatabase';
import { callerFor, loadSessionUser, TestClock } from '../support/testCaller';
import { assignedCases, DAY, seededDatabase, signEntries, START, userId } from './syncTestKit';

/**
 * Who may call what, for every procedure of the router and every kind of caller.
 *
 * Two tables. `needMatrix` says, for each declared need, which callers get past it: every
 * procedure is called by every subject with an empty input, and must be refused ('denied') or
 * reached ('allowed': it ran, or failed later on its input) exactly as its need's row says.
 * `procedureMatrix` goes further for the device procedures (auth, sync), on one case (an assigned
 * case of tisf.amelie): 'allowed' = ran and reached the case; 'no-access' = ran and answered
 * "not found or no access" (or left the case out); 'wipe' = the device is told to wipe.
 * Case-level rules of the lead, admin, emergency and DPO procedures are tested by their owners'
 * suites; this one guarantees that none of them is reachable past its need.
 */

type Outcome = 'allowed' | 'denied' | 'no-access' | 'wipe';
const subjects = [
	'worker-assigned',
	'worker-not-assigned',
	'worker-covering-inside',
	'worker-covering-after',
	'lead-of-team',
	'lead-other-team',
	'administrator',
	'dpo',
	'anonymous',
	'disabled-user',
	'revoked-device'
] as const;
type Subject = (typeof subjects)[number];

const usernames: Record<Subject, string | null> = {
	'worker-assigned': 'tisf.amelie',
	'worker-not-assigned': 'educ.chloe',
	'worker-covering-inside': 'aed.gael',
	'worker-covering-after': 'aed.gael',
	'lead-of-team': 'chef.david',
	'lead-other-team': 'chef.helene',
	administrator: 'admin.eva',
	dpo: 'dpo.farid',
	anonymous: null,
	'disabled-user': 'tisf.disabled',
	'revoked-device': 'tisf.amelie'
};

/** Columns in the order of `subjects`. */
const A = 'allowed', D = 'denied', N = 'no-access', W = 'wipe';
const row = (...cells: Outcome[]) => Object.fromEntries(subjects.map((s, i) => [s, cells[i]])) as Record<Subject, Outcome>;

const needMatrix: Record<Need, Record<Subject, Outcome>> = {
	//                assigned  not  cov-in cov-out lead  lead2 admin dpo  anon disabled revoked
	public: row(A, A, A, A, A, A, A, A, A, A, A),
	// A disabled user holds no session (validateSessionToken drops it); past that, the policy reloads them.
	session: row(A, A, A, A, A, A, A, A, D, A, A),
	'signed-in': row(A, A, A, A, A, A, A, A, D, A, A),
	sync: row(A, A, A, A, A, A, D, D, D, A, A),
	review: row(D, D, D, D, A, A, D, D, D, D, D),
	administer: row(D, D, D, D, D, D, A, D, D, D, D),
	audit: row(D, D, D, D, D, D, D, A, D, D, D)
};

const procedureMatrix: Record<string, Record<string, Record<Subject, Outcome>>> = {
	//                          assigned  not  cov-in cov-out lead  lead2 admin dpo  anon disabled revoked
	'auth.login': { '': row(A, A, A, A, A, A, A, A, A, A, A) },
	// Session procedures: a disabled user never holds a session (validateSessionToken drops it).
	'auth.logout': { '': row(A, A, A, A, A, A, A, A, D, A, A) },
	'auth.me': { '': row(A, A, A, A, A, A, A, A, D, A, A) },
	'auth.changePassword': { '': row(A, A, A, A, A, A, A, A, D, A, A) },
	'sync.pull': { '': row(A, N, A, N, N, N, D, D, D, W, W) },
	'sync.push': {
		'note.create on the case': row(A, N, A, N, N, N, D, D, D, W, W),
		'note.update of the assigned worker’s note': row(A, N, N, N, N, N, D, D, D, W, W)
	},
	// The journal is evidence of what a device showed: kept even from a revoked device or a disabled account.
	'sync.journal': { '': row(A, A, A, A, A, A, D, D, D, A, A) },
	'sync.acknowledgeWipe': { '': row(A, A, A, A, A, A, D, D, D, A, A) }
};

const policyMatrix: Record<CaseAction, Record<Subject, Outcome>> = {
	//             assigned  not  cov-in cov-out lead  lead2 admin dpo  anon disabled revoked
	read: row(A, N, A, N, A, N, N, N, N, N, A),
	write: row(A, N, A, N, N, N, N, N, N, N, A),
	review: row(N, N, N, N, A, N, N, N, N, N, N),
	administer: row(N, N, N, N, A, N, A, N, N, N, N),
	audit: row(N, N, N, N, N, N, N, A, N, N, N)
};

async function outcomeOf(run: () => Promise<unknown>, reached: (result: unknown) => boolean = () => true): Promise<Outcome> {
	try {
		const result = await run();
		if (result && typeof result === 'object' && (result as { wipe?: unknown }).wipe === true) return 'wipe';
		return reached(result) ? 'allowed' : 'no-access';
	} catch (error) {
		if (!(error instanceof TRPCError)) throw error;
		if (['unauthenticated', 'forbidden', 'password-change-required'].includes(error.message)) return 'denied';
		if (error.message === 'not-found-or-no-access') return 'no-access';
		return 'allowed'; // a domain answer (e.g. wrong password): the procedure itself was reached
	}
}

describe.each(databaseKinds)('authorization matrix on %s', (kind) => {
	let handle: TestDatabase;
	const inside = new Date(START);
	const after = new Date(START.getTime() + 3 * DAY);
	let caseId: string;
	let noteId: string;
	let noteVersion: number;
	const deviceOf = new Map<Subject, { id: string; secret: string }>();

	beforeAll(async () => {
		handle = await seededDatabase(kind, new TestClock(new Date(START)));
		const db = handle.db;
		const amelieId = await userId(db, 'tisf.amelie');
		const bruno = (await assignedCases(db, 'aed.bruno')).map((c) => c.id);
		caseId = (await assignedCases(db, 'tisf.amelie')).find((c) => !bruno.includes(c.id))!.id;
		noteId = crypto.randomUUID();
		[{ version: noteVersion }] = await db
			.insert(notes)
			.values({ id: noteId, caseId, authorId: amelieId, kind: 'observation', body: 'Note de la référente.', createdOnDeviceAt: inside })
			.returning({ version: notes.version });
		await db.insert(delegations).values({
			fromUserId: amelieId,
			toUserId: await userId(db, 'aed.gael'),
			reason: 'Arrêt maladie',
			startsAt: new Date(inside.getTime() - 3_600_000),
			endsAt: new Date(inside.getTime() + 2 * DAY),
			createdBy: await userId(db, 'chef.david')
		});
		const [template] = await db.select().from(users).where(eq(users.id, amelieId));
		const [disabled] = await db
			.insert(users)
			.values({ ...template, id: undefined, username: 'tisf.disabled', displayName: 'Compte désactivé', disabledAt: new Date(inside.getTime() - 3_600_000), version: undefined })
			.returning({ id: users.id });
		await db.insert(assignments).values({ userId: disabled.id, caseId, role: 'intervenant', startsAt: new Date(inside.getTime() - DAY) });

		for (const subject of subjects) {
			const username = usernames[subject];
			if (!username) continue;
			const id = crypto.randomUUID();
			const secret = generateJournalSecret();
			await db.insert(devices).values({ id, userId: await userId(db, username), journalSecret: secret, revokedAt: subject === 'revoked-device' ? inside : null });
			await db.insert(journalHeads).values({ deviceId: id, lastSeq: 0, lastMac: JOURNAL_GENESIS_MAC });
			deviceOf.set(subject, { id, secret });
		}
	});
	afterAll(async () => handle?.destroy());

	async function callerOf(subject: Subject) {
		const username = usernames[subject];
		const user = username ? await loadSessionUser(handle.db as Database, username) : null;
		const now = subject === 'worker-covering-after' ? after : inside;
		return callerFor(handle.db, user, { now: () => new Date(now) }).caller;
	}

	type Probe = (subject: Subject) => Promise<Outcome>;
	const probes: Record<string, Record<string, Probe>> = {
		'auth.login': { '': async (s) => outcomeOf(async () => (await callerOf(s)).auth.login({ username: 'personne', password: 'Mauvais-Mot-2026!' })) },
		'auth.logout': { '': async (s) => outcomeOf(async () => (await callerOf(s)).auth.logout()) },
		'auth.me': { '': async (s) => outcomeOf(async () => (await callerOf(s)).auth.me()) },
		'auth.changePassword': {
			'': async (s) => outcomeOf(async () => (await callerOf(s)).auth.changePassword({ currentPassword: 'Mauvais-Mot-2026!', newPassword: 'Nouveau-Carnet-2026?' }))
		},
		'sync.pull': {
			'': async (s) =>
				outcomeOf(
					async () => (await callerOf(s)).sync.pull({ deviceId: deviceOf.get(s)?.id ?? crypto.randomUUID(), cursor: null, heldCaseIds: [] }),
					(r) => (r as { cases: { id: string }[] }).cases.some((c) => c.id === caseId)
				)
		},
		'sync.push': {
			'note.create on the case': async (s) =>
				outcomeOf(
					async () =>
						(await callerOf(s)).sync.push({
							deviceId: deviceOf.get(s)?.id ?? crypto.randomUUID(),
							mutations: [{ id: crypto.randomUUID(), type: 'note.create', baseVersion: null, payload: { noteId: crypto.randomUUID(), caseId, kind: 'call', body: 'Appel.', sensitiveCategory: null, createdOnDeviceAt: inside.toISOString() } }]
						}),
					(r) => pushReached(r)
				),
			'note.update of the assigned worker’s note': async (s) =>
				outcomeOf(
					async () =>
						(await callerOf(s)).sync.push({
							deviceId: deviceOf.get(s)?.id ?? crypto.randomUUID(),
							mutations: [{ id: crypto.randomUUID(), type: 'note.update', baseVersion: noteVersion, payload: { noteId, kind: 'observation', body: `Modifiée par ${s}.`, sensitiveCategory: null, editedOnDeviceAt: inside.toISOString() } }]
						}),
					(r) => pushReached(r)
				)
		},
		'sync.journal': {
			'': async (s) => {
				const device = deviceOf.get(s) ?? { id: crypto.randomUUID(), secret: generateJournalSecret() };
				const entries = signEntries(device.secret, [{ seq: 1, at: inside.toISOString(), caseId, noteId: null, action: 'case.view', offline: true }]);
				return outcomeOf(async () => (await callerOf(s)).sync.journal({ deviceId: device.id, entries }), (r) => (r as { ackSeq: number }).ackSeq === 1);
			}
		},
		'sync.acknowledgeWipe': {
			'': async (s) => outcomeOf(async () => (await callerOf(s)).sync.acknowledgeWipe({ deviceId: deviceOf.get(s)?.id ?? crypto.randomUUID() }))
		}
	};

	it('has a need row for every procedure of the router, and a probe for every case-level row', () => {
		for (const [, need] of allProcedures) expect(Object.keys(needMatrix)).toContain(need);
		expect(Object.keys(probes).sort()).toEqual(Object.keys(procedureMatrix).sort());
		for (const path of Object.keys(procedureMatrix)) {
			expect(allProcedures.map(([p]) => p)).toContain(path);
			expect(Object.keys(probes[path]).sort()).toEqual(Object.keys(procedureMatrix[path]).sort());
		}
	});

	const needCells = allProcedures.flatMap(([path, need]) => subjects.map((subject) => [path, need, subject, needMatrix[need]?.[subject]] as const));
	it.each(needCells)('%s (need %s) as %s: %s', async (path, _need, subject, expected) => {
		// Probed with the real session-less caller and an empty input: only the need decides here.
		if (path === 'auth.logout' || path === 'auth.changePassword') return; // probed below with real inputs
		const caller = await callerOf(subject);
		const procedure = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (input?: unknown) => Promise<unknown>;
		const outcome = await outcomeOf(() => procedure(undefined));
		expect(outcome === 'denied' ? 'denied' : 'allowed').toBe(expected);
	});

	const cells = Object.entries(procedureMatrix).flatMap(([path, variants]) =>
		Object.entries(variants).flatMap(([variant, expected]) => subjects.map((subject) => [`${path}${variant ? ` (${variant})` : ''}`, subject, expected[subject], path, variant] as const))
	);
	it.each(cells)('%s as %s: %s', async (_label, subject, expected, path, variant) => {
		expect(await probes[path][variant](subject)).toBe(expected);
	});

	const policyCells = caseActions.flatMap((action) => subjects.map((subject) => [action, subject, policyMatrix[action][subject]] as const));
	it.each(policyCells)('policy: %s on the case as %s: %s', async (action, subject, expected) => {
		const username = usernames[subject];
		const user = { id: username ? await userId(handle.db, username) : crypto.randomUUID() };
		const now = subject === 'worker-covering-after' ? after : inside;
		const decision = await checkCaseAccess(handle.db, user, caseId, action, now);
		expect(decision.ok ? 'allowed' : 'no-access').toBe(expected);
	});
});

const allProcedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { meta?: { need?: Need } } }>).map(
	([path, procedure]) => [path, procedure._def.meta?.need as Need] as const
);

function pushReached(result: unknown): boolean {
	const [first] = (result as { results: { status: string }[] }).results;
	return first.status === 'applied' || first.status === 'conflict';
}
