import { z } from 'zod';
import { caseStatuses, measureTypes, noteKinds, noteStatuses, personRoles, sensitiveCategories, visitStatuses } from '../../src/lib/shared/domain';

/**
 * The machine-readable answer to a right of access or portability (RGPD art. 15 and 20):
 * everything Carnet holds about one person, and nothing that identifies anyone else.
 *
 * - `person`: the person's own record.
 * - `case`: the measure they are part of (no other person of the case is listed).
 * - `notes`, `visits`: the follow-up of that measure, with every earlier revision of each note.
 *   Authors appear by profession, not by name (CJUE, C-579/21, 22 June 2023). Free text may
 *   mention relatives: the DPO reads the export before handing it over (art. 15.4, rights of
 *   others) and may black out such passages in the printed version.
 * - `rightsRequests`: the person's requests and their answers.
 * - `accessLog`: who looked at the file, as when, what, online or offline and the role.
 * For portability (art. 20: data "fournies par la personne"), only `person` is filled; the
 * other lists are empty.
 * Dates are ISO-8601 strings (a date alone: YYYY-MM-DD). Version 1 of the format.
 */
export const personExportSchema = z.object({
	format: z.literal('carnet.person-export'),
	version: z.literal(1),
	purpose: z.enum(['access', 'portability']),
	exportedAt: z.iso.datetime(),
	controller: z.string(),
	person: z.object({
		id: z.uuid(),
		role: z.enum(personRoles),
		firstName: z.string(),
		lastName: z.string(),
		birthDate: z.string().nullable(),
		address: z.string().nullable(),
		phone: z.string().nullable(),
		email: z.string().nullable(),
		relationship: z.string().nullable(),
		frozen: z.boolean(),
		recordedAt: z.iso.datetime()
	}),
	case: z
		.object({
			id: z.uuid(),
			reference: z.string(),
			measureType: z.enum(measureTypes),
			status: z.enum(caseStatuses),
			openedAt: z.string(),
			closedAt: z.string().nullable(),
			lastContactAt: z.iso.datetime().nullable(),
			retention: z.object({ rule: z.string(), reference: z.string(), archiveAt: z.string().nullable(), destroyAt: z.string().nullable() })
		})
		.nullable(),
	notes: z.array(
		z.object({
			id: z.uuid(),
			kind: z.enum(noteKinds),
			status: z.enum(noteStatuses),
			sensitiveCategory: z.enum(sensitiveCategories).nullable(),
			body: z.string(),
			authorProfession: z.string().nullable(),
			writtenAt: z.iso.datetime(),
			receivedAt: z.iso.datetime(),
			revisions: z.array(z.object({ revision: z.number().int(), body: z.string(), writtenAt: z.iso.datetime() }))
		})
	),
	visits: z.array(
		z.object({
			id: z.uuid(),
			plannedAt: z.iso.datetime(),
			status: z.enum(visitStatuses),
			place: z.string().nullable(),
			purpose: z.string().nullable()
		})
	),
	rightsRequests: z.array(
		z.object({
			id: z.uuid(),
			kind: z.string(),
			receivedAt: z.string(),
			dueAt: z.string(),
			status: z.string(),
			outcome: z.string().nullable()
		})
	),
	accessLog: z.array(
		z.object({
			occurredAt: z.iso.datetime(),
			action: z.string(),
			offline: z.boolean(),
			actorRole: z.string().nullable()
		})
	)
});

export type PersonExport = z.infer<typeof personExportSchema>;
