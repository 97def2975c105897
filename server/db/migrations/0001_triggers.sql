-- Every write to a synced row takes a fresh version from the one sequence, so that
-- "version > cursor" lists every change since a device's last pull.
CREATE OR REPLACE FUNCTION carnet_bump_version() RETURNS trigger AS $$
BEGIN
	NEW.version := nextval('sync_version');
	RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER users_bump_version BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION carnet_bump_version();
--> statement-breakpoint
CREATE TRIGGER cases_bump_version BEFORE UPDATE ON cases FOR EACH ROW EXECUTE FUNCTION carnet_bump_version();
--> statement-breakpoint
CREATE TRIGGER persons_bump_version BEFORE UPDATE ON persons FOR EACH ROW EXECUTE FUNCTION carnet_bump_version();
--> statement-breakpoint
CREATE TRIGGER assignments_bump_version BEFORE UPDATE ON assignments FOR EACH ROW EXECUTE FUNCTION carnet_bump_version();
--> statement-breakpoint
CREATE TRIGGER delegations_bump_version BEFORE UPDATE ON delegations FOR EACH ROW EXECUTE FUNCTION carnet_bump_version();
--> statement-breakpoint
CREATE TRIGGER emergency_grants_bump_version BEFORE UPDATE ON emergency_grants FOR EACH ROW EXECUTE FUNCTION carnet_bump_version();
--> statement-breakpoint
CREATE TRIGGER notes_bump_version BEFORE UPDATE ON notes FOR EACH ROW EXECUTE FUNCTION carnet_bump_version();
--> statement-breakpoint
CREATE TRIGGER visits_bump_version BEFORE UPDATE ON visits FOR EACH ROW EXECUTE FUNCTION carnet_bump_version();
--> statement-breakpoint
CREATE TRIGGER tombstones_bump_version BEFORE UPDATE ON tombstones FOR EACH ROW EXECUTE FUNCTION carnet_bump_version();
--> statement-breakpoint
-- The audit trail is append-only. The only way to delete is the retention purge, which runs
-- purge_audit_events(); in production the application role has no UPDATE/DELETE privilege
-- at all (SECURITY.md, "Database roles").
CREATE OR REPLACE FUNCTION carnet_audit_append_only() RETURNS trigger AS $$
BEGIN
	IF TG_OP = 'DELETE' AND current_setting('carnet.audit_purge', true) = 'on' THEN
		RETURN OLD;
	END IF;
	RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION carnet_audit_append_only();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION carnet_audit_no_truncate() RETURNS trigger AS $$
BEGIN
	RAISE EXCEPTION 'audit_events is append-only (TRUNCATE refused)' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION carnet_audit_no_truncate();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION purge_audit_events(cutoff timestamptz) RETURNS integer AS $$
DECLARE
	n integer;
BEGIN
	PERFORM set_config('carnet.audit_purge', 'on', true);
	DELETE FROM audit_events WHERE recorded_at < cutoff;
	GET DIAGNOSTICS n = ROW_COUNT;
	PERFORM set_config('carnet.audit_purge', 'off', true);
	RETURN n;
END;
$$ LANGUAGE plpgsql;
