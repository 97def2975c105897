import type { Executor } from '../db/client';
import type { Role } from '../../src/lib/shared/domain';
import { appError } from '../trpc/appError';
import { loadPolicySubject, type PolicySubject, type UserRef } from './loadPolicySubject';

/**
 * The caller as the database sees them now, refused unless active and in one of `roles`. The
 * session's role is a snapshot: a role change or a disabled account must take effect at once.
 */
export async function requireActiveSubject(db: Executor, user: UserRef, roles: readonly Role[]): Promise<PolicySubject> {
	const subject = await loadPolicySubject(db, user.id);
	if (!subject || subject.disabled || !roles.includes(subject.role)) throw appError('FORBIDDEN', 'forbidden');
	return subject;
}
