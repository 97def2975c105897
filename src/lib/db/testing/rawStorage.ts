/**
 * Reads the browser's storage the way an attacker with the profile on disk would: every
 * IndexedDB database, object store, key and value through the plain IndexedDB API (no Dexie),
 * localStorage, sessionStorage and Cache Storage. Returns one text per value found, with
 * binary values decoded both as UTF-8 and as Latin-1.
 */
export async function dumpRawStorage(): Promise<string[]> {
	const texts: string[] = [];
	for (const info of await indexedDB.databases()) {
		if (!info.name) continue;
		texts.push(info.name);
		const db = await openRaw(info.name);
		try {
			const storeNames = [...db.objectStoreNames];
			texts.push(...storeNames);
			for (const storeName of storeNames) {
				const store = db.transaction(storeName, 'readonly').objectStore(storeName);
				texts.push(...store.indexNames);
				const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
				for (const value of [...keys, ...values]) collectTexts(value, texts);
			}
		} finally {
			db.close();
		}
	}
	for (const storage of [localStorage, sessionStorage]) {
		for (let i = 0; i < storage.length; i++) {
			const key = storage.key(i)!;
			texts.push(key, storage.getItem(key) ?? '');
		}
	}
	for (const cacheName of await caches.keys()) {
		texts.push(cacheName);
		const cache = await caches.open(cacheName);
		for (const req of await cache.keys()) {
			texts.push(req.url);
			const response = await cache.match(req);
			if (response) collectTexts(new Uint8Array(await response.arrayBuffer()), texts);
		}
	}
	return texts;
}

/** Raw read-modify-write of one row, as someone editing the files of the profile would. */
export async function tamperRow(
	dbName: string,
	storeName: string,
	key: IDBValidKey,
	change: (row: Record<string, unknown>) => Record<string, unknown>
): Promise<void> {
	const db = await openRaw(dbName);
	try {
		const store = db.transaction(storeName, 'readwrite').objectStore(storeName);
		const row = await request(store.get(key));
		if (!row) throw new Error(`no row ${String(key)} in ${storeName}`);
		await request(store.put(change(row)));
	} finally {
		db.close();
	}
}

/** One row as stored; throws when there is none (a test reading nothing must not pass). */
export async function readRow(dbName: string, storeName: string, key: IDBValidKey): Promise<Record<string, unknown>> {
	const row = (await readRows(dbName, storeName)).find((r) => r.key === key)?.row;
	if (!row) throw new Error(`no row ${String(key)} in ${storeName}`);
	return row;
}

/** Every row of a store with its primary key, as stored. */
export async function readRows(dbName: string, storeName: string): Promise<{ key: IDBValidKey; row: Record<string, unknown> }[]> {
	const db = await openRaw(dbName);
	try {
		const store = db.transaction(storeName, 'readonly').objectStore(storeName);
		const [keys, rows] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
		return rows.map((row, i) => ({ key: keys[i], row }));
	} finally {
		db.close();
	}
}

/** The note packs (db/notePacks.ts) whose clear refs name this note. */
export async function packsOf(dbName: string, noteId: string): Promise<Record<string, unknown>[]> {
	const rows = await readRows(dbName, 'notePacks');
	return rows.map((r) => r.row).filter((row) => (row.refs as string[]).some((ref) => ref.startsWith(`${noteId}|`)));
}

/** The one note pack holding this note; throws when there is not exactly one. */
export async function packOf(dbName: string, noteId: string): Promise<Record<string, unknown>> {
	const packs = await packsOf(dbName, noteId);
	if (packs.length !== 1) throw new Error(`${packs.length} packs hold note ${noteId}`);
	return packs[0];
}

/** Writes a row as given, as someone editing the files of the profile would (a row put back). */
export async function putRawRow(dbName: string, storeName: string, row: Record<string, unknown>): Promise<void> {
	const db = await openRaw(dbName);
	try {
		await request(db.transaction(storeName, 'readwrite').objectStore(storeName).put(row));
	} finally {
		db.close();
	}
}

function collectTexts(value: unknown, texts: string[]): void {
	if (value === null || value === undefined) return;
	if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
		texts.push(String(value));
	} else if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
		const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
		texts.push(new TextDecoder('utf-8').decode(bytes), new TextDecoder('latin1').decode(bytes));
	} else if (value instanceof Blob) {
		texts.push(`[blob ${value.size}]`);
	} else if (Array.isArray(value)) {
		for (const item of value) collectTexts(item, texts);
	} else if (typeof value === 'object') {
		for (const [key, item] of Object.entries(value)) {
			texts.push(key);
			collectTexts(item, texts);
		}
	}
}

function openRaw(name: string): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const req = indexedDB.open(name);
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error);
	});
}

function request<T>(req: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error);
	});
}
