import type postgres from 'postgres';
import { generateSessionToken, sessionIdFromToken } from '../../server/auth/session';

/**
 * Signs users in without the login endpoint: a session row per user, as server/auth/session.ts
 * writes it (only the SHA-256 of the token is stored). Returns the cookie tokens, by user id.
 */
export async function createSessions(sql: postgres.Sql, userIds: string[]): Promise<Map<string, string>> {
	const tokens = new Map(userIds.map((id) => [id, generateSessionToken()]));
	const now = new Date();
	const rows = [...tokens].map(([userId, token]) => ({
		id: sessionIdFromToken(token),
		user_id: userId,
		created_at: now,
		expires_at: new Date(now.getTime() + 12 * 3_600_000),
		last_activity_at: now
	}));
	await sql`delete from sessions where user_id in ${sql(userIds)}`;
	for (let i = 0; i < rows.length; i += 1_000) await sql`insert into sessions ${sql(rows.slice(i, i + 1_000))}`;
	return tokens;
}
