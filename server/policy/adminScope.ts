import type { Executor } from '../db/client';
import { organisations } from '../db/schema';
import type { PolicySubject } from './loadPolicySubject';

/**
 * The organisations whose accounts, teams and devices an administrator manages. One Carnet
 * instance is administered by the host organisation's administrators, who also create the
 * accounts of its providers (a provider is its own organisation: it sees no case of the others
 * unless one is explicitly assigned to one of its users). Case-level administration stays
 * limited to the administrator's own organisation (checkCaseAccess). Narrow here, not in callers.
 */
export async function administeredOrganisationIds(db: Executor, admin: PolicySubject): Promise<Set<string>> {
	if (admin.role !== 'admin' || admin.disabled) return new Set();
	const rows = await db.select({ id: organisations.id }).from(organisations);
	return new Set(rows.map((r) => r.id));
}
