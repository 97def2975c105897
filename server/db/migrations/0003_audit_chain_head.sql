-- The head of the audit chain, read under the chain lock in one round trip (appendAuditEvents).
-- The lock (the same as carnet_next_version's, 0x0ca2e7a1) is taken first; the SELECT that
-- follows gets a fresh snapshot, so it sees the last event committed by the previous holder.
CREATE OR REPLACE FUNCTION carnet_audit_chain_head() RETURNS text AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(212002721);
	RETURN (SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1);
END;
$$ LANGUAGE plpgsql VOLATILE;
