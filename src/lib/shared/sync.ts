import { z } from 'zod';
import { journalActions, limits, noteKinds, sensitiveCategories, visitStatuses } from './domain';
import {
	caseRecordSchema,
	noteRecordSchema,
	personRecordSchema,
	tombstoneSchema,
	visitRecordSchema
} from './records';

/** Wire contract of sync.pull / sync.push / sync.journal (DESIGN.md, "Sync protocol"). */

export const deviceIdSchema = z.uuid();

export const pullInputSchema = z.object({
	deviceId: deviceIdSchema,
	deviceLabel: z.string().max(120).optional(),
	/** Highest version already applied by the device; '0' or absent for a first sync. */
	cursor: z.string().regex(/^\d{1,18}$/).nullable(),
	heldCaseIds: z.array(z.uuid()).max(2_000),
	/**
	 * `true`: the records come packed (`packed` in the answer, the four record arrays empty), as
	 * a device stores them. Absent or false: as objects.
	 */
	packed: z.boolean().optional()
});
export type PullInput = z.infer<typeof pullInputSchema>;

export const devicePolicySchema = z.object({
	lockTimeoutSeconds: z.number().int(),
	maxOfflineDays: z.number().int()
});
export type DevicePolicy = z.infer<typeof devicePolicySchema>;

/**
 * A record of sync.pull as the device stores it: the clear fields its row keeps beside the
 * ciphertext, and `json`, the UTF-8 JSON of the whole record (the same record as in the object
 * form, so of the same schema), in base64: the device encrypts those bytes as they are, without
 * parsing and re-serialising each record. For a case, `caseId` is its own id.
 */
export const packedRecordSchema = z.object({
	id: z.uuid(),
	caseId: z.uuid(),
	version: z.number(),
	/** Base64 (not checked by this schema: the records were checked as objects before packing). */
	json: z.string()
});
export type PackedRecord = z.infer<typeof packedRecordSchema>;

export const packedRecordsSchema = z.object({
	cases: z.array(packedRecordSchema),
	persons: z.array(packedRecordSchema),
	notes: z.array(packedRecordSchema),
	visits: z.array(packedRecordSchema)
});
export type PackedRecords = z.infer<typeof packedRecordsSchema>;

export const pullOutputSchema = z.discriminatedUnion('wipe', [
	z.object({ wipe: z.literal(true) }),
	z.object({
		wipe: z.literal(false),
		cursor: z.string(),
		hasMore: z.boolean(),
		revokedCaseIds: z.array(z.uuid()),
		cases: z.array(caseRecordSchema),
		persons: z.array(personRecordSchema),
		notes: z.array(noteRecordSchema),
		visits: z.array(visitRecordSchema),
		tombstones: z.array(tombstoneSchema),
		policy: devicePolicySchema,
		/**
		 * The HMAC secret of the device's journal (hex, 32 bytes): on the pull that registered the
		 * device, and again on a pull without cursor while no journal entry of the device has been
		 * accepted (the first answer may have been lost); null otherwise.
		 */
		journalSecret: z.string().nullable(),
		/** Last journal seq the server has accepted for this device. */
		journalAckSeq: z.number().int(),
		serverTime: z.string(),
		/** With `packed: true` in the input: the page's records (the four arrays above are then empty). */
		packed: packedRecordsSchema.optional()
	})
]);
export type PullOutput = z.infer<typeof pullOutputSchema>;

const noteBody = z.string().trim().min(1).max(limits.noteBodyMaxChars);

