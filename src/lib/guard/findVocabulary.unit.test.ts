import { describe, expect, it } from 'vitest';
import { findVocabulary } from './findVocabulary';

function found(text: string) {
	return findVocabulary(text).map(({ kind, start, end }) => [kind, text.slice(start, end)]);
}

describe('findVocabulary', () => {
	it.each([
		['health', 'Le père est ALCOOLIQUE.', 'ALCOOLIQUE'],
		['health', 'Alcoolisation massive le week-end.', 'Alcoolisation'],
		['health', 'Elle évoque des troubles psychiatriques anciens.', 'troubles psychiatriques'],
		['health', 'Suivi en psychiatrie depuis 2021.', 'psychiatrie'],
		['health', 'Orienté vers le CMP.', 'CMP'],
		['health', 'Épisodes dépressifs signalés.', 'dépressifs'],
		['health', 'Tentative de suicide en mars.', 'Tentative de suicide'],
		['religion', 'La famille est musulmane pratiquante.', 'musulmane'],
		['religion', 'Il va à la Mosquée le vendredi.', 'Mosquée'],
		['religion', 'Ils sont Témoins de Jéhovah.', 'Témoins de Jéhovah'],
		['religion', 'Refuse la viande non halal.', 'halal'],
		['religion', 'Rencontre avec le curé de la paroisse.', 'curé'],
		['origin', 'Famille maghrébine installée en 2010.', 'maghrébine'],
		['origin', 'Il parle arabe avec sa grand-mère.', 'arabe'],
		['origin', 'Famille issue des gens du voyage.', 'gens du voyage'],
		['origin', 'La mère est sans papiers.', 'sans papiers'],
		['sexual_life', 'Le père serait homosexuel.', 'homosexuel'],
		['sexual_life', 'Question de son orientation sexuelle.', 'orientation sexuelle'],
		['sexual_life', 'Pas de contraception.', 'contraception'],
		['judicial', 'Le père a été placé en garde à vue.', 'garde à vue'],
		['judicial', 'Audience chez le Juge des enfants.', 'Juge des enfants'],
		['judicial', 'Sort de la maison d’arrêt.', 'maison d’arrêt'],
		['judicial', 'Deux condamnations pour vol.', 'condamnations'],
		['judicial', 'Il a un casier judiciaire.', 'casier judiciaire'],
		['judgemental', 'Mère HYSTÉRIQUE au téléphone.', 'HYSTÉRIQUE'],
		['judgemental', 'Des parents fainéants.', 'fainéants'],
		['judgemental', 'Un père menteur, une mère menteuse.', 'menteur'],
		['judgemental', 'Une mère négligente.', 'négligente'],
		['judgemental', 'Des propos débiles.', 'débiles'],
		['judgemental', 'Un sale gamin.', 'sale'],
		['judgemental', 'Il est mal élevé.', 'mal élevé']
	])('finds %s vocabulary in "%s"', (kind, text, match) => {
		expect(found(text)).toContainEqual([kind, match]);
	});

	it('returns exactly the expected spans of a realistic note', () => {
		const text =
			'Mme X., d’origine marocaine, dit être suivie au CMP pour une dépression. ' +
			'Le père, en détention à la maison d’arrêt, reste un menteur selon elle.';
		expect(found(text)).toEqual([
			['health', 'CMP'],
			['health', 'dépression'],
			['origin', 'marocaine'],
			['judicial', 'maison d’arrêt'],
			['judgemental', 'menteur']
		]);
	});

	it.each([
		"Visite au domicile, l'enfant a fait ses devoirs avec sa mère, bonne ambiance.",
		'La salle de bains est propre, le repas était salé.',
		'Il a recommencé plusieurs fois, de bonne foi.',
		'Douleur au foie signalée au médecin.',
		'Ils regardent un film culte le samedi.',
		"L'origine du conflit reste floue.",
		'Les négligences éducatives sont au cœur de la mesure.',
		"Mme Y. m'a interpellée sur la rentrée scolaire.",
		"Le parquet de l'appartement est abîmé.",
		'Il s’est attardé au parc avec sa sœur.',
		'Jean est allé voir une pièce de théâtre avec la classe.',
		'Ses crayons de couleur sont rangés dans la trousse.',
		'Un imprévu, il a dû partir à l’étranger une semaine.',
		'La mère est assistée par la TISF pour les repas.',
		'Le sevrage du biberon se passe bien.',
		'La grand-mère part en cure thermale.',
		'Elle se plaint de maux de tête le matin.'
	])('flags nothing in "%s"', (text) => {
		expect(found(text)).toEqual([]);
	});
});
