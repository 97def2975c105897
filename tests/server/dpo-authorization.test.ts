import { TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { persons, users } from '../../server/db/schema';
import { appRouter } from '../../server/trpc/routers/_app';
import { databaseKinds, type TestDatabase } from '../support/testDatabase';
import { callerFor, loadSessionUser, TestClock } from '../support/testCaller';
import { assignedCases, seededDatabase, START } from './syncTestKit';
import { insertClosedCase } from './dpoTestKit';

/**
 * Every DPO procedure against every kind of caller. The list of procedures comes from the router:
 * a new procedure without a sample input here fails the suite.
 */
type Samples = Record<string, (ids: Ids) => unknown>;
interface Ids {
	personId: string;
	archivedCaseId: string;
	requestId: string;
}

const samples: Samples = {
	'dpo.audit.search': () => ({ filters: { mode: 'all' }, page: 1, pageSize: 10 }),
	'dpo.audit.statistics': () => ({ filters: { mode: 'all' } }),
	'dpo.audit.verify': () => undefined,
	'dpo.audit.lastVerification': () => undefined,
	'dpo.audit.export': () => ({ filters: { mode: 'all', action: 'auth.' }, format: 'json' }),
	'dpo.retention.rules': () => undefined,
	'dpo.retention.forecast': () => ({ horizonDays: 90 }),
	'dpo.retention.dryRun': () => undefined,
	'dpo.retention.archivedCases': () => undefined,
	'dpo.retention.readArchivedCase': (ids) => ({ caseId: ids.archivedCaseId, reason: 'Contrôle du DPO' }),
	'dpo.rights.list': () => undefined,
	'dpo.rights.register': (ids) => ({ kind: 'access', requesterName: 'Demandeur', receivedAt: '2026-11-20', personId: ids.personId }),
	'dpo.rights.extend': (ids) => ({ id: ids.requestId, reason: 'Demande complexe' }),
	'dpo.rights.close': (ids) => ({ id: ids.requestId, status: 'done', outcome: 'Réponse envoyée' }),
	'dpo.rights.findPersons': () => ({ query: 'Te' }),
	'dpo.rights.exportPerson': (ids) => ({ personId: ids.personId, purpose: 'access' }),
	'dpo.rights.limit': (ids) => ({ personId: ids.personId, frozen: false, reason: 'Aucune limitation' }),
	'dpo.rights.rectify': (ids) => ({ personId: ids.personId, changes: { relationship: `Mère (${crypto.randomUUID().slice(0, 4)})` }, reason: 'Correction' }),
	'dpo.rights.erase': (ids) => ({ personId: ids.personId, scope: 'case', ground: 'no-longer-necessary', confirmNoException: true }),
	'dpo.register.entry': () => undefined,
	'dpo.register.measures': () => undefined
};

const dpoProcedures = Object.keys(appRouter._def.procedures as Record<string, unknown>).filter((path) => path.startsWith('dpo.'));

async function call(caller: ReturnType<typeof callerFor>['caller'], path: string, input: unknown): Promise<{ ok: true } | { ok: false; error: TRPCError }> {
	let target: unknown = caller;
	for (const part of path.split('.')) target = (target as Record<string, unknown>)[part];
	try {
		await (target as (input: unknown) => Promise<unknown>)(input);
		return { ok: true };
	} catch (error) {
		if (error instanceof TRPCError) return { ok: false, error };
		throw error;
	}
}

describe('DPO procedures list', () => {
	it('has a sample input for every DPO procedure of the router', () => {
		expect(dpoProcedures.length).toBeGreaterThan(15);
		expect(dpoProcedures.filter((p) => !samples[p])).toEqual([]);
	});
});

describe.each(databaseKinds)('DPO procedures authorization on %s', (kind) => {
	let handle: TestDatabase;
	const clock = new TestClock(new Date(START));
	let ids: Ids;

	beforeAll(async () => {
		handle = await seededDatabase(kind, clock);
		const closed = await insertClosedCase(handle.db, { reference: 'AZ-PLAC-01', measureType: 'placement', closedAt: '2016-06-01', lastContactAt: null });
		const { runRetention } = await import('../../server/retention/runRetention');
		await runRetention(handle.db, { now: clock.now(), dryRun: false, auditRetentionDays: 365, trigger: 'command' });
		const caseId = (await assignedCases(handle.db, 'aed.bruno'))[1].id;
		const [parent] = await handle.db.select({ id: persons.id }).from(persons).where(and(eq(persons.caseId, caseId), eq(persons.role, 'parent')));
		const dpo = callerFor(handle.db, await loadSessionUser(handle.db, 'dpo.farid'), { now: clock.now }).caller;
		const request = await dpo.dpo.rights.register({ kind: 'rectification', requesterName: 'Demandeur', receivedAt: '2026-11-01', personId: parent.id });
		ids = { personId: parent.id, archivedCaseId: closed.caseId, requestId: request.id };
		const [farid] = await handle.db.select().from(users).where(eq(users.username, 'dpo.farid'));
		await handle.db.insert(users).values({ organisationId: farid.organisationId, username: 'dpo.ancien', displayName: 'Ancien DPO', role: 'dpo', passwordHash: farid.passwordHash, disabledAt: START });
	});
	afterAll(async () => handle?.destroy());

	it.each(['tisf.amelie', 'aed.bruno', 'educ.chloe', 'chef.david', 'admin.eva'])('%s is refused every DPO procedure (FORBIDDEN)', async (username) => {
		const caller = callerFor(handle.db, await loadSessionUser(handle.db, username), { now: clock.now }).caller;
		for (const path of dpoProcedures) {
			const result = await call(caller, path, samples[path](ids));
			expect(result.ok, path).toBe(false);
			if (!result.ok) expect([path, result.error.code, result.error.message]).toEqual([path, 'FORBIDDEN', 'forbidden']);
		}
	});

	it('anonymous callers are refused every DPO procedure (UNAUTHORIZED)', async () => {
		const caller = callerFor(handle.db, null, { now: clock.now }).caller;
		for (const path of dpoProcedures) {
			const result = await call(caller, path, samples[path](ids));
			expect(result.ok, path).toBe(false);
			if (!result.ok) expect([path, result.error.code]).toEqual([path, 'UNAUTHORIZED']);
		}
	});

	it('a disabled DPO whose session still names the role gets nothing (the policy reads the database)', async () => {
		const caller = callerFor(handle.db, await loadSessionUser(handle.db, 'dpo.ancien'), { now: clock.now }).caller;
		for (const path of dpoProcedures) {
			if (path === 'dpo.register.entry' || path === 'dpo.register.measures' || path === 'dpo.retention.rules') continue; // configuration, no personal data
			const result = await call(caller, path, samples[path](ids));
			expect(result.ok, path).toBe(false);
			if (!result.ok) expect(['FORBIDDEN', 'NOT_FOUND'], path).toContain(result.error.code);
		}
	});

	it('a DPO with a pending password change is refused', async () => {
		const user = { ...(await loadSessionUser(handle.db, 'dpo.farid')), mustChangePassword: true };
		const caller = callerFor(handle.db, user, { now: clock.now }).caller;
		const result = await call(caller, 'dpo.audit.search', samples['dpo.audit.search'](ids));
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.error.message).toBe('password-change-required');
	});

	it('the DPO may call every DPO procedure (erasure last: the case is open, so it is refused by law, not by role)', async () => {
		const caller = callerFor(handle.db, await loadSessionUser(handle.db, 'dpo.farid'), { now: clock.now }).caller;
		for (const path of dpoProcedures.filter((p) => p !== 'dpo.rights.erase' && p !== 'dpo.rights.close')) {
			const result = await call(caller, path, samples[path](ids));
			expect([path, result.ok ? 'ok' : `${result.error.code} ${result.error.message}`]).toEqual([path, 'ok']);
		}
		expect(await call(caller, 'dpo.rights.close', samples['dpo.rights.close'](ids))).toEqual({ ok: true });
		const erase = await call(caller, 'dpo.rights.erase', samples['dpo.rights.erase'](ids));
		expect(erase.ok ? 'ok' : erase.error.message).toBe('erasure-refused');
	});
});
