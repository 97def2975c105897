import { Dexie } from 'dexie';
import { CarnetDb } from './CarnetDb';
import { forgetDataKey, replaceDb, requireDb } from './session';

/**
 * Deletes the whole store of the open user (logout, remote wipe, too many failed unlocks):
 * keyring, records, drafts, outbox, journal, meta. The store stays open, empty, without keyring.
 */
export async function wipeStore(): Promise<void> {
	const db = requireDb();
	const name = db.name;
	forgetDataKey();
	db.close();
	await Dexie.delete(name);
	const fresh = new CarnetDb(name);
	replaceDb(fresh);
	await fresh.open();
}
