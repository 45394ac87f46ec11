/** The invariants of the parcel property test (parcels.property.test.ts has what each one means). */
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Database } from '../../db/database.ts';
import { N } from './parcels.property.actions.ts';

/** Check I1–I5 and I7 on locker L after an action (`log` is printed on failure). */
export async function checkInvariants(
  db: Database,
  L: string,
  deposits: number,
  log: string[],
): Promise<void> {
  const ctx = () => `after:\n  ${log.join('\n  ')}`;
  // I1
  const leads = await sql<{
    compartment: number;
    n: number;
  }>`select compartment, count(*) as n from parcels where locker_id = ${L} and status in ('reserved', 'stored') and together_with is null group by compartment having count(*) > 1`.execute(
    db,
  );
  expect(leads.rows, `I1 two unrelated live parcels in one compartment ${ctx()}`).toEqual([]);
  const groups = await sql<{
    compartment: number;
    phones: number;
    codes: number;
  }>`select compartment, count(distinct recipient_phone_hash) as phones, count(distinct code_hash) as codes from parcels where locker_id = ${L} and status in ('reserved', 'stored') group by compartment`.execute(
    db,
  );
  for (const g of groups.rows) {
    expect(Number(g.phones), `I1 parcels for two recipients share #${g.compartment} ${ctx()}`).toBe(
      1,
    );
    expect(Number(g.codes), `I1 two codes open #${g.compartment} ${ctx()}`).toBeLessThanOrEqual(1);
  }
  // I2, I3
  const rows = await sql<{ id: string | null; status: string | null; number: number; use: string }>`
    select p.id, p.status, c.number, c.use from compartments c
    left join parcels p on p.locker_id = c.locker_id and p.compartment = c.number and p.status in ('reserved', 'stored')
    where c.locker_id = ${L}`.execute(db);
  for (const r of rows.rows) {
    const anyReserved = rows.rows.some((o) => o.number === r.number && o.status === 'reserved');
    if (anyReserved) expect(r.use, `I2 reserved parcel in #${r.number} ${ctx()}`).toBe('reserved');
    else if (r.status === 'stored')
      expect(r.use, `I2 stored parcel in #${r.number} ${ctx()}`).toBe('occupied');
    if (r.use === 'free')
      expect(r.id, `I3 free compartment #${r.number} holds a live parcel ${ctx()}`).toBeNull();
  }
  // Every live parcel points at a real compartment of its locker (exactly one place).
  const nowhere = await sql<{
    id: string;
  }>`select p.id from parcels p where p.locker_id = ${L} and p.status in ('reserved', 'stored') and not exists (select 1 from compartments c where c.locker_id = p.locker_id and c.number = p.compartment)`.execute(
    db,
  );
  expect(nowhere.rows, `a live parcel is in no compartment ${ctx()}`).toEqual([]);
  // I4
  const stored = await db
    .selectFrom('parcels')
    .select(['id', 'code_hash'])
    .where('locker_id', '=', L)
    .where('status', '=', 'stored')
    .execute();
  expect(
    stored.every((p) => p.code_hash !== null),
    `I4 stored parcel without code ${ctx()}`,
  ).toBe(true);
  const live = await db
    .selectFrom('parcels')
    .select('code_hash')
    .where('locker_id', '=', L)
    .where('status', 'in', ['reserved', 'stored'])
    .where('code_hash', 'is not', null)
    .where('together_with', 'is', null)
    .execute();
  expect(new Set(live.map((p) => p.code_hash)).size, `I4 duplicate live code ${ctx()}`).toBe(
    live.length,
  );
  // I7
  const moves = await sql<{
    id: string;
    status: string;
    item: string | null;
    parcel_status: string;
    compartment: number;
  }>`
    select p.id, p.status as parcel_status, h.status as item, p.compartment, o.action as status from parcel_overdue o
    join parcels p on p.id = o.parcel_id left join hall_shelf_items h on h.parcel_id = p.id
    where p.locker_id = ${L} and o.action = 'move_to_hall'`.execute(db);
  // to_move and picked_up: the recipient took it from the locker before staff came (the shelf list leaves it out).
  const agree: Record<string, string[]> = {
    to_move: ['stored', 'at_hall', 'picked_up'],
    on_shelf: ['at_hall'],
    handed_over: ['picked_up'],
  };
  for (const m of moves.rows) {
    expect(m.parcel_status, `I7 a parcel moving to the hall was returned ${ctx()}`).not.toBe(
      'returned',
    );
    expect(m.item, `I7 a parcel moving to the hall has no shelf item ${ctx()}`).not.toBeNull();
    expect(
      agree[m.item!],
      `I7 shelf item ${m.item} but parcel ${m.parcel_status} ${ctx()}`,
    ).toContain(m.parcel_status);
    if (m.item === 'to_move' && m.parcel_status === 'picked_up') {
      const picked = await db
        .selectFrom('parcel_events')
        .select('type')
        .where('parcel_id', '=', m.id)
        .where('type', '=', 'taken_out_for_hall')
        .executeTakeFirst();
      expect(
        picked,
        `I7 a parcel taken out for the hall was picked up at the locker ${ctx()}`,
      ).toBeUndefined();
    }
  }
  // I5
  const counts = await db
    .selectFrom('parcels')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('locker_id', '=', L)
    .groupBy('status')
    .execute();
  const total = counts.reduce((s, r) => s + Number(r.n), 0);
  expect(total, `I5 parcels ≠ deposits ${ctx()}`).toBe(deposits);
  const liveN = counts
    .filter((r) => r.status === 'reserved' || r.status === 'stored')
    .reduce((s, r) => s + Number(r.n), 0);
  const liveLeadN = Number(
    (
      await sql<{
        n: number;
      }>`select count(*) as n from parcels where locker_id = ${L} and status in ('reserved', 'stored') and together_with is null`.execute(
        db,
      )
    ).rows[0]!.n,
  );
  expect(liveLeadN, `I5 more live groups than compartments ${ctx()}`).toBeLessThanOrEqual(N);
  expect(liveN, `I5 a live parcel joined nothing live ${ctx()}`).toBeGreaterThanOrEqual(liveLeadN);
  const held = new Set(rows.rows.filter((r) => r.id !== null).map((r) => r.number)).size;
  const liveLeads = await db
    .selectFrom('parcels')
    .select('compartment')
    .distinct()
    .where('locker_id', '=', L)
    .where('status', 'in', ['reserved', 'stored'])
    .execute();
  expect(held, `I5 compartments holding live parcels ≠ their count ${ctx()}`).toBe(
    liveLeads.length,
  );
}
