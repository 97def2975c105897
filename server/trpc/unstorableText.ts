/**
 * Whether an input holds text PostgreSQL cannot store: a NUL character (refused in every text
 * column) or a lone UTF-16 surrogate (refused by jsonb, so by the audit details). Such input is
 * refused as invalid before any handler runs, instead of failing in a query as an internal error.
 * Walks iteratively: a client may send deeply nested JSON.
 */
export function hasUnstorableText(input: unknown): boolean {
	const stack: unknown[] = [input];
	while (stack.length > 0) {
		const value = stack.pop();
		if (typeof value === 'string') {
			if (isUnstorable(value)) return true;
		} else if (Array.isArray(value)) {
			for (const item of value) stack.push(item);
		} else if (value && typeof value === 'object') {
			for (const [key, item] of Object.entries(value)) {
				if (isUnstorable(key)) return true;
				stack.push(item);
			}
		}
	}
	return false;
}

function isUnstorable(text: string): boolean {
	return text.includes('\u0000') || !text.isWellFormed();
}
