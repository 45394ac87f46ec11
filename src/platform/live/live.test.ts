/**
 * Live updates: the hub tells each subscriber only about its own parcels (recipient,
 * depositor, family share) and its communities' alerts and compartments, once each,
 * including a change that commits late inside the look-back window; it does not poll
 * with nobody listening. The SSE route streams with a Bearer token and closes on shutdown.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { activeLocker, auth, type WorldUser } from '../../../test/factories.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import { raiseAlert } from '../../modules/lockers/alert.service.ts';
import { deposit, storeParcel } from '../../modules/parcels/index.ts';
import { iso } from '../clock.ts';
import { manualHub, recorder } from './live.testkit.ts';
import { parseSse } from '../../../web/shared/sse.ts';

const L = 'live-0001';

describeEachDialect('live hub', (dialect) => {
  const { t, w } = useWorld(dialect);
  let n = 0;
  beforeAll(async () => {
    await activeLocker(t, w, L, '实时柜', 24);
  });

  const listener = (
    who: WorldUser,
    opts: { communities?: ReadonlySet<string> | 'all'; phoneHash?: string | null } = {},
  ) => recorder({ userId: w.users[who].id, ...opts });
  const storedFor = async (phone: string) => {
    const { parcel } = await deposit(
      t.deps,
      { userId: w.users.courier.id, carrierId: w.carrier },
      { lockerId: L, waybill: `LIVE${n++}`, recipientPhone: phone, size: 'S', kind: 'delivery' },
    );
    expect(await storeParcel(t.database.db, t.deps, parcel, 'api')).toBe(true);
    return parcel.id;
  };

  it('routes parcel events to the recipient and the depositor only, once each', async () => {
    const hub = manualHub(t.database.db);
    const a = listener('residentA');
    const b = listener('residentB');
    const courier = listener('courier');
    const unsubs = [await hub.subscribe(a), await hub.subscribe(b), await hub.subscribe(courier)];
    const id = await storedFor(w.users.residentA.phone!);
    await hub.tick();
    await hub.tick();
    const mine = a.frames.filter((f) => f.type === 'parcel' && f.parcelId === id);
    expect(mine.length).toBeGreaterThan(0);
    expect(new Set(mine.map((f) => (f as { event: string }).event)).size).toBe(mine.length);
    expect(mine.map((f) => (f as { event: string }).event)).toContain('stored');
    expect(courier.frames.some((f) => f.type === 'parcel' && f.parcelId === id)).toBe(true);
    expect(b.frames.filter((f) => f.type === 'parcel' && f.parcelId === id)).toEqual([]);
    // Frames never carry personal data: ids and types only.
    for (const f of a.frames) expect(Object.keys(f).sort()).toEqual(['event', 'parcelId', 'type']);
    unsubs.forEach((u) => u());
    hub.close();
  });

  it('tells a recipient of a new consent request and the asking courier of the answer, nobody else', async () => {
    const hub = manualHub(t.database.db);
    const a = listener('residentA');
    const b = listener('residentB');
    const courier = listener('courier');
    const unsubs = [await hub.subscribe(a), await hub.subscribe(b), await hub.subscribe(courier)];
    const ask = await t.app.inject({
      method: 'POST',
      url: '/api/v1/couriers/consent-requests',
      headers: auth(w, 'courier'),
      payload: { recipientPhone: w.users.residentA.phone, lockerId: L, waybill: 'LIVECONSENT1' },
    });
    expect(ask.statusCode).toBe(201);
    const id = ask.json().id as string;
    await hub.tick();
    expect(a.frames).toContainEqual({ type: 'consent', requestId: id, status: 'pending' });
    expect(courier.frames.filter((f) => f.type === 'consent')).toEqual([]);
    t.clock.advance(1000);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/me/consent-requests/${id}/decision`,
          headers: auth(w, 'residentA'),
          payload: { accept: true },
        })
      ).statusCode,
    ).toBe(200);
    await hub.tick();
    await hub.tick();
    expect(courier.frames.filter((f) => f.type === 'consent')).toEqual([
      { type: 'consent', requestId: id, status: 'accepted' },
    ]);
    expect(b.frames.filter((f) => f.type === 'consent')).toEqual([]);
    unsubs.forEach((u) => u());
    hub.close();
  });

  it('delivers a change that commits late (inside the look-back window) and stops polling when nobody listens', async () => {
    const hub = manualHub(t.database.db, { lookBackMs: 3000 });
    const a = listener('residentA');
    const unsub = await hub.subscribe(a);
    const id = await storedFor(w.users.residentA.phone!);
    await hub.tick();
    // An event stamped 1 s in the past arrives after the cursor moved on.
    const late = new Date(Date.parse(iso(t.clock.now())) - 1000).toISOString();
    await t.database.db
      .insertInto('parcel_events')
      .values({
        id: '01900000-0000-7000-8000-000000000001',
        parcel_id: id,
        community_id: w.community1,
        type: 'late_test',
        actor_id: null,
        source: 'system',
        detail: '{}',
        at: late,
      })
      .execute();
    await hub.tick();
    expect(a.frames.filter((f) => f.type === 'parcel' && f.event === 'late_test')).toHaveLength(1);
    unsub();
    const ticks = hub.ticks;
    expect(hub.size).toBe(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(hub.ticks).toBe(ticks);
    hub.close();
  });

  it('tells staff about alerts and compartments of their communities only; a family share reaches the family member', async () => {
    const hub = manualHub(t.database.db);
    const worker = listener('communityWorker1', { communities: new Set([w.community1]) });
    const other = listener('communityWorker2', { communities: new Set([w.community2]) });
    const admin = listener('admin', { communities: 'all' });
    const phoneHashB = (await t.database.db
      .selectFrom('users')
      .select('phone_hash')
      .where('id', '=', w.users.residentB.id)
      .executeTakeFirst())!.phone_hash;
    const family = listener('residentB', { phoneHash: phoneHashB });
    for (const s of [worker, other, admin, family]) await hub.subscribe(s);
    t.clock.advance(5_000);
    await raiseAlert(t.database.db, t.deps, {
      communityId: w.community1,
      lockerId: L,
      compartment: 3,
      kind: 'door_jammed',
      message: 'jammed',
    });
    await t.database.db
      .updateTable('compartments')
      .set({ door: 'open', updated_at: iso(t.clock.now()) })
      .where('locker_id', '=', L)
      .where('number', '=', 3)
      .execute();
    const id = await storedFor(w.users.residentA.phone!);
    const share = await t.app.inject({
      method: 'POST',
      url: `/api/v1/me/parcels/${id}/shares`,
      headers: auth(w, 'residentA'),
      payload: { phone: w.users.residentB.phone },
    });
    expect(share.statusCode).toBe(201);
    await hub.tick();
    for (const s of [worker, admin]) {
      expect(s.frames).toContainEqual(
        expect.objectContaining({ type: 'alert', lockerId: L, status: 'open' }),
      );
      expect(s.frames).toContainEqual(
        expect.objectContaining({ type: 'compartment', lockerId: L }),
      );
    }
    expect(other.frames.filter((f) => f.type !== 'parcel')).toEqual([]);
    expect(family.frames).toContainEqual(expect.objectContaining({ type: 'parcel', parcelId: id }));
    hub.close();
    expect(worker.ended).toBe(true);
  });
});

describe('GET /api/v1/live', () => {
  const { t, w } = useWorld('sqlite');
  let base: string;
  beforeAll(async () => {
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });

  it('needs a Bearer token, streams a ready frame, and does not hold up shutdown', async () => {
    expect((await fetch(`${base}/api/v1/live`)).status).toBe(401);
    const res = await fetch(`${base}/api/v1/live`, { headers: auth(w, 'residentA') });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    while (!buf.includes('event: ready')) buf += (await reader.read()).value ?? '';
    expect(parseSse(buf).frames).toEqual([{ type: 'ready' }]);
    const started = Date.now();
    await t.app.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await reader.read()).done).toBe(true);
  });
});
