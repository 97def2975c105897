import { sql } from 'drizzle-orm';
import {
	bigint,
	bigserial,
	boolean,
	date,
	index,
	integer,
	jsonb,
	pgEnum,
	pgSequence,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import {
	assignmentRoles,
	caseStatuses,
	measureTypes,
	noteKinds,
	noteStatuses,
	personRoles,
	roles,
	sensitiveCategories,
	visitStatuses
} from '../../src/lib/shared/domain';

/**
 * The whole server data model (DESIGN.md, "Data model"). Every synced row carries a `version`
 * taken from one sequence; a trigger (migration 0001) sets a fresh one on every update, so
 * `version > cursor` is the complete list of changes since a device's last pull. That holds only
 * if versions become visible in their order: carnet_next_version() (migration 0002) takes the
 * audit chain's transaction lock before the sequence, so a transaction holding a version commits
 * before anyone takes the next one.
 */

export const syncVersion = pgSequence('sync_version', { startWith: 1 });
const nextVersion = sql`carnet_next_version()`;
const version = () => bigint('version', { mode: 'number' }).notNull().default(nextVersion);
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const roleEnum = pgEnum('role', roles);
export const measureTypeEnum = pgEnum('measure_type', measureTypes);
export const caseStatusEnum = pgEnum('case_status', caseStatuses);
export const sensitiveCategoryEnum = pgEnum('sensitive_category', sensitiveCategories);
export const noteKindEnum = pgEnum('note_kind', noteKinds);
export const noteStatusEnum = pgEnum('note_status', noteStatuses);
export const visitStatusEnum = pgEnum('visit_status', visitStatuses);
export const personRoleEnum = pgEnum('person_role', personRoles);
export const assignmentRoleEnum = pgEnum('assignment_role', assignmentRoles);

export const organisations = pgTable('organisations', {
	id: uuid('id').primaryKey().defaultRandom(),
	name: text('name').notNull(),
	kind: text('kind', { enum: ['association', 'provider', 'department'] }).notNull(),
	/** Device policy (DESIGN.md): idle lock, max offline period; and audit retention. */
	lockTimeoutSeconds: integer('lock_timeout_seconds').notNull().default(300),
	maxOfflineDays: integer('max_offline_days').notNull().default(7),
	auditRetentionDays: integer('audit_retention_days').notNull().default(365),
	createdAt: ts('created_at').notNull().defaultNow()
});

export const teams = pgTable('teams', {
	id: uuid('id').primaryKey().defaultRandom(),
	organisationId: uuid('organisation_id')
		.notNull()
		.references(() => organisations.id),
	name: text('name').notNull(),
	createdAt: ts('created_at').notNull().defaultNow()
});

export const users = pgTable(
	'users',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		organisationId: uuid('organisation_id')
			.notNull()
			.references(() => organisations.id),
		teamId: uuid('team_id').references(() => teams.id),
		username: text('username').notNull(),
		displayName: text('display_name').notNull(),
		role: roleEnum('role').notNull(),
		profession: text('profession'),
		passwordHash: text('password_hash').notNull(),
		mustChangePassword: boolean('must_change_password').notNull().default(false),
		/** Consecutive failed logins, reset by a success; drives the per-account delays and lock. */
		failedLogins: integer('failed_logins').notNull().default(0),
		lockedUntil: ts('locked_until'),
		lastFailedLoginAt: ts('last_failed_login_at'),
		disabledAt: ts('disabled_at'),
		lastLoginAt: ts('last_login_at'),
		lastReviewAt: ts('last_review_at'),
		passwordChangedAt: ts('password_changed_at'),
		/** Sensitive categories this user is habilitated to read. */
		habilitations: sensitiveCategoryEnum('habilitations').array().notNull().default(sql`'{}'`),
		createdAt: ts('created_at').notNull().defaultNow(),
		version: version()
	},
	(t) => [uniqueIndex('users_username_idx').on(t.username)]
);

export const cases = pgTable(
	'cases',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		organisationId: uuid('organisation_id')
			.notNull()
			.references(() => organisations.id),
		teamId: uuid('team_id').references(() => teams.id),
		reference: text('reference').notNull(),
		measureType: measureTypeEnum('measure_type').notNull(),
		status: caseStatusEnum('status').notNull().default('open'),
		openedAt: date('opened_at', { mode: 'string' }).notNull(),
		closedAt: date('closed_at', { mode: 'string' }),
		lastContactAt: ts('last_contact_at'),
		archivedAt: ts('archived_at'),
		createdAt: ts('created_at').notNull().defaultNow(),
		version: version()
	},
	(t) => [index('cases_team_idx').on(t.teamId), index('cases_version_idx').on(t.version)]
);

export const persons = pgTable(
	'persons',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		role: personRoleEnum('role').notNull(),
		firstName: text('first_name').notNull(),
		lastName: text('last_name').notNull(),
		birthDate: date('birth_date', { mode: 'string' }),
		address: text('address'),
		phone: text('phone'),
		email: text('email'),
		relationship: text('relationship'),
		/** Limitation of processing (right of the person): read-only everywhere while set. */
		frozenAt: ts('frozen_at'),
		createdAt: ts('created_at').notNull().defaultNow(),
		version: version()
	},
	(t) => [index('persons_case_idx').on(t.caseId, t.version)]
);