export const mutationSchema = z.discriminatedUnion('type', [
	z.object({
		id: z.uuid(),
		type: z.literal('note.create'),
		baseVersion: z.null(),
		payload: z.object({
			noteId: z.uuid(),
			caseId: z.uuid(),
			kind: z.enum(noteKinds),
			body: noteBody,
			sensitiveCategory: z.enum(sensitiveCategories).nullable(),
			createdOnDeviceAt: z.iso.datetime()
		})
	}),
	z.object({
		id: z.uuid(),
		type: z.literal('note.update'),
		baseVersion: z.number().int().nonnegative(),
		payload: z.object({
			noteId: z.uuid(),
			kind: z.enum(noteKinds),
			body: noteBody,
			sensitiveCategory: z.enum(sensitiveCategories).nullable(),
			editedOnDeviceAt: z.iso.datetime()
		})
	}),
	z.object({
		id: z.uuid(),
		type: z.literal('visit.report'),
		baseVersion: z.number().int().nonnegative(),
		payload: z.object({
			visitId: z.uuid(),
			noteId: z.uuid(),
			body: noteBody,
			sensitiveCategory: z.enum(sensitiveCategories).nullable(),
			createdOnDeviceAt: z.iso.datetime()
		})
	}),
	z.object({
		id: z.uuid(),
		type: z.literal('visit.status'),
		baseVersion: z.number().int().nonnegative(),
		payload: z.object({
			visitId: z.uuid(),
			status: z.enum(visitStatuses)
		})
	})
]);
export type Mutation = z.infer<typeof mutationSchema>;

export const pushInputSchema = z.object({
	deviceId: deviceIdSchema,
	mutations: z.array(mutationSchema).min(1).max(limits.pushMaxMutations)
});
export type PushInput = z.infer<typeof pushInputSchema>;

export const rejectionCodes = [
	'not-found-or-no-access',
	'frozen',
	'invalid',
	'already-reviewed',
	'case-closed'
] as const;
export type RejectionCode = (typeof rejectionCodes)[number];

export const mutationResultSchema = z.discriminatedUnion('status', [
	z.object({ id: z.uuid(), status: z.literal('applied'), version: z.number() }),
	z.object({ id: z.uuid(), status: z.literal('duplicate'), first: z.unknown() }),
	z.object({
		id: z.uuid(),
		status: z.literal('conflict'),
		/** Id of the conflict revision that keeps this device's text. */
		revisionId: z.uuid(),
		version: z.number()
	}),
	z.object({ id: z.uuid(), status: z.literal('rejected'), code: z.enum(rejectionCodes) })
]);
export type MutationResult = z.infer<typeof mutationResultSchema>;

export const pushOutputSchema = z.union([
	z.object({ wipe: z.literal(true) }),
	z.object({ wipe: z.literal(false), results: z.array(mutationResultSchema) })
]);
export type PushOutput = z.infer<typeof pushOutputSchema>;

export const journalEntrySchema = z.object({
	seq: z.number().int().positive(),
	at: z.iso.datetime(),
	caseId: z.uuid(),
	noteId: z.uuid().nullable(),
	action: z.enum(journalActions),
	offline: z.boolean(),
	/** HMAC-SHA256(secret, message(prevMac, entry)), lowercase hex. */
	mac: z.string().regex(/^[0-9a-f]{64}$/)
});
export type JournalEntry = z.infer<typeof journalEntrySchema>;

export const journalInputSchema = z.object({
	deviceId: deviceIdSchema,
	entries: z.array(journalEntrySchema).min(1).max(limits.journalMaxEntries)
});
export type JournalInput = z.infer<typeof journalInputSchema>;

export const journalOutputSchema = z.object({
	/** Every entry up to this seq is stored: the device may delete them. */
	ackSeq: z.number().int(),
	incidents: z.array(z.enum(['gap', 'bad-mac', 'fork', 'unknown-case']))
});
export type JournalOutput = z.infer<typeof journalOutputSchema>;

/** The MAC of the first entry chains from this value. */
export const JOURNAL_GENESIS_MAC = '0'.repeat(64);

/**
 * The exact bytes (UTF-8 of this string) that the journal HMAC covers:
 * the previous MAC (hex) and every field of the entry, in a fixed order.
 */
export function journalMacMessage(prevMac: string, entry: Omit<JournalEntry, 'mac'>): string {
	return [
		prevMac,
		entry.seq,
		entry.at,
		entry.caseId,
		entry.noteId ?? '',
		entry.action,
		entry.offline ? '1' : '0'
	].join('|');
}
