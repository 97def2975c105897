import { parseConfig } from '../config';
import { openDatabase } from './client';
import { seedDemoIfEmpty } from './seedDemo';

/** `npm run db:seed-demo`: seeds the demo organisation into an empty database (PostgreSQL or PGlite). */
const config = parseConfig(process.env);
const handle = await openDatabase({ databaseUrl: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR, migrationsDir: config.MIGRATIONS_DIR });
try {
	const counts = await seedDemoIfEmpty(handle.db);
	if (counts) console.log(`Données de démonstration créées (${handle.kind}) :`, counts);
	else console.log('La base contient déjà des comptes : rien n’a été ajouté.');
} finally {
	await handle.close();
}