export const assignments = pgTable(
	'assignments',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		role: assignmentRoleEnum('role').notNull(),
		startsAt: ts('starts_at').notNull().defaultNow(),
		endsAt: ts('ends_at'),
		createdBy: uuid('created_by').references(() => users.id),
		createdAt: ts('created_at').notNull().defaultNow(),
		version: version()
	},
	(t) => [index('assignments_user_idx').on(t.userId), index('assignments_case_idx').on(t.caseId)]
);

/** Suppléance: a colleague covers an absent worker's cases until a mandatory end date. */
export const delegations = pgTable(
	'delegations',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		fromUserId: uuid('from_user_id')
			.notNull()
			.references(() => users.id),
		toUserId: uuid('to_user_id')
			.notNull()
			.references(() => users.id),
		reason: text('reason').notNull(),
		startsAt: ts('starts_at').notNull().defaultNow(),
		endsAt: ts('ends_at').notNull(),
		revokedAt: ts('revoked_at'),
		createdBy: uuid('created_by')
			.notNull()
			.references(() => users.id),
		createdAt: ts('created_at').notNull().defaultNow(),
		version: version()
	},
	(t) => [index('delegations_to_idx').on(t.toUserId)]
);

/** Break the glass: online only, reason required, two hours. */
export const emergencyGrants = pgTable(
	'emergency_grants',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		reason: text('reason').notNull(),
		grantedAt: ts('granted_at').notNull().defaultNow(),
		expiresAt: ts('expires_at').notNull(),
		createdBy: uuid('created_by')
			.notNull()
			.references(() => users.id),
		revokedAt: ts('revoked_at'),
		version: version()
	},
	(t) => [index('emergency_grants_user_idx').on(t.userId)]
);

export const notes = pgTable(
	'notes',
	{
		/** Client-generated UUID: a note keeps its id from the device to the server. */
		id: uuid('id').primaryKey(),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		authorId: uuid('author_id')
			.notNull()
			.references(() => users.id),
		kind: noteKindEnum('kind').notNull(),
		body: text('body').notNull(),
		sensitiveCategory: sensitiveCategoryEnum('sensitive_category'),
		status: noteStatusEnum('status').notNull().default('submitted'),
		reviewComment: text('review_comment'),
		reviewedBy: uuid('reviewed_by').references(() => users.id),
		reviewedAt: ts('reviewed_at'),
		visitId: uuid('visit_id'),
		/** A conflict revision: an edit made on a stale version, kept beside the current note. */
		conflictOf: uuid('conflict_of'),
		deviceId: uuid('device_id'),
		revision: integer('revision').notNull().default(1),
		createdOnDeviceAt: ts('created_on_device_at').notNull(),
		receivedAt: ts('received_at').notNull().defaultNow(),
		version: version()
	},
	(t) => [
		index('notes_case_version_idx').on(t.caseId, t.version),
		index('notes_status_idx').on(t.status)
	]
);

/** Every earlier text of a note: notes are versioned, never overwritten without a trace. */
export const noteRevisions = pgTable(
	'note_revisions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		noteId: uuid('note_id')
			.notNull()
			.references(() => notes.id, { onDelete: 'cascade' }),
		revision: integer('revision').notNull(),
		body: text('body').notNull(),
		kind: noteKindEnum('kind').notNull(),
		sensitiveCategory: sensitiveCategoryEnum('sensitive_category'),
		authorId: uuid('author_id')
			.notNull()
			.references(() => users.id),
		deviceId: uuid('device_id'),
		createdAt: ts('created_at').notNull().defaultNow()
	},
	(t) => [index('note_revisions_note_idx').on(t.noteId)]
);

export const visits = pgTable(
	'visits',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		caseId: uuid('case_id')
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		userId: uuid('user_id').references(() => users.id),
		plannedAt: ts('planned_at').notNull(),
		status: visitStatusEnum('status').notNull().default('planned'),
		place: text('place'),
		purpose: text('purpose'),
		reportNoteId: uuid('report_note_id'),
		createdAt: ts('created_at').notNull().defaultNow(),
		version: version()
	},
	(t) => [index('visits_case_version_idx').on(t.caseId, t.version)]
);

/** Rows deleted for good (retention, erasure) leave a tombstone so devices drop them too. */
export const tombstones = pgTable(
	'tombstones',
	{
		id: uuid('id').notNull(),
		entity: text('entity', { enum: ['case', 'person', 'note', 'visit'] }).notNull(),
		caseId: uuid('case_id').notNull(),
		deletedAt: ts('deleted_at').notNull().defaultNow(),
		version: version()
	},
	(t) => [primaryKey({ columns: [t.entity, t.id] }), index('tombstones_case_idx').on(t.caseId, t.version)]
);

