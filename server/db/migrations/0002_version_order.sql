-- "version > cursor" lists every change only if versions become visible in their order. With
-- several connections, a transaction could take version v, a later one v+1 and commit first, and
-- a pull in between moved the device's cursor past v for good. Taking a version now first takes
-- the transaction-scoped lock that already serialises the audit chain (appendAuditEvent,
-- 0x0ca2e7a1): the holder of a version commits before anyone takes the next one.
CREATE OR REPLACE FUNCTION carnet_next_version() RETURNS bigint AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(212002721);
	RETURN nextval('sync_version');
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION carnet_bump_version() RETURNS trigger AS $$
BEGIN
	NEW.version := carnet_next_version();
	RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
ALTER TABLE "assignments" ALTER COLUMN "version" SET DEFAULT carnet_next_version();--> statement-breakpoint
ALTER TABLE "cases" ALTER COLUMN "version" SET DEFAULT carnet_next_version();--> statement-breakpoint
ALTER TABLE "delegations" ALTER COLUMN "version" SET DEFAULT carnet_next_version();--> statement-breakpoint
ALTER TABLE "emergency_grants" ALTER COLUMN "version" SET DEFAULT carnet_next_version();--> statement-breakpoint
ALTER TABLE "notes" ALTER COLUMN "version" SET DEFAULT carnet_next_version();--> statement-breakpoint
ALTER TABLE "persons" ALTER COLUMN "version" SET DEFAULT carnet_next_version();--> statement-breakpoint
ALTER TABLE "tombstones" ALTER COLUMN "version" SET DEFAULT carnet_next_version();--> statement-breakpoint
ALTER TABLE "users" ALTER COLUMN "version" SET DEFAULT carnet_next_version();--> statement-breakpoint
ALTER TABLE "visits" ALTER COLUMN "version" SET DEFAULT carnet_next_version();