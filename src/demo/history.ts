/**
 * A few weeks of finished parcels at the demo lockers, so the dashboards of a fresh
 * `npm start` show something: express deliveries by the demo carriers' couriers, deposits
 * in the morning and afternoon, pickups after work, a dwell mix with a few overdue parcels
 * returned to the carrier, and some consent requests residents declined. Written through
 * the repositories with their history rows and counted as live steps are (the rollups'
 * subscriber on each step, in its transaction), one short transaction per day so the API
 * answers in between; then the hall happenings and activity sign-ups the other demo seeds
 * wrote through repositories (without their events) are counted once. Needs are counted
 * already: their seed goes through the needs services. Fixed seed: every fresh demo has the
 * same history.
 */
import {
  consentIncrements,
  hallIncrements,
  signupIncrements,
} from '../modules/analytics/rollup-rules.ts';
import { applyIncrements, rollUpParcelStep } from '../modules/analytics/rollup.service.ts';
import { hallFactsPage } from '../modules/hall/index.ts';
import { signupFactsPage } from '../modules/notices/index.ts';
import { findUserByPhoneHash } from '../modules/identity/index.ts';
import { findLocker } from '../modules/lockers/index.ts';
import {
  insertParcelEvent,
  type ParcelEventRow,
} from '../modules/parcels/core/parcel-event.repository.ts';
import { insertParcel, type ParcelRow } from '../modules/parcels/core/parcel.repository.ts';
import {
  insertConsentRequest,
  type ConsentRequestRow,
} from '../modules/parcels/consent/consent.repository.ts';
import { listCarriers } from '../modules/places/index.ts';
import { iso, newId } from '../platform/clock.ts';
import { normalizePhone } from '../platform/crypto/phone.ts';
import type { AppDeps } from '../platform/deps.ts';
import * as J from './jinquan.ts';
import type { DemoLocker } from './lockers.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const DAYS = 21;
/** At most this many lockers get a history (spread over the demo's): seeding and the rebuild take a few seconds on a loaded machine. */
const LOCKERS = 24;

