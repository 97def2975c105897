import { expect, test, type Page } from '@playwright/test';

const DEMO_PASSWORD = 'Carnet-Demo-2026!';

async function signIn(page: Page, username: string) {
	await page.goto('/connexion');
	await page.getByLabel('Identifiant').fill(username);
	await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Se connecter' }).click();
}

test('the lead sends a note back with a comment; the administrator sees the review flags', async ({ page }) => {
	await signIn(page, 'chef.david');
	await expect(page).toHaveURL(/\/app\/equipe\/relecture$/);
	await expect(page.getByRole('heading', { name: 'Relecture des notes' })).toBeVisible();

	const open = page.getByRole('button', { name: /^Ouvrir la note de / });
	await expect(open.first()).toBeVisible();
	await open.first().click();

	const note = page.getByRole('region', { name: /^Note — dossier / });
	await expect(note).toBeVisible();
	await expect(note.getByText('Écrite sur l’appareil')).toBeVisible();
	await expect(note.getByText('Reçue par le serveur')).toBeVisible();

	// "À reprendre" without a comment is refused in French.
	await note.getByRole('button', { name: 'À reprendre' }).click();
	await expect(note.getByRole('alert')).toHaveText('Écrivez un commentaire pour expliquer ce qui est à reprendre.');

	await note.getByLabel('Commentaire pour l’auteur').fill('Merci de préciser les faits observés lors de la visite.');
	await note.getByRole('button', { name: 'À reprendre' }).click();
	await expect(page.getByRole('status')).toContainText('marquée « à reprendre »');
	await expect(note).toBeHidden();

	await page.getByLabel('Statut').selectOption({ label: 'À reprendre' });
	await expect(page.getByRole('cell', { name: 'À reprendre' }).first()).toBeVisible();

	await page.getByRole('button', { name: 'Se déconnecter' }).click();
	await expect(page).toHaveURL(/\/connexion$/);

	await signIn(page, 'admin.eva');
	await expect(page).toHaveURL(/\/app\/admin\/comptes$/);
	await page.getByRole('link', { name: 'Revue des habilitations' }).click();
	await expect(page.getByRole('heading', { name: 'Revue des habilitations' })).toBeVisible();

	const julien = page.getByRole('row', { name: /Julien Masson/ });
	await expect(julien).toContainText('Inutilisé depuis plus de 90 jours');
	await expect(julien).toContainText('Affecté·e à des dossiers clos');
	const stale = page.getByRole('region', { name: 'Suppléances échues non révoquées' });
	await expect(stale).toContainText('Bruno Lemaire → Amélie Roussel');
	await expect(page.getByRole('row', { name: /Bruno Lemaire/ })).toContainText('Suppléance échue non révoquée');
	await expect(page.getByRole('button', { name: 'Imprimer le rapport' })).toBeVisible();
	// Nothing of a case's content reaches the administrator's screen.
	await expect(page.getByText(/Enfant suivi|@example\.org/)).toHaveCount(0);
});