export const devices = pgTable(
	'devices',
	{
		/** Client-generated UUID. */
		id: uuid('id').primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		label: text('label'),
		/** HMAC secret of the device's offline access journal (hex), issued at registration. */
		journalSecret: text('journal_secret').notNull(),
		createdAt: ts('created_at').notNull().defaultNow(),
		lastSeenAt: ts('last_seen_at'),
		lastSyncAt: ts('last_sync_at'),
		/** Revoked = remote wipe requested at next contact. */
		revokedAt: ts('revoked_at'),
		revokedBy: uuid('revoked_by').references(() => users.id),
		wipeAcknowledgedAt: ts('wipe_acknowledged_at')
	},
	(t) => [index('devices_user_idx').on(t.userId)]
);

/** Head of each device's journal chain: the last accepted seq and MAC. */
export const journalHeads = pgTable('journal_heads', {
	deviceId: uuid('device_id')
		.primaryKey()
		.references(() => devices.id),
	lastSeq: integer('last_seq').notNull().default(0),
	lastMac: text('last_mac').notNull(),
	updatedAt: ts('updated_at').notNull().defaultNow()
});

export const sessions = pgTable(
	'sessions',
	{
		/** SHA-256 of the session token, hex; the token itself is never stored. */
		id: text('id').primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		createdAt: ts('created_at').notNull().defaultNow(),
		expiresAt: ts('expires_at').notNull(),
		lastActivityAt: ts('last_activity_at').notNull().defaultNow()
	},
	(t) => [index('sessions_user_idx').on(t.userId)]
);

/**
 * Login throttling, kept in the database so it holds across processes and restarts.
 * Keys: `account:<normalised username>` (exists or not: no existence oracle) and `ip:<address>`.
 */
export const loginThrottles = pgTable('login_throttles', {
	key: text('key').primaryKey(),
	/** Rate limit window (per address). */
	windowStart: ts('window_start').notNull(),
	attempts: integer('attempts').notNull().default(0),
	/** Consecutive failures (per account), the delay before the next try, the temporary lock. */
	failures: integer('failures').notNull().default(0),
	nextAttemptAt: ts('next_attempt_at'),
	lockedUntil: ts('locked_until')
});

/** Idempotency of sync.push: the first result of each mutation id, stored with the write. */
export const appliedMutations = pgTable('applied_mutations', {
	id: uuid('id').primaryKey(),
	deviceId: uuid('device_id').notNull(),
	userId: uuid('user_id').notNull(),
	result: jsonb('result').notNull(),
	appliedAt: ts('applied_at').notNull().defaultNow()
});

/** Append-only, hash-chained; a trigger refuses UPDATE and DELETE (migration 0001). */
export const auditEvents = pgTable(
	'audit_events',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		/** When the server recorded the event. */
		recordedAt: ts('recorded_at').notNull(),
		/** When it happened (differs from recordedAt for offline journal entries). */
		occurredAt: ts('occurred_at').notNull(),
		actorId: uuid('actor_id'),
		deviceId: uuid('device_id'),
		action: text('action').notNull(),
		outcome: text('outcome', { enum: ['success', 'failure', 'denied', 'incident'] }).notNull(),
		caseId: uuid('case_id'),
		personId: uuid('person_id'),
		noteId: uuid('note_id'),
		offline: boolean('offline').notNull().default(false),
		details: jsonb('details').notNull().default(sql`'{}'::jsonb`),
		prevHash: text('prev_hash').notNull(),
		hash: text('hash').notNull()
	},
	(t) => [
		index('audit_case_idx').on(t.caseId),
		index('audit_actor_idx').on(t.actorId),
		index('audit_action_idx').on(t.action),
		index('audit_occurred_idx').on(t.occurredAt)
	]
);

/** Rights of the persons concerned (référentiel section 9). */
export const rightsRequests = pgTable('rights_requests', {
	id: uuid('id').primaryKey().defaultRandom(),
	personId: uuid('person_id'),
	kind: text('kind', {
		enum: ['access', 'rectification', 'erasure', 'limitation', 'opposition', 'portability']
	}).notNull(),
	requesterName: text('requester_name').notNull(),
	receivedAt: date('received_at', { mode: 'string' }).notNull(),
	dueAt: date('due_at', { mode: 'string' }).notNull(),
	extensionReason: text('extension_reason'),
	status: text('status', { enum: ['open', 'done', 'refused'] })
		.notNull()
		.default('open'),
	outcome: text('outcome'),
	closedAt: ts('closed_at'),
	createdBy: uuid('created_by').references(() => users.id),
	createdAt: ts('created_at').notNull().defaultNow()
});

/** One row per day and job kind: the database lock that makes the daily retention run once. */
export const jobRuns = pgTable(
	'job_runs',
	{
		job: text('job').notNull(),
		day: date('day', { mode: 'string' }).notNull(),
		startedAt: ts('started_at').notNull().defaultNow(),
		finishedAt: ts('finished_at'),
		report: jsonb('report')
	},
	(t) => [primaryKey({ columns: [t.job, t.day] })]
);
