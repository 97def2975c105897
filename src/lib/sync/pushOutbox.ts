import { api } from '$lib/api/client';
import { listOutbox, removeFromOutbox, saveDraft, wipeStore, type OutboxItem } from '$lib/db';
import { limits } from '$lib/shared/domain';
import type { Mutation, MutationResult, RejectionCode } from '$lib/shared/sync';
import { SyncError } from './SyncError';

export interface SyncIssue {
	mutationId: string;
	caseId: string | null;
	kind: 'conflict' | 'rejected';
	code?: RejectionCode;
	/** Where the worker's text now is: a draft (rejected) or a conflict revision on the server. */
	draftId?: string;
	at: string;
}

/**
 * Sends the outbox in order, in batches. A mutation leaves the outbox only once the server
 * has answered it: applied and duplicate are done; a conflict is kept by the server as a
 * revision; a rejection puts the text back into a draft so nothing typed is ever lost.
 */
export async function pushOutbox(deviceId: string): Promise<{ pushed: number; issues: SyncIssue[] }> {
	const issues: SyncIssue[] = [];
	let pushed = 0;
	for (let round = 0; round < 1_000; round++) {
		const { items } = await listOutbox();
		if (items.length === 0) break;
		const batch = items.slice(0, limits.pushMaxMutations);
		const response = await api.sync.push.mutate({ deviceId, mutations: batch.map((item) => item.mutation) });
		if (response.wipe) {
			await wipeStore();
			await api.sync.acknowledgeWipe.mutate({ deviceId }).catch(() => {});
			throw new SyncError('wiped');
		}
		const byId = new Map(batch.map((item) => [item.mutation.id, item]));
		const answered: string[] = [];
		for (const result of response.results) {
			const item = byId.get(result.id);
			if (!item) continue;
			const issue = await settle(item, result);
			if (issue) issues.push(issue);
			answered.push(result.id);
		}
		await removeFromOutbox(answered);
		pushed += answered.length;
		// A server that answers nothing for a batch would loop forever: stop and retry later.
		if (answered.length === 0) throw new SyncError('server');
	}
	return { pushed, issues };
}

type PushResult = { id: string; status: MutationResult['status']; code?: RejectionCode; first?: unknown };

async function settle(item: OutboxItem, answer: PushResult): Promise<SyncIssue | null> {
	const at = new Date().toISOString();
	// A replay (the first answer was lost on the way back) carries the first result: settle on that.
	const result = answer.status === 'duplicate' && isPushResult(answer.first) ? answer.first : answer;
	if (result.status === 'applied' || result.status === 'duplicate') return null;
	if (result.status === 'conflict') {
		return { mutationId: item.mutation.id, caseId: item.caseId, kind: 'conflict', at };
	}
	const draftId = await restoreDraft(item.mutation, item.caseId);
	return { mutationId: item.mutation.id, caseId: item.caseId, kind: 'rejected', code: result.code, draftId: draftId ?? undefined, at };
}

function isPushResult(value: unknown): value is PushResult {
	return typeof value === 'object' && value !== null && 'status' in value && typeof (value as PushResult).status === 'string';
}

/** Puts the text of a rejected mutation back into a draft. */
async function restoreDraft(mutation: Mutation, caseId: string | null): Promise<string | null> {
	if (!caseId) return null;
	const base = { id: crypto.randomUUID(), caseId, noteId: null, updatedAt: new Date().toISOString() };
	switch (mutation.type) {
		case 'note.create':
		case 'note.update': {
			const { kind, body, sensitiveCategory } = mutation.payload;
			await saveDraft({ ...base, visitId: null, kind, body, sensitiveCategory });
			return base.id;
		}
		case 'visit.report': {
			const { visitId, body, sensitiveCategory } = mutation.payload;
			await saveDraft({ ...base, visitId, kind: 'visit_report', body, sensitiveCategory });
			return base.id;
		}
		default:
			return null;
	}
}
