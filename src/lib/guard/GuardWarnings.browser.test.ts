import axe from 'axe-core';
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import GuardWarnings from '$lib/components/GuardWarnings.svelte';
import type { SensitiveCategory } from '$lib/shared/domain';

let component: ReturnType<typeof mount> | undefined;

afterEach(() => {
	if (component) unmount(component);
	component = undefined;
	document.body.innerHTML = '';
});

function render(text: string, onTag: (category: SensitiveCategory) => void = () => {}) {
	const target = document.createElement('main');
	document.body.append(target);
	component = mount(GuardWarnings, { target, props: { text, onTag } });
	flushSync();
	return target;
}

describe('GuardWarnings', () => {
	it('highlights flagged passages and explains them in French', () => {
		const target = render('Mère hystérique, suivie au CMP, tél. 06 12 34 56 78.');
		expect([...target.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual([
			'hystérique',
			'CMP',
			'06 12 34 56 78'
		]);
		expect(target.querySelector('[role="status"]')?.textContent).toContain('3 passages à vérifier');
		expect(target.querySelector('.preview')?.textContent).toBe(
			'Mère hystérique, suivie au CMP, tél. 06 12 34 56 78.'
		);
		const buttons = [...target.querySelectorAll('button')].map((button) => button.textContent?.trim());
		expect(buttons).toEqual(['Reformuler', 'Marquer « Santé »', 'Reformuler', 'Retirer']);
	});

	it('calls onTag with the category', () => {
		const tagged: SensitiveCategory[] = [];
		const target = render('Placé en garde à vue.', (category) => tagged.push(category));
		const button = [...target.querySelectorAll('button')].find((b) => b.textContent?.includes('Judiciaire'));
		button?.click();
		expect(tagged).toEqual(['judicial']);
	});

	it('says so when nothing is flagged', () => {
		const target = render("Visite au domicile, l'enfant a fait ses devoirs avec sa mère, bonne ambiance.");
		expect(target.querySelector('[role="status"]')?.textContent).toBe('Aucun passage à vérifier.');
		expect(target.querySelector('mark')).toBeNull();
	});

	it('has no axe violations and 44 px targets', async () => {
		const target = render('Mère hystérique, père en garde à vue, mail a.b@exemple.fr');
		const results = await axe.run(target);
		expect(results.violations.map((violation) => violation.id)).toEqual([]);
		for (const button of target.querySelectorAll('button')) {
			const box = button.getBoundingClientRect();
			expect(box.height).toBeGreaterThanOrEqual(44);
			expect(box.width).toBeGreaterThanOrEqual(44);
		}
	});
});
