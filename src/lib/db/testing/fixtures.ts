import type { KdfParams } from '$lib/crypto';
import type { CaseRecord, NoteRecord, PersonRecord, VisitRecord } from '$lib/shared/records';
import { createKeyring } from '../keyring';
import { putPullPage } from '../putRecords';
import { closeStore, openStore } from '../session';

/**
 * Test helpers (imported by *.browser.test.ts only). Every person below is fictitious; the
 * strings are distinctive so a scan of the raw storage can look for them.
 */

/**
 * Lighter argon2id for tests, so each unlock takes milliseconds. Only tests use it; the shipped
 * `DEFAULT_KDF_PARAMS` are exercised once in keyring.browser.test.ts.
 */
export const TEST_KDF_PARAMS: KdfParams = { algorithm: 'argon2id', memoryKiB: 64, iterations: 1, parallelism: 1 };

export const PASSWORD = 'correct horse battery staple';

/** Opens a store for a new random user; returns its user id. */
export async function openFreshStore(): Promise<string> {
	const userId = crypto.randomUUID();
	await openStore(userId);
	return userId;
}

/**
 * Deletes every device store, then opens one for a new user, unlocked (light KDF), holding
 * `makeCaseload()` as one pull page stored it: the usual start of a test of the store.
 */
export async function openStoreWithCaseload(): Promise<{ userId: string; caseload: Caseload }> {
	await deleteAllDatabases();
	const userId = await openFreshStore();
	await createKeyring(PASSWORD, { kdfParams: TEST_KDF_PARAMS });
	const caseload = makeCaseload();
	await putPullPage(caseload);
	return { userId, caseload };
}

/** Closes the store and deletes every device store (`carnet-…` database) of the origin. */
export async function deleteAllDatabases(): Promise<void> {
	closeStore();
	for (const { name } of await indexedDB.databases()) {
		if (!name?.startsWith('carnet-')) continue;
		await new Promise<void>((resolve, reject) => {
			const request = indexedDB.deleteDatabase(name);
			request.onsuccess = () => resolve();
			request.onerror = () => reject(request.error);
			request.onblocked = () => resolve();
		});
	}
}

export type Caseload = {
	cases: CaseRecord[];
	persons: PersonRecord[];
	notes: NoteRecord[];
	visits: VisitRecord[];
	/** Every personal string of the caseload, to look for in raw storage. */
	secrets: string[];
};

const families = [
	{ first: 'Zéphyrine', last: 'Quillardet', birth: '2014-03-17', address: '12 impasse des Grives-Musiciennes, 59830 Cysoing' },
	{ first: 'Anatole', last: 'Brizemontagne', birth: '2011-11-02', address: '4 chemin du Moulin-Tordu, 62370 Audruicq' },
	{ first: 'Philomène', last: 'Vaucouleurs-Ternant', birth: '2016-07-29', address: '88 rue Albéric-Magnard, 59200 Tourcoing' }
];

/** Three cases, each with a child, a parent, two notes and a visit. */
export function makeCaseload(): Caseload {
	const out: Caseload = { cases: [], persons: [], notes: [], visits: [], secrets: [] };
	const authorId = crypto.randomUUID();
	families.forEach((family, i) => {
		const caseId = crypto.randomUUID();
		const reference = `AED-2024-NORD-${7310 + i}`;
		out.cases.push({
			id: caseId,
			reference,
			measureType: 'aed',
			status: 'open',
			teamId: null,
			openedAt: '2024-01-15T09:00:00.000Z',
			closedAt: null,
			lastContactAt: '2024-05-02T14:00:00.000Z',
			access: { kind: 'assignment', role: 'referent', until: null, coveringFor: null },
			version: 10 + i
		});
		const parentFirst = `Gontran${i}ille`;
		const phone = `06 71 8${i} 42 93`;
		const email = `famille.${family.last.toLowerCase()}@exemple.test`;
		out.persons.push(
			{
				id: crypto.randomUUID(),
				caseId,
				role: 'child',
				firstName: family.first,
				lastName: family.last,
				birthDate: family.birth,
				address: family.address,
				phone: null,
				email: null,
				relationship: null,
				frozen: false,
				version: 20 + i
			},
			{
				id: crypto.randomUUID(),
				caseId,
				role: 'parent',
				firstName: parentFirst,
				lastName: family.last,
				birthDate: '1985-02-11',
				address: family.address,
				phone,
				email,
				relationship: 'père',
				frozen: false,
				version: 30 + i
			}
		);
		const bodies = [
			`Visite au domicile : ${family.first} montre ses cahiers, chambre rangée, repas préparé par ${parentFirst}.`,
			`Appel du collège Jean-Rostand-${i} : absences répétées le lundi matin.`
		];
		const visitId = crypto.randomUUID();
		bodies.forEach((body, n) =>
			out.notes.push({
				id: crypto.randomUUID(),
				caseId,
				authorId,
				authorName: 'Amélie Testeuse-Fictive',
				kind: n === 0 ? 'visit_report' : 'call',
				body,
				restricted: false,
				sensitiveCategory: null,
				status: 'submitted',
				reviewComment: null,
				visitId: n === 0 ? visitId : null,
				conflictOf: null,
				createdOnDeviceAt: `2024-05-0${n + 1}T10:00:00.000Z`,
				receivedAt: null,
				version: 40 + i * 2 + n
			})
		);
		const purpose = `Point scolarité avec ${family.first}`;
		out.visits.push({
			id: visitId,
			caseId,
			userId: authorId,
			plannedAt: '2024-06-10T09:30:00.000Z',
			status: 'planned',
			place: family.address,
			purpose,
			reportNoteId: null,
			version: 50 + i
		});
		out.secrets.push(family.first, family.last, family.birth, family.address, reference, parentFirst, phone, email, purpose, ...bodies);
	});
	out.secrets.push('Amélie Testeuse-Fictive');
	return out;
}
