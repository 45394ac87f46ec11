/**
 * What must hold after every crash and restart, read from the database and the
 * simulated hardware: no parcel lost, no compartment given twice, no code naming two
 * parcels, no door opened twice for one command, no deposit applied twice, every
 * command settled (answered, or expired once its time ran out).
 */
import type { CrashWorld } from './crash-world.ts';

/** The client's memory of what the API accepted. */
export interface Ledger {
  /** parcelId by waybill, from 2xx deposit answers. */
  deposits: Map<string, string>;
  /** commandIds from 2xx remote open / disinfect answers. */
  commands: Set<string>;
  /** Waybills sent whose outcome is still unknown. */
  unknownWaybills: Set<string>;
}

/** Every violation as a line a person can act on; [] when all holds. */
export async function checkInvariants(
  w: CrashWorld,
  ledger: Ledger,
  opts: { settleGraceMs: number },
): Promise<string[]> {
  const bad: string[] = [];
  const db = w.db;
  const live = await db
    .selectFrom('parcels')
    .select(['locker_id', 'compartment', 'id', 'status'])
    .where('status', 'in', ['reserved', 'stored'])
    .execute();
  const byCompartment = new Map<string, string[]>();
  for (const p of live)
    byCompartment.set(`${p.locker_id}#${p.compartment}`, [
      ...(byCompartment.get(`${p.locker_id}#${p.compartment}`) ?? []),
      p.id,
    ]);
  for (const [k, ids] of byCompartment)
    if (ids.length > 1) bad.push(`compartment ${k} double-assigned to parcels ${ids.join(', ')}`);

  const comps = await db
    .selectFrom('compartments')
    .select(['locker_id', 'number', 'use'])
    .execute();
  for (const c of comps) {
    if (c.use === 'free' && byCompartment.has(`${c.locker_id}#${c.number}`))
      bad.push(
        `compartment ${c.locker_id}#${c.number} is free but holds live parcel ${byCompartment.get(`${c.locker_id}#${c.number}`)}`,
      );
  }

  const codes = await db
    .selectFrom('parcels')
    .select(['locker_id', 'code_hash', 'id'])
    .where('status', '=', 'stored')
    .where('code_hash', 'is not', null)
    .execute();
  const byCode = new Map<string, string[]>();
  for (const p of codes)
    byCode.set(`${p.locker_id}#${p.code_hash}`, [
      ...(byCode.get(`${p.locker_id}#${p.code_hash}`) ?? []),
      p.id,
    ]);
  for (const [k, ids] of byCode)
    if (ids.length > 1)
      bad.push(`one pickup code maps to parcels ${ids.join(', ')} (${k.split('#')[0]})`);

  const all = await db
    .selectFrom('parcels')
    .select(['id', 'status', 'waybill', 'locker_id', 'compartment'])
    .execute();
  const byId = new Map(all.map((p) => [p.id, p]));
  for (const [waybill, id] of ledger.deposits)
    if (!byId.has(id)) bad.push(`accepted deposit ${waybill} → parcel ${id} is gone`);
  const perWaybill = new Map<string, string[]>();
  for (const p of all)
    if (p.waybill)
      perWaybill.set(p.waybill, [...(perWaybill.get(p.waybill) ?? []), `${p.id}(${p.status})`]);
  for (const [wb, ids] of perWaybill)
    if (ids.length > 1) bad.push(`deposit ${wb} applied ${ids.length} times: ${ids.join(', ')}`);
  for (const id of w.putIn) {
    const p = byId.get(id);
    if (!p || !['stored', 'picked_up'].includes(p.status))
      bad.push(
        `parcel ${id} was put in and the door shut, but it is ${p?.status ?? 'missing'} (lost)` +
          (p ? await lostTrail(w, p) : ''),
      );
  }
  for (const id of w.takenOut) {
    const p = byId.get(id);
    if (p?.status !== 'picked_up')
      bad.push(`parcel ${id} was taken out of its compartment but is ${p?.status ?? 'missing'}`);
  }

  const cmds = await db
    .selectFrom('locker_commands')
    .select(['id', 'locker_id', 'type', 'compartment', 'status', 'expires_at', 'response_status'])
    .execute();
  const cmdIds = new Set(cmds.map((c) => c.id));
  for (const id of ledger.commands) if (!cmdIds.has(id)) bad.push(`accepted command ${id} is gone`);
  const now = Date.now();
  for (const c of cmds) {
    if (
      (c.status === 'pending' || c.status === 'sent') &&
      Date.parse(c.expires_at) + opts.settleGraceMs < now
    )
      bad.push(
        `command ${c.id} (${c.type}) still ${c.status} ${Math.round((now - Date.parse(c.expires_at)) / 1000)} s after it expired`,
      );
  }
  // The hardware's relay counter against what was asked of it: one pulse per open command at most,
  // plus the device's own offline pickups.
  const offline = await db
    .selectFrom('locker_events')
    .select(['locker_id', 'compartment'])
    .where('type', '=', 'offline_pickup')
    .execute();
  for (const cab of w.cabinets) {
    for (const n of cab.compartments) {
      const relays = cab.bus.relayCount(n);
      if (!relays) continue;
      const asked =
        cmds.filter((c) => c.locker_id === cab.lockerId && c.type === 'open' && c.compartment === n)
          .length +
        offline.filter((o) => o.locker_id === cab.lockerId && o.compartment === n).length;
      if (relays > asked)
        bad.push(
          `door ${cab.lockerId}#${n} opened ${relays} times for ${asked} open commands (a command executed twice)`,
        );
    }
  }
  return bad;
}

