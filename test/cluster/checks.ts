/**
 * What the cluster test asserts once the cycles are done and the cluster has settled:
 * no parcel lost, no compartment given to two live parcels at once, no device event
 * applied twice, every command answered or expired, each executed at most once.
 */
import { sql } from 'kysely';
import type { Database } from '../../src/db/database.ts';
import type { FleetHandle } from '../../src/device/fleet.ts';
import type { CycleRecord } from './driver.ts';

export interface Verdict {
  ok: boolean;
  figures: Record<string, number | string>;
  problems: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Live parcels (reserved or stored) sharing a compartment right now; the test samples it during the run. */
export async function doubleAssignedNow(db: Database): Promise<number> {
  const rows = await db
    .selectFrom('parcels')
    .select(['locker_id', 'compartment', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ['reserved', 'stored'])
    .groupBy(['locker_id', 'compartment'])
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  return rows.length;
}

/**
 * Let the cluster settle: shut any door left open (a courier whose request died with a
 * node walked away from an opened compartment), then wait until no command is pending,
 * no parcel is reserved, and every locker's facts are all stored.
 */
export async function settle(
  db: Database,
  fleet: FleetHandle,
  timeoutMs: number,
): Promise<string[]> {
  const end = Date.now() + timeoutMs;
  const waiting: string[] = [];
  for (;;) {
    for (const m of fleet.members.values()) {
      for (const c of m.spec.compartments as number[])
        if (m.bus.door(c) === 'open') {
          m.bus.setOccupied(c, false);
          m.bus.closeDoor(c);
        }
    }
    waiting.length = 0;
    const pending = await db
      .selectFrom('locker_commands')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', 'in', ['pending', 'sent'])
      .executeTakeFirstOrThrow();
    if (Number(pending.n)) waiting.push(`${pending.n} commands pending`);
    const reserved = await db
      .selectFrom('parcels')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'reserved')
      .executeTakeFirstOrThrow();
    if (Number(reserved.n)) waiting.push(`${reserved.n} reservations open`);
    const cloud = new Map(
      (
        await db
          .selectFrom('locker_events')
          .select(['locker_id', (eb) => eb.fn.countAll<number>().as('n')])
          .groupBy('locker_id')
          .execute()
      ).map((r) => [r.locker_id, Number(r.n)]),
    );
    const behind = [...fleet.members.values()].filter(
      (m) => (cloud.get(m.lockerId) ?? 0) !== m.store.lastSeq(),
    );
    if (behind.length) waiting.push(`${behind.length} lockers with facts not yet stored`);
    if (waiting.length === 0 || Date.now() > end) return [...waiting];
    await sleep(1000);
  }
}

/** Check the invariants over the whole run. */
export async function verify(
  db: Database,
  fleet: FleetHandle,
  cycles: number,
  completed: readonly CycleRecord[],
  placed: readonly string[],
  sampledDoubleAssignments: number,
): Promise<Verdict> {
  const problems: string[] = [];
  const figures: Record<string, number | string> = {};

  // Parcels: every cycle's parcel picked up; nothing left stored or reserved.
  const byStatus = await db
    .selectFrom('parcels')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  for (const r of byStatus) figures[`parcels ${r.status}`] = Number(r.n);
  // Lost: a parcel shut into a compartment whose record is neither stored nor picked up (the resident could not get it).
  let lost = 0;
  let late = 0;
  for (let i = 0; i < placed.length; i += 1000) {
    const rows = await db
      .selectFrom('parcels')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('id', 'in', placed.slice(i, i + 1000))
      .groupBy('status')
      .execute();
    for (const r of rows) {
      if (r.status === 'stored') late += Number(r.n);
      else if (r.status !== 'picked_up') lost += Number(r.n);
    }
  }
  figures['parcels placed by couriers'] = placed.length;
  figures['parcels lost'] = lost;
  figures['parcels stored but not picked up by the test (late beyond its 60 s patience)'] = late;
  if (lost !== 0)
    problems.push(`${lost} parcels lost: shut into a compartment, but cancelled or still reserved`);
  figures['cycles that never put a parcel in'] = cycles - placed.length;

  // Compartments: live periods [created_at, picked_up_at or updated_at] of one compartment never overlap.
  const periods = await db
    .selectFrom('parcels')
    .select(['locker_id', 'compartment', 'created_at', 'picked_up_at', 'updated_at', 'status'])
    .where('status', '<>', 'reserved')
    .orderBy('locker_id')
    .orderBy('compartment')
    .orderBy('created_at')
    .execute();
  let overlaps = 0;
  for (let i = 1; i < periods.length; i++) {
    const a = periods[i - 1]!;
    const b = periods[i]!;
    if (a.locker_id !== b.locker_id || a.compartment !== b.compartment) continue;
    const aEnd = a.picked_up_at ?? a.updated_at;
    if (b.created_at < aEnd && a.status !== 'cancelled') overlaps++;
  }
  figures['compartments double-assigned (history)'] = overlaps;
  figures['compartments double-assigned (sampled live)'] = sampledDoubleAssignments;
  if (overlaps || sampledDoubleAssignments)
    problems.push(
      `compartments double-assigned: ${overlaps} overlapping periods, ${sampledDoubleAssignments} live samples`,
    );

  // Device events: stored once (primary key), all of them, and their effects applied once.
  const cloud = new Map(
    (
      await db
        .selectFrom('locker_events')
        .select([
          'locker_id',
          (eb) => eb.fn.countAll<number>().as('n'),
          (eb) => eb.fn.max<number>('seq').as('max'),
        ])
        .groupBy('locker_id')
        .execute()
    ).map((r) => [r.locker_id, { n: Number(r.n), max: Number(r.max) }]),
  );
  let deviceFacts = 0;
  let gaps = 0;
  for (const m of fleet.members.values()) {
    const last = m.store.lastSeq();
    deviceFacts += last;
    const c = cloud.get(m.lockerId) ?? { n: 0, max: 0 };
    if (c.n !== last || c.max !== last) gaps++;
  }
  figures['device facts'] = deviceFacts;
  figures['lockers with missing facts'] = gaps;
  if (gaps) problems.push(`${gaps} lockers' facts are not all stored`);
  const twice = await db
    .selectFrom('parcel_events')
    .select(['parcel_id', 'type', (eb) => eb.fn.countAll<number>().as('n')])
    .where('type', 'in', ['stored', 'picked_up', 'door_opened_for_deposit'])
    .groupBy(['parcel_id', 'type'])
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  figures['device events applied twice'] = twice.length;
  if (twice.length)
    problems.push(`${twice.length} parcel effects applied twice, e.g. ${JSON.stringify(twice[0])}`);

  // Commands: every one answered or expired; each open executed at most once (relays fired = opens answered "opened").
  const cmds = await db
    .selectFrom('locker_commands')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  for (const r of cmds) figures[`commands ${r.status}`] = Number(r.n);
  const open = Number(figures['commands pending'] ?? 0) + Number(figures['commands sent'] ?? 0);
  if (open) problems.push(`${open} commands neither answered nor expired`);
  const opened = await db
    .selectFrom('locker_commands')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('type', '=', 'open')
    .where('response_status', 'in', ['opened', 'door_jammed'])
    .executeTakeFirstOrThrow();
  let relays = 0;
  for (const m of fleet.members.values()) relays += m.bus.totalRelayCount();
  figures['open commands answered opened'] = Number(opened.n);
  figures['relays fired'] = relays;
  if (relays !== Number(opened.n))
    problems.push(
      `relays fired ${relays} ≠ open commands answered ${opened.n}: a command executed twice or an answer is missing`,
    );
  const replays = await db
    .selectFrom('locker_commands')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('type', '=', 'replay')
    .executeTakeFirstOrThrow();
  figures['replays asked (gaps left by lost or overtaking messages)'] = Number(replays.n);
  const attempts = await db
    .selectFrom('locker_commands')
    .select(sql<number>`sum(attempts)`.as('a'))
    .executeTakeFirstOrThrow();
  figures['command deliveries (incl. retries)'] = Number(attempts.a);
  return { ok: problems.length === 0, figures, problems };
}
