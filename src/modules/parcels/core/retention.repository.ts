/** The only SQL of the parcel retention sweep: finding finished parcels and blanking their personal data. */
import { sql } from 'kysely';
import type { Executor } from '../../../db/database.ts';
import type { ParcelStatus } from './parcel.table.ts';

// ── retention (issue 4, item 9) ─────────────────────────────────────────────

const FINISHED: ParcelStatus[] = ['picked_up', 'cancelled', 'returned', 'lost'];

/**
 * `status in (…FINISHED)` with the statuses written into the SQL: `parcels_identified_idx` is
 * partial on exactly this list (migrations 2026-12-07T0600 and T1200), and SQLite uses a partial index only
 * when the query repeats its terms, in the same order and not as bound parameters.
 */
const isFinished = sql<boolean>`status in (${sql.join(FINISHED.map((s) => sql.lit(s)))})`;

/** Communities that still hold personal data of finished parcels. */
export async function communitiesWithFinishedPersonalData(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('parcels')
    .select('community_id')
    .distinct()
    .where(isFinished)
    .where('deidentified_at', 'is', null)
    .execute();
  return rows.map((r) => r.community_id);
}

/** Ids of a community's parcels that finished (last changed) before the cutoff and still hold personal data. */
export async function finishedBefore(
  db: Executor,
  communityId: string,
  cutoffIso: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('parcels')
    .select('id')
    .where('community_id', '=', communityId)
    .where(isFinished)
    .where('deidentified_at', 'is', null)
    .where('updated_at', '<=', cutoffIso)
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Blank the personal data of these parcels and the phone on their SMS rows. */
export async function deidentifyParcels(
  db: Executor,
  ids: string[],
  nowIso: string,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('parcels')
    .set({
      recipient_phone_hash: null,
      recipient_phone_cipher: null,
      recipient_phone_tail: null,
      code_hash: null,
      code_cipher: null,
      code_verifier: null,
      waybill: null,
      note: null,
      deidentified_at: nowIso,
    })
    .where('id', 'in', ids)
    .execute();
  await db
    .updateTable('notifications')
    .set({ phone_cipher: null })
    .where('parcel_id', 'in', ids)
    .where('channel', '=', 'sms')
    .execute();
}
