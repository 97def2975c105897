import { z } from 'zod';
import { devicePolicySchema } from '$lib/shared/sync';
import { roles } from '$lib/shared/domain';
import type { MetaRow, SealedFields } from './CarnetDb';
import { failedUnlocksRow, getFailedUnlocks } from './failedUnlocks';
import { openRow, sealValue, type SealedTable } from './sealedTable';
import { requireDb } from './session';
import { guardWrite } from './writeGuard';

/**
 * Small named values of the store. All are encrypted except `failedUnlocks`, which the lock
 * must read before any key exists (a count of failures is not personal data).
 */
const metaSchemas = {
	deviceId: z.uuid(),
	cursor: z.string().nullable(),
	lastSyncAt: z.string().nullable(),
	policy: devicePolicySchema,
	/** Journal HMAC secret from the server: 64 hex characters. */
	journalSecret: z.string().regex(/^[0-9a-fA-F]{64}$/),
	/** Seq and MAC of the last journal entry appended (kept after the entries are acknowledged). */
	journalHead: z.object({ seq: z.number().int().nonnegative(), mac: z.string().regex(/^[0-9a-f]{64}$/) }),
	/** The signed-in user as the server last described them (auth.me), for offline use. */
	profile: z.looseObject({ id: z.uuid(), displayName: z.string(), role: z.enum(roles) })
};

export type MetaValues = { [K in keyof typeof metaSchemas]: z.infer<(typeof metaSchemas)[K]> } & {
	failedUnlocks: number;
};
export type MetaKey = keyof MetaValues;

function metaTable<K extends SealedMetaKey>(key: K): SealedTable<{ key: K; value: MetaValues[K] }, { key: string }> {
	return {
		table: 'meta',
		schemaVersion: 1,
		schema: z.object({ key: z.literal(key), value: metaSchemas[key] }) as unknown as z.ZodType<{
			key: K;
			value: MetaValues[K];
		}>,
		index: (v) => ({ key: v.key }),
		bindingId: (index) => index.key,
		primaryKey: (row) => row.key
	};
}

/** Reads a value; `undefined` when never set (or quarantined). Encrypted keys need the store unlocked. */
export async function getMeta<K extends MetaKey>(key: K): Promise<MetaValues[K] | undefined> {
	if (key === 'failedUnlocks') return (await getFailedUnlocks()) as MetaValues[K] | undefined;
	const row = await requireDb().meta.get(key);
	const opened = await openRow(metaTable(key as SealedMetaKey), row as ({ key: string } & SealedFields) | undefined);
	return opened?.value as MetaValues[K] | undefined;
}

/** Writes a value (encrypted unless `failedUnlocks`). */
export async function setMeta<K extends MetaKey>(key: K, value: MetaValues[K]): Promise<void> {
	const row = await metaRow(key, value);
	const db = requireDb();
	await guardWrite(() => db.transaction('rw', [db.meta], () => db.meta.put(row)));
}

/** The row `setMeta` would write, to include it in a larger transaction. */
export async function metaRow<K extends MetaKey>(key: K, value: MetaValues[K]): Promise<MetaRow> {
	if (key === 'failedUnlocks') return failedUnlocksRow(value as number);
	const sealedKey = key as SealedMetaKey;
	return sealValue(metaTable(sealedKey), { key: sealedKey, value: value as MetaValues[SealedMetaKey] });
}

type SealedMetaKey = Exclude<MetaKey, 'failedUnlocks'>;
