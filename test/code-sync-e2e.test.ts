/**
 * Issue 19, ADR 0017 (amended): offline codes follow counters and per-parcel tombstones,
 * never a comparison of the cloud's clock with the locker's. A node with the reference
 * agent, whose clock lags the node's by 30 s:
 * - v1 (a deployed locker: the cloud numbers its syncs from its own clock): a sync built
 *   before a pickup and delivered after it cannot give the spent code back, so the code
 *   does not open the compartment offline;
 * - v2: the locker announces itself in its heartbeat, and a heartbeat whose revision is
 *   behind the cloud's brings a full sync without any change of parcels.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SimulatorLockBus } from '../src/device/adapters/simulator-lock-bus.ts';
import type { LockerAgentHandle } from '../src/device/agent.ts';
import type { Link } from '../src/device/ports/link.ts';
import { lockerTopic } from '../src/contract/index.ts';
import { cryptoRandom, systemClock } from '../src/kernel/clock.ts';
import { enqueueCommand, updateLocker } from '../src/modules/lockers/index.ts';
import type { RunningServer } from '../src/server.ts';
import { type DemoWorld, startDemoWorld } from './demo-world.ts';
import { describeEachDialect, until } from './harness.ts';

/** Less than a touchscreen signal's 60 s lifetime (a code typed must still reach the cloud), more than a pickup takes here. */
const LAG_MS = 30_000;
const laggingClock = { now: () => Date.now() - LAG_MS };

async function depositAndStore(w: DemoWorld, waybill: string, phone: string) {
  const r = await w.api('courier.zto', 'POST', `/lockers/${w.lockerId}/deposits`, {
    waybill,
    recipientPhone: phone,
    size: 'S',
  });
  expect(r.statusCode).toBe(201);
  const { parcelId, compartment } = r.json() as { parcelId: string; compartment: number };
  await until('door open', async () => w.bus.door(compartment) === 'open');
  w.bus.setOccupied(compartment, true);
  w.bus.closeDoor(compartment);
  await until('stored', async () => {
    const p = (await w.api('courier.zto', 'GET', `/courier/parcels/${parcelId}`)).json();
    return p.status === 'stored';
  });
  await w.server.parcels.idle();
  const msg = await until('sms', async () =>
    [...w.sms].reverse().find((m) => m.to === phone && m.text.includes(`${compartment}号格口`)),
  );
  return { parcelId, compartment, code: msg.text.match(/取件码 (\d{8})/)![1]! };
}

/**
 * The newest answered sync of the locker that lists the parcel, once the locker has no
 * command in flight: a sync still queued behind it (a store, an online, a gap replay) would
 * otherwise reach the locker later with a higher revision and make the test's late copy
 * stale (stop 23's CI failed that way on PostgreSQL).
 */
/** The highest revision of any sync the locker answered, once no command is in flight. */
async function settledSyncRevision(server: RunningServer, lockerId: string): Promise<number> {
  const sync = await answeredSyncWith(server, lockerId, '');
  return (JSON.parse(sync.body) as { revision: number }).revision;
}

/** The answered sync of the highest revision listing `parcelId` ('' for any), once no command is in flight. */
async function answeredSyncWith(server: RunningServer, lockerId: string, parcelId: string) {
  return until('sync answered', async () => {
    const rows = await server.database.db
      .selectFrom('locker_commands')
      .select(['id', 'body', 'response', 'status', 'type'])
      .where('locker_id', '=', lockerId)
      .execute();
    if (rows.some((r) => r.status === 'pending' || r.status === 'sent')) return false;
    // The highest revision, not the last row: PostgreSQL returns updated rows in no set order.
    return rows
      .filter((r) => r.type === 'sync' && r.status === 'answered')
      .map((r) => ({ ...r, revision: (JSON.parse(r.body) as { revision: number }).revision }))
      .sort((a, b) => b.revision - a.revision)
      .find((r) => r.body.includes(parcelId));
  });
}

async function lockerRow(server: RunningServer, lockerId: string) {
  return server.database.db
    .selectFrom('lockers')
    .select(['sync_revision', 'contract_version'])
    .where('id', '=', lockerId)
    .executeTakeFirstOrThrow();
}

