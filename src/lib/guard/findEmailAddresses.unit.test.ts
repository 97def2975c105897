import { describe, expect, it } from 'vitest';
import { findEmailAddresses } from './findEmailAddresses';

function found(text: string) {
	return findEmailAddresses(text).map(({ start, end }) => text.slice(start, end));
}

describe('findEmailAddresses', () => {
	it('finds addresses and leaves a final full stop out', () => {
		expect(found('Écrire à jean.dupont@exemple.fr.')).toEqual(['jean.dupont@exemple.fr']);
		expect(found('(m.martin+caf@mairie.saint-denis.fr)')).toEqual(['m.martin+caf@mairie.saint-denis.fr']);
		expect(found('élodie.léger@laposte.net, merci')).toEqual(['élodie.léger@laposte.net']);
	});

	it('reports offsets in the original text', () => {
		expect(findEmailAddresses('Mail : a.b@c.fr')).toEqual([{ kind: 'email', start: 7, end: 15 }]);
	});

	it('ignores text that only looks like one', () => {
		expect(found('Rendez-vous @ la mairie, compte @famille, adresse a@b')).toEqual([]);
	});
});
