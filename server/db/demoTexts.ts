/** Fictitious French material for the demo organisation. Every name, address and number is invented. */

export const childFirstNames = [
	'Léo', 'Jade', 'Lucas', 'Emma', 'Nathan', 'Louise', 'Hugo', 'Alice', 'Enzo', 'Lina', 'Théo', 'Chloé',
	'Noah', 'Inès', 'Maël', 'Manon', 'Sacha', 'Léna', 'Tom', 'Zoé', 'Mathis', 'Camille', 'Rayan', 'Sarah',
	'Nolan', 'Lou', 'Ethan', 'Romane', 'Adam', 'Eva', 'Timéo', 'Nina', 'Gabin', 'Anna', 'Yanis', 'Clara'
];
export const adultFirstNames = [
	'Sandrine', 'Stéphane', 'Nathalie', 'Christophe', 'Céline', 'Frédéric', 'Aurélie', 'Sébastien', 'Karine',
	'Mickaël', 'Virginie', 'Julien', 'Élodie', 'David', 'Sophie', 'Laurent', 'Émilie', 'Nicolas', 'Audrey', 'Cédric'
];
export const lastNames = [
	'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau',
	'Simon', 'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier',
	'Morel', 'Girard', 'André', 'Lefèvre', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez'
];
export const streets = [
	'rue des Lilas', 'allée des Peupliers', 'rue Jean-Jaurès', 'avenue de la Gare', 'rue du Moulin',
	'impasse des Acacias', 'rue Victor-Hugo', 'chemin des Prés', 'place de la Mairie', 'rue Pasteur'
];
/** Invented communes: no real address can be reconstructed from the demo. */
export const towns = ['Villedemo-sur-Lys', 'Saint-Exemple', 'Fictiveville', 'Bourg-Démo', 'Essai-les-Bains', 'Modèle-la-Forêt'];

export const visitPlaces = ['Domicile familial', 'Domicile de la mère', 'Domicile du père', 'Locaux du service', 'École', 'Lieu neutre'];
export const visitPurposes = [
	'Visite à domicile de suivi',
	'Accompagnement aux devoirs et au rythme du soir',
	'Entretien avec les parents',
	'Point sur la scolarité',
	'Préparation de l’audience',
	'Accompagnement au rendez-vous médical',
	'Visite médiatisée',
	'Bilan de la mesure'
];

export const ordinaryNotes = [
	'Visite au domicile en fin d’après-midi. {child} faisait ses devoirs à la table de la cuisine avec sa mère. Le logement est rangé, le frigo est rempli. {child} montre volontiers ses cahiers et parle de sa maîtresse avec enthousiasme.',
	'Entretien avec {parent} au service. Elle/il explique que les horaires de travail ont changé et que l’organisation du matin est plus difficile. Nous avons construit ensemble un planning de la semaine, affiché sur le réfrigérateur.',
	'Appel de l’école : {child} est arrivé·e trois fois en retard cette semaine. Échange avec {parent} qui évoque des difficultés de réveil. Proposition d’un réveil personnel pour {child}, acceptée.',
	'Accompagnement de {child} à l’activité football du mercredi. Bonne intégration dans le groupe, l’entraîneur souligne sa régularité. {child} demande à pouvoir participer au tournoi du mois prochain.',
	'Visite en présence des deux parents. Discussion autour des temps d’écran le soir. Les parents proposent d’eux-mêmes de couper la télévision pendant le repas. À revoir lors de la prochaine visite.',
	'Temps de jeu partagé avec {child} et sa petite sœur. Les interactions sont calmes. {parent} intervient de manière adaptée lors d’un désaccord entre les enfants.',
	'Synthèse du trimestre : la fréquentation scolaire s’est stabilisée, les relations avec l’école sont apaisées. Objectifs pour la suite : autonomie dans les trajets, inscription au centre de loisirs pour les vacances.',
	'Rendez-vous annulé par {parent} le matin même (garde d’un autre enfant). Nouveau rendez-vous fixé la semaine prochaine, confirmé par téléphone.',
	'Accompagnement de {parent} à la CAF pour la mise à jour du dossier. Démarche aboutie, attestation remise.',
	'{child} a participé à la sortie du foyer à la médiathèque. Il/elle a choisi deux bandes dessinées et a demandé à revenir. Bon comportement dans le groupe.',
	'Soirée au foyer : {child} a aidé à mettre la table et a raconté sa journée. Coucher à 21 h sans difficulté.',
	'Point avec l’enseignante de {child} : progrès en lecture, encore des difficultés de concentration l’après-midi. Un temps de soutien est proposé le jeudi.'
];

/** Notes that carry a sensitive category (only habilitated users may read them). */
export const sensitiveNotes: { category: 'health' | 'judicial'; text: string }[] = [
	{ category: 'health', text: 'Rendez-vous chez l’orthophoniste avec {child} et {parent}. Un bilan est prévu le mois prochain ; {parent} souhaite être accompagné·e pour la prise de rendez-vous.' },
	{ category: 'health', text: '{parent} indique suivre un traitement depuis quelques semaines et se sentir plus reposé·e. Elle/il demande que l’information ne soit pas partagée avec l’école.' },
	{ category: 'judicial', text: 'Audience chez le juge des enfants fixée au mois prochain. Préparation du rapport d’échéance ; {parent} a été informé·e de son droit de consulter le dossier au greffe.' }
];

export const reviewComments = [
	'Merci, note claire. Préciser la date du prochain rendez-vous.',
	'Peux-tu reformuler la deuxième phrase en décrivant les faits observés ?',
	'Relu, RAS.'
];
