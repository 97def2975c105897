/**
 * Name and schema version of the four tables a pull fills: what a row's ciphertext is bound to
 * (`table|id|schemaVersion`). Kept apart from tables.ts (which adds the record schemas) so that
 * the page-sealing worker does not load zod and the schemas.
 */
export const syncedTables = {
	cases: { table: 'cases', schemaVersion: 1 },
	persons: { table: 'persons', schemaVersion: 1 },
	notes: { table: 'notes', schemaVersion: 1 },
	visits: { table: 'visits', schemaVersion: 1 }
} as const;