describeEachDialect('offline codes: a v1 locker whose clock lags', (dialect) => {
  let w: DemoWorld;
  let agent: LockerAgentHandle;
  let bus: SimulatorLockBus;
  const L = 'jinquan-0001';

  beforeAll(async () => {
    w = await startDemoWorld(dialect, {
      lockerId: L,
      agent: { clock: laggingClock, contract: 'v1' },
    });
    ({ agent, bus } = w);
    await w.signInByPhone('13800000001');
  });
  afterAll(async () => w?.stop());

  it('cannot get a spent code back from a sync built before the pickup', async () => {
    const { parcelId, compartment, code } = await depositAndStore(
      w,
      'ZTO1900000001',
      '13800000001',
    );
    const before = await answeredSyncWith(w.server, L, parcelId);
    const row = await lockerRow(w.server, L);
    // v1 revisions stay at or above the cloud's clock, as v1 agents expect; the counter never goes back.
    expect(row.contract_version).toBe('v1');
    expect(JSON.parse(before.body).revision).toBe(row.sync_revision);
    expect(row.sync_revision).toBeGreaterThan(laggingClock.now());

    const communityId = (await w.api('admin', 'GET', `/lockers/${L}`)).json().communityId;
    await agent.enterCode(code);
    await until(
      'picked up',
      async () =>
        (await w.api('13800000001', 'GET', `/me/parcels/${parcelId}`)).json().status ===
        'picked_up',
    );

    // The sync built before the pickup arrives after it (a copy still in flight). Its revision
    // is later than the spend by the locker's lagging clock, which restored the code before.
    // The cloud syncs the locker again around the pickup; whether that sync or this copy got
    // there first was a race (the copy, stale, was then ignored). So the copy comes once every
    // other command is answered, with a revision above all of them: the locker applies it, and
    // only its tombstone for the spent code keeps that code out.
    const settled = await settledSyncRevision(w.server, L);
    const late = await enqueueCommand(
      w.server.database.db,
      { clock: systemClock, random: cryptoRandom },
      { lockerId: L, communityId, body: { ...JSON.parse(before.body), revision: settled + 1 } },
    );
    w.server.runtime.dispatcher.kick();
    const answer = await until('late sync answered', async () => {
      const r = await w.server.database.db
        .selectFrom('locker_commands')
        .select('response')
        .where('id', '=', late.command.id)
        .where('status', '=', 'answered')
        .executeTakeFirst();
      return r?.response ? (JSON.parse(r.response) as { details: Record<string, unknown> }) : false;
    });
    expect(answer.details).toMatchObject({ applied: true });
    const listed = (JSON.parse(before.body) as { verifiers: { parcelId: string }[] }).verifiers
      .length;
    expect(answer.details['count']).toBe(listed - 1);
    bus.setOccupied(compartment, false);
    bus.closeDoor(compartment);

    // Offline, the spent code opens nothing.
    await w.stopCloud();
    await until('offline', async () => !agent.online());
    const relays = bus.relayCount(compartment);
    expect(await agent.enterCode(code)).toMatchObject({ result: 'wrong_code' });
    expect(bus.relayCount(compartment)).toBe(relays);
  });
});

