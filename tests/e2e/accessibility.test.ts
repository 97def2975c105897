import { expect, test, type APIRequestContext, type Page, type TestInfo } from '@playwright/test';
import { createRequire } from 'node:module';
import { holdAppCode } from '../support/e2e';

/**
 * Accessibility (RGAA follows WCAG 2.1 AA): axe-core on each screen, no serious or critical
 * violation. Lesser findings are listed as annotations. A screen whose route does not exist yet
 * is skipped with an annotation saying so.
 */

const DEMO_PASSWORD = 'Carnet-Demo-2026!';
const axePath = createRequire(import.meta.url).resolve('axe-core');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// axe is injected as a script tag; the app's CSP (hashes only) would refuse it.
test.use({ bypassCSP: true });

interface AxeViolation {
	id: string;
	impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
	help: string;
	nodes: { target: string[]; html: string; failureSummary?: string }[];
}

async function auditScreen(page: Page, screen: string, testInfo: TestInfo): Promise<void> {
	await page.addScriptTag({ path: axePath });
	const violations = await page.evaluate(async (tags) => {
		const axe = (window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<{ violations: unknown[] }> } }).axe;
		const results = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
		return results.violations;
	}, WCAG_TAGS) as AxeViolation[];
	const describe = (v: AxeViolation) =>
		`${v.impact} ${v.id} (${v.help}): ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html.slice(0, 120)}`).join(' | ')}`;
	const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	testInfo.annotations.push({
		type: 'axe',
		description: `${screen}: ${violations.length === 0 ? 'no violation' : violations.map(describe).join(' ; ')}`
	});
	expect.soft(blocking.map(describe), `serious or critical axe violations on ${screen}`).toEqual([]);
}

/** True when the route exists; otherwise the test is skipped with a note (screens still being built). */
async function routeExists(request: APIRequestContext, path: string, testInfo: TestInfo): Promise<boolean> {
	const status = (await request.get(path)).status();
	if (status === 404) {
		testInfo.annotations.push({ type: 'skip', description: `${path} answers 404: screen not built yet, not audited` });
		return false;
	}
	return true;
}

async function signIn(page: Page, username: string): Promise<void> {
	await page.goto('/connexion');
	await page.getByLabel('Identifiant').fill(username);
	await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page).toHaveURL(/\/app/);
}

async function settled(page: Page, heading: string): Promise<void> {
	await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible({ timeout: 20_000 });
	await expect(page.getByText(/^Chargement/)).toHaveCount(0, { timeout: 20_000 });
}

test('login page', async ({ page }, testInfo) => {
	await page.goto('/connexion');
	await expect(page.getByRole('button', { name: 'Se connecter' })).toBeVisible();
	await auditScreen(page, 'connexion', testInfo);
	// With the field messages shown too.
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page.getByText('Saisissez votre identifiant.')).toBeVisible();
	await auditScreen(page, 'connexion (erreurs de saisie)', testInfo);
});

test('worker screens: unlock, caseload, case, note editor', async ({ page }, testInfo) => {
	await signIn(page, 'tisf.amelie');
	await expect(page.getByRole('heading', { name: 'Mes dossiers' })).toBeVisible({ timeout: 30_000 });
	await expect(page.getByText('Tout est envoyé')).toBeVisible({ timeout: 30_000 });
	await auditScreen(page, 'mes dossiers', testInfo);

	// A reload locks the device.
	await page.reload();
	await expect(page.getByRole('button', { name: 'Déverrouiller' })).toBeVisible({ timeout: 20_000 });
	await expect(page).toHaveTitle('Carnet verrouillé — Carnet');
	await auditScreen(page, 'écran de déverrouillage', testInfo);
	await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Déverrouiller' }).click();
	await expect(page.getByRole('heading', { name: 'Mes dossiers' })).toBeVisible({ timeout: 30_000 });

	await page.getByRole('list', { name: 'Dossiers' }).getByRole('listitem').first().getByRole('link').click();
	await expect(page.getByRole('heading', { name: 'Personnes' })).toBeVisible();
	await auditScreen(page, 'dossier', testInfo);

	await page.getByRole('link', { name: 'Nouvelle note' }).click();
	await expect(page.getByLabel('Texte de la note')).toBeVisible();
	await auditScreen(page, 'éditeur de note', testInfo);
	// With the free-text guard's warnings shown.
	await page.getByLabel('Texte de la note').fill('Joindre la mère au 06 12 34 56 78 ou mere@example.org.');
	await page.waitForTimeout(500);
	await auditScreen(page, 'éditeur de note (avertissements)', testInfo);
});

test.describe('before the app’s code runs', () => {
	// The app's code is held back at the network (holdAppCode), which a service worker would bypass.
	test.use({ serviceWorkers: 'block' });

	test('worker: the early unlock form of a cold start, with a press held', async ({ page }, testInfo) => {
		await signIn(page, 'educ.chloe');
		await expect(page.getByRole('heading', { name: 'Mes dossiers' })).toBeVisible({ timeout: 30_000 });
		const release = await holdAppCode(page);
		await page.reload({ waitUntil: 'commit' });
		const early = page.locator('#early-unlock');
		await expect(early.getByRole('heading', { level: 1, name: 'Carnet verrouillé' })).toBeVisible();
		await expect(page).toHaveTitle('Carnet verrouillé — Carnet');
		await auditScreen(page, 'formulaire de déverrouillage (avant le code de l’application)', testInfo);
		for (const control of [early.getByLabel('Mot de passe'), early.getByRole('button', { name: 'Déverrouiller' })]) {
			expect((await control.boundingBox())!.height).toBeGreaterThanOrEqual(44);
		}
		await early.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
		await early.getByRole('button', { name: 'Déverrouiller' }).click();
		await expect(early.getByRole('status')).toHaveText('Déverrouillage dès que Carnet est prêt…');
		await auditScreen(page, 'formulaire de déverrouillage (envoi en attente)', testInfo);
		release();
		await expect(page.getByRole('heading', { name: 'Mes dossiers' })).toBeVisible({ timeout: 30_000 });
	});
});

test('lead: review queue', async ({ page, request }, testInfo) => {
	test.skip(!(await routeExists(request, '/app/equipe/relecture', testInfo)), 'route not built yet');
	await signIn(page, 'chef.david');
	await page.goto('/app/equipe/relecture');
	await settled(page, 'Relecture des notes');
	await auditScreen(page, 'relecture', testInfo);
});

test('admin: accounts and habilitation review', async ({ page, request }, testInfo) => {
	test.skip(!(await routeExists(request, '/app/admin/comptes', testInfo)), 'route not built yet');
	await signIn(page, 'admin.eva');
	await page.goto('/app/admin/comptes');
	await settled(page, 'Comptes');
	await auditScreen(page, 'admin comptes', testInfo);
	if (await routeExists(request, '/app/admin/revue', testInfo)) {
		await page.goto('/app/admin/revue');
		await settled(page, 'Revue des habilitations');
		await auditScreen(page, 'admin revue', testInfo);
	}
});

test('DPO: audit trail', async ({ page, request }, testInfo) => {
	test.skip(!(await routeExists(request, '/app/dpo/audit', testInfo)), 'route not built yet');
	await signIn(page, 'dpo.farid');
	await page.goto('/app/dpo/audit');
	await settled(page, 'Journal d’audit');
	await auditScreen(page, 'DPO journal d’audit', testInfo);
});
