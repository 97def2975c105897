/**
 * Password policy of the CNIL (délibération 2022-100, "cas n°1", about 80 bits of entropy):
 * - at least 12 characters with upper case, lower case, digit and special character; or
 * - at least 14 characters with three of those four kinds; or
 * - a passphrase of at least 7 words (and 20 characters).
 * Returns the French reasons for a refusal; an empty list means accepted.
 */
export function checkPasswordPolicy(password: string, username?: string): string[] {
	if (password.length > 256) return ['Le mot de passe ne doit pas dépasser 256 caractères.'];
	const kinds = {
		lower: /\p{Ll}/u.test(password),
		upper: /\p{Lu}/u.test(password),
		digit: /\p{Nd}/u.test(password),
		special: /[^\p{L}\p{Nd}]/u.test(password)
	};
	const kindCount = Object.values(kinds).filter(Boolean).length;
	const words = password.trim().split(/[\s\-_.]+/u).filter((w) => w.length >= 2);
	const reasons: string[] = [];
	if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) {
		reasons.push('Le mot de passe ne doit pas contenir votre identifiant.');
	}
	const passphrase = words.length >= 7 && password.length >= 20;
	const fourKinds = password.length >= 12 && kindCount === 4;
	const threeKinds = password.length >= 14 && kindCount >= 3;
	if (!(passphrase || fourKinds || threeKinds)) {
		const missing: string[] = [];
		if (password.length < 12) missing.push(`au moins 12 caractères (il y en a ${password.length})`);
		if (!kinds.upper) missing.push('une majuscule');
		if (!kinds.lower) missing.push('une minuscule');
		if (!kinds.digit) missing.push('un chiffre');
		if (!kinds.special) missing.push('un caractère spécial');
		reasons.push(
			`Mot de passe trop faible : il manque ${joinFrench(missing)}. ` +
				'Autres possibilités : 14 caractères avec trois types parmi majuscules, minuscules, chiffres et caractères spéciaux, ou une phrase de passe de 7 mots.'
		);
	}
	return reasons;
}

function joinFrench(items: string[]): string {
	if (items.length <= 1) return items.join('');
	return `${items.slice(0, -1).join(', ')} et ${items.at(-1)}`;
}
