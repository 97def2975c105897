import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { reusableQuery } from '../db/reusableQuery';
import { sessions, users } from '../db/schema';
import type { Role, SensitiveCategory } from '../../src/lib/shared/domain';

/** Sessions as in Lucia's current guide: a random token in the cookie, only its SHA-256 stored. */

export const SESSION_COOKIE = 'carnet_session';
/** Avoid a write on every request: lastActivityAt is refreshed at most once a minute. */
const ACTIVITY_REFRESH_MS = 60_000;

export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdFromToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(
	db: Executor,
	token: string,
	userId: string,
	now: Date,
	policy: SessionPolicy
): Promise<Session> {
	const session: Session = {
		id: sessionIdFromToken(token),
		userId,
		createdAt: now,
		expiresAt: new Date(now.getTime() + policy.maxAgeMs),
		lastActivityAt: now
	};
	await db.insert(sessions).values(session);
	return session;
}

/** Returns the session and its user, or null when absent, expired, idle too long or the user is disabled. */
export async function validateSessionToken(
	db: Executor,
	token: string,
	now: Date,
	policy: SessionPolicy
): Promise<SessionValidationResult> {
	if (!/^[a-z2-7]{32}$/.test(token)) return { session: null, user: null };
	const sessionId = sessionIdFromToken(token);
	const [row] = await sessionRow(db, { sessionId });
	if (!row) return { session: null, user: null };
	const { session } = row;
	const idleLimit = session.lastActivityAt.getTime() + policy.idleMs;
	if (now >= session.expiresAt || now.getTime() >= idleLimit || row.user.disabledAt) {
		await db.delete(sessions).where(eq(sessions.id, sessionId));
		return { session: null, user: null };
	}
	if (now.getTime() - session.lastActivityAt.getTime() >= ACTIVITY_REFRESH_MS) {
		session.lastActivityAt = now;
		await db.update(sessions).set({ lastActivityAt: now }).where(eq(sessions.id, sessionId));
	}
	const { disabledAt: _disabledAt, ...user } = row.user;
	return { session, user };
}

export async function invalidateSession(db: Executor, sessionId: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Revokes every session of a user (password change or reset, account disabled), optionally keeping one. */
export async function invalidateUserSessions(
	db: Executor,
	userId: string,
	exceptSessionId?: string
): Promise<void> {
	await db
		.delete(sessions)
		.where(
			exceptSessionId
				? and(eq(sessions.userId, userId), ne(sessions.id, exceptSessionId))
				: eq(sessions.userId, userId)
		);
}

/** The Set-Cookie header of a session: HttpOnly, SameSite=Lax, Secure over HTTPS. */
export function sessionCookieHeader(token: string, expiresAt: Date, secure: boolean): string {
	const parts = [
		`${SESSION_COOKIE}=${token}`,
		'Path=/',
		'HttpOnly',
		'SameSite=Lax',
		`Expires=${expiresAt.toUTCString()}`
	];
	if (secure) parts.push('Secure');
	return parts.join('; ');
}

export function blankSessionCookieHeader(secure: boolean): string {
	const parts = [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0'];
	if (secure) parts.push('Secure');
	return parts.join('; ');
}

const sessionUserColumns = {
	id: users.id,
	organisationId: users.organisationId,
	teamId: users.teamId,
	username: users.username,
	displayName: users.displayName,
	role: users.role,
	profession: users.profession,
	mustChangePassword: users.mustChangePassword,
	habilitations: users.habilitations,
	disabledAt: users.disabledAt
};

/** Rendered once per process (server/db/reusableQuery.ts): every request with a cookie runs it. */
const sessionRow = reusableQuery((db) =>
	db
		.select({ session: sessions, user: sessionUserColumns })
		.from(sessions)
		.innerJoin(users, eq(sessions.userId, users.id))
		.where(eq(sessions.id, sql.placeholder('sessionId')))
);

export interface SessionPolicy {
	maxAgeMs: number;
	idleMs: number;
}

export interface Session {
	id: string;
	userId: string;
	createdAt: Date;
	expiresAt: Date;
	lastActivityAt: Date;
}

export interface SessionUser {
	id: string;
	organisationId: string;
	teamId: string | null;
	username: string;
	displayName: string;
	role: Role;
	profession: string | null;
	mustChangePassword: boolean;
	habilitations: SensitiveCategory[];
}

export type SessionValidationResult =
	| { session: Session; user: SessionUser }
	| { session: null; user: null };
