import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy } from './passwordPolicy';

describe('checkPasswordPolicy (CNIL délibération 2022-100)', () => {
	it.each([
		['Carnet-Demo-2026!', '12+ characters, four kinds'],
		['maisonjardin2026AB', '14+ characters, three kinds'],
		['le chat dort sur le vieux canapé', 'seven-word passphrase']
	])('accepts %s (%s)', (password) => {
		expect(checkPasswordPolicy(password)).toEqual([]);
	});

	it('says what is missing, in French', () => {
		const [reason] = checkPasswordPolicy('court1!');
		expect(reason).toContain('au moins 12 caractères (il y en a 7)');
		expect(reason).toContain('une majuscule');
		expect(reason).not.toContain('un chiffre');
	});

	it('refuses 12 characters with only three kinds', () => {
		expect(checkPasswordPolicy('abcdefGHIJ12')).toHaveLength(1);
		expect(checkPasswordPolicy('abcdefGHIJ12')[0]).toContain('un caractère spécial');
	});

	it('refuses 13 characters with three kinds but accepts 14', () => {
		expect(checkPasswordPolicy('abcdefGHIJ123')).toHaveLength(1);
		expect(checkPasswordPolicy('abcdefGHIJ1234')).toEqual([]);
	});

	it('refuses a six-word phrase and a password containing the username', () => {
		expect(checkPasswordPolicy('le chat dort sur le canapé')).toHaveLength(1);
		expect(checkPasswordPolicy('Tisf.amelie-2026!', 'tisf.amelie')).toContain(
			'Le mot de passe ne doit pas contenir votre identifiant.'
		);
	});
});
