import { expect, test } from '@playwright/test';
import { apiAs, apiMutate as mutate, apiQuery as query, rawStoreCount, signInAndSync as signIn } from '../support/e2e';

test('the lead asks for changes; the author sees the comment after the next sync', async ({ page, playwright, baseURL }) => {
	await signIn(page, 'aed.bruno');
	const lead = await apiAs(playwright, baseURL, 'chef.david');
	const queue = await query<{ notes: { id: string; caseReference: string; authorName: string; restricted: boolean }[] }>(lead, 'lead.reviewQueue', { status: 'submitted' });
	const target = queue.notes.find((n) => n.authorName === 'Bruno Lemaire' && !n.restricted);
	expect(target).toBeTruthy();
	const opened = await mutate<{ version: number }>(lead, 'lead.note', { noteId: target!.id });
	await mutate(lead, 'lead.reviewNote', { noteId: target!.id, version: opened.version, decision: 'changes_requested', comment: 'Merci de préciser les horaires de la visite.' });
	await lead.dispose();

	await page.getByRole('button', { name: 'Synchroniser' }).click();
	await expect(page.getByText('Tout est envoyé')).toBeVisible();
	await page.getByRole('link').filter({ hasText: target!.caseReference }).click();
	await expect(page.getByText('Merci de préciser les horaires de la visite.')).toBeVisible();
	await expect(page.getByText('À reprendre').first()).toBeVisible();
});

test('a device revoked by the administrator is wiped at its next sync, and the wipe is acknowledged', async ({ page, playwright, baseURL }) => {
	await signIn(page, 'educ.chloe');
	expect(await rawStoreCount(page, 'cases')).toBe(11);
	const admin = await apiAs(playwright, baseURL, 'admin.eva');
	type Device = { id: string; username: string; revokedAt: string | null; wipeAcknowledgedAt: string | null };
	const device = (await query<Device[]>(admin, 'admin.devices')).find((d) => d.username === 'educ.chloe' && !d.revokedAt);
	expect(device).toBeTruthy();
	await mutate(admin, 'admin.revokeDevice', { deviceId: device!.id });

	await page.getByRole('button', { name: 'Synchroniser' }).click();
	await expect(page.getByText('Cet appareil a été révoqué')).toBeVisible();
	await expect(page.getByRole('list', { name: 'Dossiers' })).toHaveCount(0);
	expect(await rawStoreCount(page, 'cases')).toBe(0);
	await expect
		.poll(async () => (await query<Device[]>(admin, 'admin.devices')).find((d) => d.id === device!.id)?.wipeAcknowledgedAt ?? null)
		.not.toBeNull();
	await admin.dispose();
});

test('a suppléance brings the absent colleague’s cases to the device, and ending it removes them', async ({ page, playwright, baseURL }) => {
	await signIn(page, 'tisf.amelie');
	const cases = page.getByRole('list', { name: 'Dossiers' }).getByRole('listitem');
	await expect(cases.first()).toBeVisible();
	const before = await cases.count();
	const lead = await apiAs(playwright, baseURL, 'chef.david');
	const members = (await query<{ members: { id: string; displayName: string }[] }>(lead, 'lead.team')).members;
	const bruno = members.find((m) => m.displayName === 'Bruno Lemaire')!;
	const amelie = members.find((m) => m.displayName === 'Amélie Roussel')!;
	const { delegationId } = await mutate<{ delegationId: string }>(lead, 'lead.createDelegation', {
		fromUserId: bruno.id,
		toUserId: amelie.id,
		reason: 'Arrêt maladie de Bruno',
		endsAt: new Date(Date.now() + 7 * 86_400_000).toISOString()
	});

	await page.getByRole('button', { name: 'Synchroniser' }).click();
	await expect(page.getByText(/^Suppléance de Bruno Lemaire jusqu’au/).first()).toBeVisible();
	const during = await cases.count();
	expect(during).toBeGreaterThan(before);

	await mutate(lead, 'lead.revokeDelegation', { delegationId });
	await lead.dispose();
	await page.getByRole('button', { name: 'Synchroniser' }).click();
	await expect(cases).toHaveCount(before);
	await expect(page.getByText(/^Suppléance de Bruno Lemaire/)).toHaveCount(0);
	expect(await rawStoreCount(page, 'cases')).toBe(before);
});