/** What the database knows of a lost parcel's compartment, so a failure explains itself. */
async function lostTrail(
  w: CrashWorld,
  p: { id: string; locker_id: string; compartment: number },
): Promise<string> {
  const events = await w.db
    .selectFrom('parcel_events')
    .select(['type', 'detail', 'at'])
    .where('parcel_id', '=', p.id)
    .orderBy('at')
    .execute();
  const comp = await w.db
    .selectFrom('compartments')
    .selectAll()
    .where('locker_id', '=', p.locker_id)
    .where('number', '=', p.compartment)
    .executeTakeFirst();
  const facts = await w.db
    .selectFrom('locker_events')
    .select(['seq', 'type', 'payload', 'received_at'])
    .where('locker_id', '=', p.locker_id)
    .where('compartment', '=', p.compartment)
    .orderBy('seq')
    .execute();
  const cmds = await w.db
    .selectFrom('locker_commands')
    .select(['id', 'type', 'status', 'response_status', 'body'])
    .where('locker_id', '=', p.locker_id)
    .where('compartment', '=', p.compartment)
    .execute();
  const cab = w.cabinets.find((c) => c.lockerId === p.locker_id);
  const locker = await w.db
    .selectFrom('lockers')
    .select(['last_seq'])
    .where('id', '=', p.locker_id)
    .executeTakeFirst();
  return (
    `\n    parcel events: ${JSON.stringify(events)}` +
    `\n    compartment: ${JSON.stringify(comp)}` +
    `\n    locker facts there: ${JSON.stringify(facts.slice(-12))}` +
    `\n    commands there: ${JSON.stringify(cmds)}` +
    `\n    device: occupied=${cab?.bus.occupied(p.compartment)}, online=${safe(() => cab?.agent.online())}, outbox pending=${safe(() => cab?.agent.pendingOutbox())}, device lastSeq=${safe(() => cab?.agent.lastSeq())}, cloud last_seq=${locker?.last_seq}`
  );
}

/** A value from an agent that may have just been killed (its store closed). */
function safe<T>(read: () => T): T | string {
  try {
    return read();
  } catch (e) {
    return `unreadable (${(e as Error).message})`;
  }
}
