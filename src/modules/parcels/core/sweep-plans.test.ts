/**
 * The queries that run on a timer or per courier over all live parcels must never read
 * the whole parcels table: with millions of finished parcels that is ~1 s per sweep on the
 * single SQLite connection (the history benchmark found it). Each query is run through
 * Kysely as the code runs it, then SQLite is asked for its plan with the same parameters.
 */
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../../db/schema.ts';
import { migrateToLatest } from '../../../db/migrate.ts';
import { outgoingForCarrier } from '../outgoing/outgoing.repository.ts';
import { storedTakeoutDue } from '../takeout/takeout.repository.ts';
import {
  overdueUnhandled,
  returnsForCarrier,
  unremindedEndingBefore,
} from '../overdue/overdue.repository.ts';
import {
  codeInUse,
  expiredReservations,
  groupMates,
  storedByCode,
  liveParcelsAt,
  storedAtLocker,
  syncSetAtLocker,
} from './parcel.repository.ts';
import { communitiesWithFinishedPersonalData, finishedBefore } from './retention.repository.ts';

describe('sweep query plans (SQLite)', () => {
  const raw = new SQLite(':memory:');
  const seen: { sql: string; parameters: readonly unknown[] }[] = [];
  const db = new Kysely<DB>({
    dialect: new SqliteDialect({ database: raw }),
    log: (e) => {
      if (e.level === 'query') seen.push({ sql: e.query.sql, parameters: e.query.parameters });
    },
  });
  beforeAll(async () => {
    await migrateToLatest(db);
  });
  afterAll(async () => db.destroy());

  /** The plan lines of every statement `run` made. */
  const plansOf = async (run: () => Promise<unknown>) => {
    seen.length = 0;
    await run();
    return seen.flatMap((q) =>
      (raw.prepare(`explain query plan ${q.sql}`).all(...q.parameters) as { detail: string }[]).map(
        (r) => r.detail,
      ),
    );
  };
  const fullScan = (lines: string[]) =>
    lines.filter(
      (l) =>
        /\bSCAN (p|parcels)\b/.test(l) &&
        !/USING (COVERING )?INDEX parcels_(reserved_until|stored_free_until|stored_carrier|identified)_idx/.test(
          l,
        ),
    );

  const now = '2026-11-26T12:00:00.000Z';
  const later = '2026-11-26T16:00:00.000Z';
  it.each([
    ['reservation sweep', () => expiredReservations(db, now)],
    ['overdue reminders', () => unremindedEndingBefore(db, now, later)],
    ['overdue actions', () => overdueUnhandled(db, now)],
    ['takeout sweep', () => storedTakeoutDue(db, now, later, 'takeout_reminder_queued')],
    ["a carrier's outgoing parcels", () => outgoingForCarrier(db, 'carrier-1', 50)],
    ["a carrier's returns", () => returnsForCarrier(db, 'carrier-1', 50)],
    ["a locker's stored parcels (sync)", () => storedAtLocker(db, 'lk-0001')],
    ['retention: which communities', () => communitiesWithFinishedPersonalData(db)],
    ["retention: a community's parcels", () => finishedBefore(db, 'community-1', now, 500)],
  ])('%s uses an index, never a scan of every parcel', async (name, run) => {
    const lines = await plansOf(run);
    expect(lines.length).toBeGreaterThan(0);
    expect(fullScan(lines), lines.join('\n')).toEqual([]);
    if (process.env['SHOW_PLANS']) console.log(name, lines); // SHOW_PLANS=1 prints every plan
  });

  // The retention sweep reads only finished parcels not yet de-identified (a partial index
  // that live parcels never enter); any other index would walk a community's whole history.
  it.each([
    ['retention: which communities', () => communitiesWithFinishedPersonalData(db)],
    ["retention: a community's parcels", () => finishedBefore(db, 'community-1', now, 500)],
  ])('%s reads the finished, identified parcels alone', async (_name, run) => {
    const lines = await plansOf(run);
    expect(lines.join('\n')).toMatch(/parcels USING (COVERING )?INDEX parcels_identified_idx\b/);
  });

  // Per door close and per pickup: a compartment holds thousands of picked-up parcels over the
  // years, and these look only at the ones still inside.
  it.each([["a compartment's live parcels", () => liveParcelsAt(db, 'lk-0001', 3)]])(
    '%s skips the compartment’s picked-up history',
    async (_name, run) => {
      const lines = await plansOf(run);
      expect(lines.join('\n')).toMatch(
        /SEARCH parcels USING INDEX \w+ \(locker_id=\? AND compartment=\? AND picked_up_at=\?\)/,
      );
    },
  );

  // Per full sync (every locker that reconnects asks for one): a locker holds thousands of
  // finished parcels over the years and a few dozen live ones. Sorting those by compartment
  // through parcels_pickup_compartment_idx walked them all (seconds-long p99s at 10 M parcels).
  it.each([
    ["a locker's stored parcels", () => storedAtLocker(db, 'lk-0001')],
    ["a locker's sync set", () => syncSetAtLocker(db, 'lk-0001')],
  ])('%s skips the locker’s finished history', async (_name, run) => {
    const lines = await plansOf(run);
    expect(lines.join('\n')).toMatch(
      /SEARCH parcels USING INDEX parcels_locker_status_idx \(locker_id=\? AND status=\?\)/,
    );
  });

  // Per code typed and per deposit: a locker holds dozens of stored parcels; a code names one.
  it.each([
    ['a typed code', () => storedByCode(db, 'lk-0001', 'h')],
    ['a new code checked for clashes', () => codeInUse(db, 'lk-0001', 'h')],
    [
      "a parcel's group mates",
      () => groupMates(db, { id: 'p-1', locker_id: 'lk-0001', compartment: 3, code_hash: 'h' }),
    ],
  ])(
    '%s is looked up by its code, not among every stored parcel of the locker',
    async (_n, run) => {
      const lines = await plansOf(run);
      expect(lines.join('\n')).toMatch(
        /SEARCH parcels USING INDEX parcels_code_idx \(locker_id=\? AND code_hash=\?\)/,
      );
    },
  );
});
