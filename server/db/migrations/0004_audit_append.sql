-- Audit appends in one statement (appendAuditEvents, recordPull). The chain lock is held from
-- the head's read to the commit; when Node computed each hash between a read and an INSERT, the
-- lock and the transaction stayed open across two trips through the server's event loop, which
-- under load is where the pulls' group commits spent their time (BENCHMARKS.md, eighth round).
-- Node still serialises each row (canonicalJson, server/audit/hashAuditRow.ts); PostgreSQL hashes
-- it onto the chain and stores the columns read back from that same text, so what is stored is
-- what was hashed, and verifyAuditChain recomputes the same hash in Node:
--   hash = sha256(prev_hash || canonical), hex; canonical = [recordedAt, occurredAt, actorId,
--   deviceId, action, outcome, caseId, personId, noteId, offline, details].
-- p_rows: a JSON array of those canonical texts, in chain order. Every argument of these
-- functions is one parameter whatever the batch's size, so that each call site is one prepared
-- statement (server/db/reusableQuery.ts, executePrepared).
CREATE OR REPLACE FUNCTION carnet_append_audit_events(p_rows jsonb) RETURNS TABLE(id bigint, hash text) AS $$
DECLARE
	prev text;
	canonical text;
	r jsonb;
	h text;
	new_id bigint;
BEGIN
	-- Takes the chain lock (0x0ca2e7a1), then reads the last hash (migration 0003).
	prev := coalesce(carnet_audit_chain_head(), repeat('0', 64));
	FOR canonical IN SELECT e.value FROM jsonb_array_elements_text(p_rows) WITH ORDINALITY AS e(value, n) ORDER BY e.n LOOP
		r := canonical::jsonb;
		h := encode(sha256(convert_to(prev || canonical, 'UTF8')), 'hex');
		INSERT INTO audit_events AS e (recorded_at, occurred_at, actor_id, device_id, action, outcome,
			case_id, person_id, note_id, offline, details, prev_hash, hash)
		VALUES ((r->>0)::timestamptz, (r->>1)::timestamptz, (r->>2)::uuid, (r->>3)::uuid, r->>4, r->>5,
			(r->>6)::uuid, (r->>7)::uuid, (r->>8)::uuid, (r->>9)::boolean, r->10, prev, h)
		RETURNING e.id INTO new_id;
		id := new_id;
		hash := h;
		RETURN NEXT;
		prev := h;
	END LOOP;
END;
$$ LANGUAGE plpgsql VOLATILE;
--> statement-breakpoint
-- Marks devices as seen (and, after a pull, synced). The rows are locked in id order first, so
-- that two transactions touching the same devices (pulls and pushes of several processes) never
-- wait on each other in opposite orders; then, as every audit writer, they take the chain lock.
-- p_devices: a JSON array of {id, at, label} (label null: unchanged).
CREATE OR REPLACE FUNCTION carnet_touch_devices(p_devices jsonb, p_synced boolean) RETURNS void AS $$
BEGIN
	PERFORM 1 FROM devices
	WHERE devices.id IN (SELECT (e->>'id')::uuid FROM jsonb_array_elements(p_devices) AS e)
	ORDER BY devices.id FOR UPDATE;
	UPDATE devices AS d
	SET last_seen_at = v.at,
		last_sync_at = CASE WHEN p_synced THEN v.at ELSE d.last_sync_at END,
		label = coalesce(v.label, d.label)
	FROM jsonb_to_recordset(p_devices) AS v(id uuid, at timestamptz, label text)
	WHERE d.id = v.id;
END;
$$ LANGUAGE plpgsql VOLATILE;
--> statement-breakpoint
-- A batch of pulls (recordPull's group commit) in one statement, so one round trip and no
-- BEGIN/COMMIT: the devices touched, then their audit events appended; the statement's own
-- transaction makes both commit together. A batch of heartbeats (pulls that sent nothing) does
-- not wait for the WAL flush (synchronous_commit off for this transaction only).
CREATE OR REPLACE FUNCTION carnet_record_pulls(p_devices jsonb, p_events jsonb, p_durable boolean)
RETURNS TABLE(id bigint, hash text) AS $$
BEGIN
	IF NOT p_durable THEN
		PERFORM set_config('synchronous_commit', 'off', true);
	END IF;
	PERFORM carnet_touch_devices(p_devices, true);
	RETURN QUERY SELECT a.id, a.hash FROM carnet_append_audit_events(p_events) AS a;
END;
$$ LANGUAGE plpgsql VOLATILE;