describeEachDialect('offline codes: a v2 locker', (dialect) => {
  let w: DemoWorld;
  let link: Link | undefined;
  const L = 'jinquan-0001';

  beforeAll(async () => {
    w = await startDemoWorld(dialect, {
      lockerId: L,
      agent: {
        clock: laggingClock,
        wrapLink: (l) => {
          link = l;
          return l;
        },
      },
    });
    await w.signInByPhone('13800000001');
  });
  afterAll(async () => w?.stop());

  it('hears from the cloud when a message it sent was refused (a notice on its cmd topic)', async () => {
    await until(
      'announced v2',
      async () => (await lockerRow(w.server, L)).contract_version === 'v2',
    );
    // A heartbeat without its counters, sent on the locker's own connection.
    const bad = {
      messageId: 'bad-heartbeat-0001',
      lockerId: L,
      sentAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
      type: 'heartbeat',
    };
    await link!.publish(lockerTopic(L, 'evt'), JSON.stringify(bad));
    const notice = await until('notice', async () =>
      w.agent.cloudRejections.find((n) => n.rejectedMessageId === 'bad-heartbeat-0001'),
    );
    expect(notice).toMatchObject({ type: 'message_rejected', rejectedTopic: 'evt', lockerId: L });
    expect(notice.reason).toMatch(/heartbeat/);
    // Nothing the agent refused on its side: the notice is not a command.
    expect(w.agent.rejections).toEqual([]);
  });

  /** Syncs queued with a revision above `revision` (each sync moves the revision by one). */
  const syncsAbove = async (revision: number) =>
    (
      await w.server.database.db
        .selectFrom('locker_commands')
        .select('body')
        .where('locker_id', '=', L)
        .where('type', '=', 'sync')
        .execute()
    ).filter((r) => (JSON.parse(r.body) as { revision: number }).revision > revision).length;

  it('keeps a carried code when a full sync is built between the deposit and the store', async () => {
    await until(
      'announced v2',
      async () => (await lockerRow(w.server, L)).contract_version === 'v2',
    );
    const r = await w.api('courier.zto', 'POST', `/lockers/${L}/deposits`, {
      waybill: 'ZTO1900000009',
      recipientPhone: '13800000001',
      size: 'S',
    });
    expect(r.statusCode).toBe(201);
    const { parcelId, compartment } = r.json() as { parcelId: string; compartment: number };
    await until('door open', async () => w.bus.door(compartment) === 'open');
    // A full sync while the parcel is still reserved (as a heartbeat mismatch or a reconnect
    // brings one): it must list the code the open carried, or the locker drops it, and a v2
    // store sends no sync of its own (the 72 h offline fault scenario lost codes this way).
    w.server.parcels.changed(L);
    const mid = await answeredSyncWith(w.server, L, parcelId);
    expect(JSON.parse(mid.response!)).toMatchObject({ details: { applied: true } });
    w.bus.setOccupied(compartment, true);
    w.bus.closeDoor(compartment);
    await until('stored', async () => {
      const p = (await w.api('courier.zto', 'GET', `/courier/parcels/${parcelId}`)).json();
      return p.status === 'stored';
    });
  });

  it('announces v2 in its hello; the deposit open carries the code, so no sync follows the store; a heartbeat behind the cloud revision brings a full sync; the code opens offline', async () => {
    await until(
      'announced v2',
      async () => (await lockerRow(w.server, L)).contract_version === 'v2',
    );
    // The sync every connect brings, answered.
    await until(
      'first sync answered',
      async () =>
        (
          await w.server.database.db
            .selectFrom('locker_commands')
            .select('id')
            .where('locker_id', '=', L)
            .where('type', '=', 'sync')
            .where('status', '=', 'answered')
            .execute()
        ).length > 0,
    );
    const { parcelId, compartment, code } = await depositAndStore(
      w,
      'ZTO1900000002',
      '13800000001',
    );
    const open = await w.server.database.db
      .selectFrom('locker_commands')
      .select(['body', 'status'])
      .where('locker_id', '=', L)
      .where('type', '=', 'open')
      .execute()
      .then((rows) => rows.find((r) => r.body.includes(parcelId))!);
    const body = JSON.parse(open.body) as { code?: { parcelId: string }; revision?: number };
    expect(body.code?.parcelId).toBe(parcelId);
    await w.server.parcels.idle();
    await w.server.runtime.idle();
    // The store sends no sync: a sync per store is counted deterministically by the scripted
    // v2 cycle in src/modules/lockers/ingest.cycle.test.ts (its broker-message budget). On a
    // live agent one full sync can still follow, when a heartbeat crosses the open (seen on
    // PostgreSQL in CI dry runs; the exact crossing is not pinned down). It is harmless if it
    // lists the parcel, and there is never more than one. Such a heartbeat's sync is queued
    // 200 ms after it (ParcelRuntime.changed), so wait until the revision and the syncs agree
    // (every move of the revision since the open is a sync sent) before counting. Only syncs
    // above the open's revision count: a heartbeat's sync built before the open (seen on
    // PostgreSQL under load) is not one that followed it.
    let had = 0;
    let extra = 0;
    await until('every revision since the open sent as a sync', async () => {
      had = (await lockerRow(w.server, L)).sync_revision;
      extra = await syncsAbove(body.revision!);
      return had - body.revision! === extra;
    });
    expect(extra).toBeLessThanOrEqual(1);
    if (extra === 1)
      expect((await answeredSyncWith(w.server, L, parcelId)).body).toContain(parcelId);

    // A change the locker was never told of (as if a sync was lost): the cloud's counter moves on.
    // Through the lockers module, whose writes keep its row cache exact (locker-rows.ts).
    await updateLocker(w.server.database.db, L, { sync_revision: had + 5 });
    // The next heartbeat (every 3 s at this time scale) reports `had`: a full sync at had + 6 follows.
    const resync = await until(
      'full sync after a heartbeat mismatch',
      async () => {
        const rows = await w.server.database.db
          .selectFrom('locker_commands')
          .select(['body', 'response'])
          .where('locker_id', '=', L)
          .where('type', '=', 'sync')
          .where('status', '=', 'answered')
          .execute();
        return rows.find((r) => JSON.parse(r.body).revision === had + 6);
      },
      15_000,
    );
    expect(JSON.parse(resync.response!)).toMatchObject({
      // This parcel and the one the test before stored.
      details: { applied: true, revision: had + 6, count: 2 },
    });

    // The code the open carried opens the compartment offline.
    await w.stopCloud();
    await until('offline', async () => !w.agent.online());
    const relays = w.bus.relayCount(compartment);
    expect(await w.agent.enterCode(code)).toMatchObject({ result: 'opened' });
    expect(w.bus.relayCount(compartment)).toBe(relays + 1);
  });
});
