import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { users } from './schema';
import { createTestDatabase, databaseKinds } from '../../tests/support/testDatabase';

describe.runIf(databaseKinds.includes('postgres'))('replacing the PostgreSQL pool', () => {
	it('keeps the same Database working, transactions and timestamp parsing included', async () => {
		const handle = await createTestDatabase('postgres');
		try {
			expect(handle.recyclePool).toBeTypeOf('function');
			await handle.db.insert(users).values({
				organisationId: (await handle.db.execute<{ id: string }>(sql`insert into organisations (name, kind) values ('Org', 'association') returning id`))[0].id,
				username: 'essai',
				displayName: 'Essai',
				role: 'worker',
				passwordHash: 'x'
			});
			await handle.recyclePool!();
			const [row] = await handle.db.select({ createdAt: users.createdAt }).from(users);
			expect(row.createdAt).toBeInstanceOf(Date);
			const count = await handle.db.transaction(async (tx) => (await tx.select().from(users)).length);
			expect(count).toBe(1);
		} finally {
			await handle.destroy();
		}
	});
});
