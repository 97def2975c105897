import { sql } from 'drizzle-orm';
import { notes } from '../db/schema';

/**
 * "Écrite hors ligne": the note reached the server more than five minutes after it was written
 * on the device. The device records no offline flag on a note, and a device that was online
 * pushes within seconds, so the gap is the reliable signal (clock drift of a few minutes aside).
 */
export const OFFLINE_GAP_MS = 5 * 60_000;

export function writtenOffline(note: { createdOnDeviceAt: Date; receivedAt: Date }): boolean {
	return note.receivedAt.getTime() - note.createdOnDeviceAt.getTime() > OFFLINE_GAP_MS;
}

/** The same rule in SQL, for filtering the review queue. */
export const writtenOfflineSql = sql`(${notes.receivedAt} - ${notes.createdOnDeviceAt}) > interval '5 minutes'`;