/** mulberry32: a small fixed-seed generator (the demo's history must not vary run to run). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

// Local deposit hours (couriers' rounds) and the dwell mix, in hours, with their weights.
const DEPOSIT_HOURS = [8, 9, 10, 10, 11, 11, 13, 14, 15, 15, 16, 16, 17, 18];
const DWELLS: Array<[weight: number, min: number, max: number]> = [
  [30, 0.2, 1],
  [32, 1, 4],
  [20, 4, 12],
  [11, 12, 24],
  [4, 24, 48],
  [3, 72, 80], // overdue, then returned to the carrier
];

/** Seed the history and count it in the rollups; returns how many parcels and refusals it wrote. */
export async function seedDemoHistory(deps: AppDeps, all: readonly DemoLocker[]) {
  const every = Math.max(1, Math.ceil(all.length / LOCKERS));
  const lockers = all.filter((_, i) => i % every === 0);
  const rnd = seeded(18);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const now = deps.clock.now();
  const carriers = new Map((await listCarriers(deps.db)).map((c) => [c.code, c]));
  const couriers: Array<{ carrierId: string; courierId: string }> = [];
  for (const c of J.CARRIERS.filter((x) => x.kind === 'express')) {
    const user = await findUserByPhoneHash(
      deps.db,
      deps.vault.hash(normalizePhone(c.courier.phone)),
    );
    const carrier = carriers.get(c.code);
    if (user && carrier) couriers.push({ carrierId: carrier.id, courierId: user.id });
  }
  if (!couriers.length || !lockers.length) return { parcels: 0, refusals: 0 };
  const communityOf = new Map<string, string>();
  for (const l of lockers) {
    const row = await findLocker(deps.db, l.lockerId);
    if (row) communityOf.set(l.lockerId, row.community_id);
  }
  const residents: string[] = [];
  for (const r of J.RESIDENTS) {
    const u = await findUserByPhoneHash(deps.db, deps.vault.hash(normalizePhone(r.phone)));
    if (u) residents.push(u.id);
  }
  let refusals: ConsentRequestRow[] = [];
  let refused = 0;
  // One day's rows and their counts in one short transaction, as the live steps would be.
  const flush = async () => {
    // SQLite answers synchronously: give the event loop (HTTP, MQTT) a turn between days.
    await new Promise((resolve) => setImmediate(resolve));
    await deps.db.transaction().execute(async (trx) => {
      const byId = new Map(parcels.map((p) => [p.id, p]));
      for (const p of parcels) await insertParcel(trx, p);
      for (const e of events) {
        await insertParcelEvent(trx, e);
        const p = byId.get(e.parcel_id)!; // its parcel was made in the same day, as it stays
        await rollUpParcelStep(trx, {
          eventId: e.id,
          type: e.type,
          at: e.at,
          parcelId: p.id,
          communityId: p.community_id,
          lockerId: p.locker_id,
          carrierId: p.carrier_id,
          kind: p.kind,
          storedAt: p.stored_at,
        });
      }
      for (const r of refusals.filter((x) => x.community_id)) {
        await insertConsentRequest(trx, r);
        await applyIncrements(
          trx,
          consentIncrements({
            communityId: r.community_id,
            lockerId: r.locker_id,
            carrierId: r.carrier_id,
            at: r.decided_at!,
          }),
        );
      }
    });
    written += parcels.length;
    refused += refusals.length;
    parcels = [];
    events = [];
    refusals = [];
  };
  let parcels: ParcelRow[] = [];
  let events: ParcelEventRow[] = [];
  let written = 0;
  const event = (p: ParcelRow, type: string, at: number, actorId: string | null) =>
    events.push({
      id: newId(deps.clock, deps.random),
      parcel_id: p.id,
      community_id: p.community_id,
      type,
      actor_id: actorId,
      source: 'device',
      detail: '{}',
      at: iso(at),
    });
  const totalWeight = DWELLS.reduce((a, d) => a + d[0], 0);
  // Local midnight (UTC+8) of today.
  const today = Math.floor((now + 8 * HOUR) / DAY) * DAY - 8 * HOUR;
  for (let d = DAYS; d >= 1; d--) {
    const dayStart = today - d * DAY;
    const weekend = new Date(dayStart + 8 * HOUR).getUTCDay() % 6 === 0;
    for (const l of lockers) {
      const communityId = communityOf.get(l.lockerId);
      if (!communityId) continue;
      const n = Math.floor(rnd() * 3) + (weekend ? 1 : 0);
      for (let i = 0; i < n; i++) {
        const { carrierId, courierId } = pick(couriers);
        const stored = dayStart + (pick(DEPOSIT_HOURS) + rnd()) * HOUR;
        let w = rnd() * totalWeight;
        const dwell = DWELLS.find((x) => (w -= x[0]) < 0) ?? DWELLS[0]!;
        const left = stored + (dwell[1] + rnd() * (dwell[2] - dwell[1])) * HOUR;
        if (left >= now) continue; // only finished stays: nothing occupies a compartment
        const returned = dwell[1] >= 72;
        const p: ParcelRow = {
          id: newId(deps.clock, deps.random),
          community_id: communityId,
          locker_id: l.lockerId,
          compartment: pick(l.compartments),
          kind: 'delivery',
          size: 'S',
          status: returned ? 'returned' : 'picked_up',
          carrier_id: carrierId,
          depositor_id: courierId,
          waybill: null,
          recipient_phone_hash: null,
          recipient_phone_cipher: null,
          recipient_phone_tail: null,
          recipient_user_id: null,
          code_hash: null,
          code_cipher: null,
          code_verifier: null,
          code_expires_at: null,
          reserved_until: null,
          stored_at: iso(stored),
          free_until: iso(stored + 48 * HOUR),
          picked_up_at: returned ? null : iso(left),
          pickup_command_id: null,
          deidentified_at: null,
          together_with: null,
          note: null,
          created_at: iso(stored),
          updated_at: iso(left),
        };
        parcels.push(p);
        event(p, 'stored', stored, courierId);
        if (returned) {
          event(p, 'overdue', stored + 48 * HOUR, null);
          event(p, 'returned', left, courierId);
        } else event(p, 'picked_up', left, null);
      }
    }
    // A resident or two a day declines a courier's request to use the locker.
    for (let i = rnd() < 0.5 ? 1 : 2; i > 0 && residents.length; i--) {
      const l = pick(lockers);
      const { carrierId, courierId } = pick(couriers);
      const asked = dayStart + (pick(DEPOSIT_HOURS) + rnd()) * HOUR;
      refusals.push({
        id: newId(deps.clock, deps.random),
        community_id: communityOf.get(l.lockerId) ?? '',
        recipient_user_id: pick(residents),
        carrier_id: carrierId,
        courier_id: courierId,
        locker_id: l.lockerId,
        waybill_tail: String(1000 + Math.floor(rnd() * 9000)),
        status: 'declined',
        created_at: iso(asked),
        expires_at: iso(asked + 2 * HOUR),
        decided_at: iso(asked + 0.3 * HOUR),
      });
    }
    await flush();
  }
  // The other demo seeds' hall happenings and sign-ups were written without their events.
  await deps.db.transaction().execute(async (trx) => {
    for (const f of await hallFactsPage(trx, '', 10_000))
      await applyIncrements(trx, hallIncrements(f));
    for (const f of await signupFactsPage(trx, '', 10_000))
      await applyIncrements(trx, signupIncrements(f));
  });
  return { parcels: written, refusals: refused };
}
