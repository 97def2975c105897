import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { securityMeasures } from '../../server/register/securityMeasures';
import { processingRegisterEntry, retentionSchedule } from '../../server/register/processingRegister';
import { informationNotice, youthInformationNotice } from '../../server/register/informationNotice';
import { retentionRules } from '../../server/retention/retentionRules';

/** The categories of the référentiel's security table (section 10, § 68). */
const categories = [
	'Sensibiliser les utilisateurs',
	'Authentifier les utilisateurs',
	'Gérer les habilitations',
	'Tracer les accès et gérer les incidents',
	'Sécuriser les postes de travail',
	'Sécuriser l’informatique mobile',
	'Protéger le réseau informatique interne',
	'Sécuriser les serveurs',
	'Sécuriser les sites web',
	'Sauvegarder et prévoir la continuité d’activité',
	'Archiver de manière sécurisée',
	'Encadrer la maintenance et la destruction des données',
	'Gérer la sous-traitance',
	'Sécuriser les échanges avec d’autres organismes',
	'Protéger les locaux',
	'Encadrer les développements informatiques',
	'Utiliser des fonctions cryptographiques'
];

describe('register and information', () => {
	it('the measures report covers every category of section 10, and each file it names exists', () => {
		expect([...new Set(securityMeasures.map((m) => m.category))].sort()).toEqual([...categories].sort());
		for (const measure of securityMeasures) {
			if (measure.status !== 'organisation') expect(measure.paths.length, measure.measure).toBeGreaterThan(0);
			for (const path of measure.paths) expect(existsSync(path), `${measure.measure}: ${path}`).toBe(true);
		}
	});

	it('the register entry and the notice take retention from the rules file', () => {
		const retention = retentionSchedule();
		expect(retention).toHaveLength(retentionRules.length + 1);
		for (const rule of retentionRules) expect(retention.find((r) => r.activity === rule.label)?.reference).toBe(rule.reference);
		expect(retention.find((r) => r.activity.startsWith('Accompagnement'))?.active).toMatch(/^2 ans à compter du dernier contact/);
		expect(retention.find((r) => r.activity.startsWith('Placement'))?.active).toMatch(/^10 ans/);
		const entry = processingRegisterEntry([]);
		expect(entry.retention).toEqual(retention);
		expect(entry.purposes.every((p) => p.legalBasis.length > 0)).toBe(true);
		expect(informationNotice().retention).toEqual(retention);
	});

	it('the notice names the rights, the DPO and the CNIL complaint route; the young people version too', () => {
		const notice = informationNotice();
		expect(notice.rights.list.map((r) => r.right)).toEqual(['Accès', 'Rectification', 'Effacement', 'Limitation', 'Opposition', 'Portabilité']);
		expect(notice.rights.complaint).toMatch(/www\.cnil\.fr\/fr\/plaintes/);
		expect(notice.rights.howTo).toMatch(/un mois/);
		const youth = youthInformationNotice();
		expect(youth.sections.map((s) => s.text).join(' ')).toMatch(/CNIL/);
		expect(youth.sections.map((s) => s.text).join(' ')).toMatch(/entre 2 et 10 ans/);
	});
});
