/**
 * A small world for access tests: one subdistrict, two communities, units A and B in
 * community 1 (different buildings and grids) and unit C in community 2, a hall per
 * community, a carrier, and one user per role.
 */
import type { Database } from '../src/db/database.ts';
import type { Role, ScopeKind } from '../src/platform/auth/roles.ts';
import { iso, newId, type Clock, cryptoRandom } from '../src/platform/clock.ts';
import type { Phone, PhoneVault } from '../src/platform/crypto/phone.ts';
import type { TestApp } from './harness.ts';
import { demoLayout } from '../src/demo/lockers.ts';
import { lockerTopic, type TopicKind } from '../src/contract/index.ts';
import { ingest } from '../src/modules/lockers/ingest.service.ts';
import { updateLocker } from '../src/modules/lockers/locker.repository.ts';
import { createLocker } from '../src/modules/lockers/locker.service.ts';

export interface World {
  subdistrict: string;
  community1: string;
  community2: string;
  compound1: string;
  grid1: string;
  grid2: string;
  buildingA: string;
  buildingB: string;
  unitA: string;
  unitB: string;
  unitC: string;
  hall1: string;
  hall2: string;
  siteA: string;
  siteB: string;
  carrier: string;
  users: Record<WorldUser, { id: string; token: string; phone: Phone | null }>;
}

export type WorldUser =
  | 'residentA'
  | 'residentB'
  | 'residentC'
  | 'courier'
  | 'hallStaff1'
  | 'partner1'
  | 'gridWorker1'
  | 'communityWorker1'
  | 'communityWorker2'
  | 'officer'
  | 'admin';

/** Create the world and sign a token for each user. */
export async function seedWorld(t: TestApp): Promise<World> {
  const db = t.database.db;
  const clock = t.clock;
  const id = () => newId(clock, cryptoRandom);
  const at = iso(clock.now());
  const w = {
    subdistrict: id(),
    community1: id(),
    community2: id(),
    compound1: id(),
    compound2: id(),
    grid1: id(),
    grid2: id(),
    buildingA: id(),
    buildingB: id(),
    buildingC: id(),
    unitA: id(),
    unitB: id(),
    unitC: id(),
    hall1: id(),
    hall2: id(),
    siteA: id(),
    siteB: id(),
    carrier: id(),
  };
  await db
    .insertInto('subdistricts')
    .values({
      id: w.subdistrict,
      name: '金泉街道',
      city: '成都市',
      district: '金牛区',
      created_at: at,
    })
    .execute();
  await db
    .insertInto('communities')
    .values([
      { id: w.community1, subdistrict_id: w.subdistrict, name: '清水河社区', created_at: at },
      { id: w.community2, subdistrict_id: w.subdistrict, name: '蜀西社区', created_at: at },
    ])
    .execute();
  await db
    .insertInto('compounds')
    .values([
      {
        id: w.compound1,
        community_id: w.community1,
        name: '清淳家园',
        address: '金泉街道清水河路1号',
        created_at: at,
      },
      {
        id: w.compound2,
        community_id: w.community2,
        name: '两河锦地',
        address: '金泉街道两河路8号',
        created_at: at,
      },
    ])
    .execute();
  await db
    .insertInto('grids')
    .values([
      {
        id: w.grid1,
        community_id: w.community1,
        name: '第一网格',
        service_phone: '028-80000001',
        created_at: at,
      },
      {
        id: w.grid2,
        community_id: w.community1,
        name: '第二网格',
        service_phone: '028-80000002',
        created_at: at,
      },
    ])
    .execute();
  await db
    .insertInto('buildings')
    .values([
      {
        id: w.buildingA,
        community_id: w.community1,
        compound_id: w.compound1,
        grid_id: w.grid1,
        name: '1栋',
        floors: 18,
        created_at: at,
      },
      {
        id: w.buildingB,
        community_id: w.community1,
        compound_id: w.compound1,
        grid_id: w.grid2,
        name: '2栋',
        floors: 18,
        created_at: at,
      },
      {
        id: w.buildingC,
        community_id: w.community2,
        compound_id: w.compound2,
        grid_id: null,
        name: '1栋',
        floors: 24,
        created_at: at,
      },
    ])
    .execute();
  await db
    .insertInto('units')
    .values([
      {
        id: w.unitA,
        community_id: w.community1,
        compound_id: w.compound1,
        building_id: w.buildingA,
        name: '1单元',
        households: 36,
        created_at: at,
      },
      {
        id: w.unitB,
        community_id: w.community1,
        compound_id: w.compound1,
        building_id: w.buildingB,
        name: '1单元',
        households: 36,
        created_at: at,
      },
      {
        id: w.unitC,
        community_id: w.community2,
        compound_id: w.compound2,
        building_id: w.buildingC,
        name: '1单元',
        households: 48,
        created_at: at,
      },
    ])
    .execute();
  await db
    .insertInto('halls')
    .values([
      {
        id: w.hall1,
        community_id: w.community1,
        compound_id: w.compound1,
        name: '清淳家园蚁巢服务馆',
        address: '清淳家园东门',
        opening_hours: '08:00-21:00',
        created_at: at,
      },
      {
        id: w.hall2,
        community_id: w.community2,
        compound_id: w.compound2,
        name: '两河锦地蚁巢服务馆',
        address: '两河锦地南门',
        opening_hours: '08:00-21:00',
        created_at: at,
      },
    ])
    .execute();
  await db
    .insertInto('locker_sites')
    .values([
      {
        id: w.siteA,
        community_id: w.community1,
        compound_id: w.compound1,
        building_id: w.buildingA,
        unit_id: w.unitA,
        name: '1栋1单元门口',
        created_at: at,
      },
      {
        id: w.siteB,
        community_id: w.community1,
        compound_id: w.compound1,
        building_id: w.buildingB,
        unit_id: w.unitB,
        name: '2栋1单元门口',
        created_at: at,
      },
    ])
    .execute();
  await db
    .insertInto('carriers')
    .values({ id: w.carrier, code: 'zto', name: '中通快递', kind: 'express', created_at: at })
    .execute();

  const spec: Record<
    WorldUser,
    { phone: string | null; role: Role; kind: ScopeKind; scope: string; community: string | null }
  > = {
    residentA: {
      phone: '13800000001',
      role: 'resident',
      kind: 'unit',
      scope: w.unitA,
      community: w.community1,
    },
    residentB: {
      phone: '13800000002',
      role: 'resident',
      kind: 'unit',
      scope: w.unitB,
      community: w.community1,
    },
    residentC: {
      phone: '13800000003',
      role: 'resident',
      kind: 'unit',
      scope: w.unitC,
      community: w.community2,
    },
    courier: {
      phone: '13900000001',
      role: 'courier',
      kind: 'carrier',
      scope: w.carrier,
      community: null,
    },
    hallStaff1: {
      phone: '13700000001',
      role: 'hall_staff',
      kind: 'hall',
      scope: w.hall1,
      community: w.community1,
    },
    partner1: {
      phone: '13700000002',
      role: 'partner',
      kind: 'hall',
      scope: w.hall1,
      community: w.community1,
    },
    gridWorker1: {
      phone: '13600000001',
      role: 'grid_worker',
      kind: 'grid',
      scope: w.grid1,
      community: w.community1,
    },
    communityWorker1: {
      phone: '13600000002',
      role: 'community_worker',
      kind: 'community',
      scope: w.community1,
      community: w.community1,
    },
    communityWorker2: {
      phone: '13600000003',
      role: 'community_worker',
      kind: 'community',
      scope: w.community2,
      community: w.community2,
    },
    officer: {
      phone: '13600000004',
      role: 'subdistrict_officer',
      kind: 'subdistrict',
      scope: w.subdistrict,
      community: null,
    },
    admin: {
      phone: null,
      role: 'operator_admin',
      kind: 'platform',
      scope: 'platform',
      community: null,
    },
  };
  const users = {} as World['users'];
  for (const [name, s] of Object.entries(spec) as [WorldUser, (typeof spec)[WorldUser]][]) {
    users[name] = await addUser(db, t.deps.vault, clock, {
      name,
      phone: s.phone as Phone | null,
      role: s.role,
      kind: s.kind,
      scope: s.scope,
      community: s.community,
    });
    users[name].token = await signToken(t, users[name].id);
  }
  // The residents gave standing consent to locker delivery (ADR 0009), so deposits for them go through; consent tests set their own.
  for (const r of ['residentA', 'residentB', 'residentC'] as const) {
    await db
      .insertInto('delivery_preferences')
      .values({
        id: id(),
        community_id: spec[r].community,
        user_id: users[r].id,
        carrier_id: '*',
        mode: 'locker',
        updated_at: at,
      })
      .execute();
  }
  return { ...w, users };
}

async function addUser(
  db: Database,
  vault: PhoneVault,
  clock: Clock,
  u: {
    name: string;
    phone: Phone | null;
    role: Role;
    kind: ScopeKind;
    scope: string;
    community: string | null;
  },
) {
  const id = newId(clock, cryptoRandom);
  const at = iso(clock.now());
  await db
    .insertInto('users')
    .values({
      id,
      display_name: u.name,
      phone_hash: u.phone ? vault.hash(u.phone) : null,
      phone_cipher: u.phone ? vault.encrypt(u.phone) : null,
      username: u.name.toLowerCase(),
      password_hash: null,
      status: 'active',
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('role_grants')
    .values({
      id: newId(clock, cryptoRandom),
      user_id: id,
      role: u.role,
      scope_kind: u.kind,
      scope_id: u.scope,
      community_id: u.community,
      created_at: at,
      created_by: null,
    })
    .execute();
  return { id, token: '', phone: u.phone };
}

/** Another resident of a unit already in the world (a second member of the household), signed in. */
export async function addHouseholdMember(
  t: TestApp,
  unitId: string,
  communityId: string,
  name: string,
): Promise<{ id: string; token: string }> {
  const u = await addUser(t.database.db, t.deps.vault, t.clock, {
    name,
    phone: null,
    role: 'resident',
    kind: 'unit',
    scope: unitId,
    community: communityId,
  });
  return { id: u.id, token: await signToken(t, u.id) };
}

/** An access token for a user with a real session row behind it (access checks the session, issue 13). */
export async function signToken(
  t: TestApp,
  userId: string,
  sid = newId(t.clock, cryptoRandom),
): Promise<string> {
  const now = t.clock.now();
  await t.database.db
    .insertInto('sessions')
    .values({
      id: sid,
      user_id: userId,
      refresh_hash: `test-${sid}`,
      expires_at: iso(now + t.deps.config.refreshTokenTtl * 1000),
      revoked_at: null,
      created_at: iso(now),
    })
    .execute();
  return (await t.deps.tokens.issue({ sub: userId, sid })).token;
}

/** Authorization header for a world user. */
export function auth(w: World, who: WorldUser): { authorization: string } {
  return { authorization: `Bearer ${w.users[who].token}` };
}

/** A locker of `compartments` demo-layout compartments at site A, active (in service). */
export async function activeLocker(
  t: TestApp,
  w: World,
  id: string,
  name: string,
  compartments = 24,
): Promise<void> {
  await createLocker(t.deps, null, w.siteA, { id, name, compartments: demoLayout(compartments) });
  await updateLocker(t.database.db, id, { status: 'active' });
}

/**
 * The payload of the `open_outcome` fact with which a v2 locker answers "opened" to its open
 * command (the one for `parcelId`, when given): a test's stand-in for the door opening for a
 * deposit or a drop-off.
 */
export async function openedOutcome(
  db: Database,
  lockerId: string,
  compartment: number,
  parcelId?: string,
): Promise<object> {
  let q = db
    .selectFrom('locker_commands')
    .select('id')
    .where('locker_id', '=', lockerId)
    .where('type', '=', 'open');
  if (parcelId) q = q.where('body', 'like', `%${parcelId}%`);
  const cmd = await q.executeTakeFirstOrThrow();
  return { compartment, commandId: cmd.id, outcome: 'opened', relayFired: 'yes', doorNow: 'open' };
}

/**
 * The body of a locker's heartbeat signal (after its envelope), alive `now` and reporting
 * `lastSeq` facts, expiring a minute later.
 */
/** A whole heartbeat as a locker publishes it on its `evt` topic (envelope and body), ready for `ingest`. */
export function heartbeatMessage(clock: Clock, lockerId: string, lastSeq = 0): Buffer {
  return Buffer.from(
    JSON.stringify({
      messageId: newId(clock, cryptoRandom),
      lockerId,
      sentAt: iso(clock.now()),
      ...heartbeatBody(clock.now(), lastSeq),
    }),
  );
}

export function heartbeatBody(now: number, lastSeq: number) {
  return {
    type: 'heartbeat' as const,
    expiresAt: new Date(now + 60_000).toISOString(),
    uptimeSeconds: 5,
    lastSeq,
    pendingOutbox: 0,
    syncRevision: 0,
    stateRevision: 5,
    rejectedMessages: 0,
  };
}

/**
 * The body of a locker's state snapshot (after its envelope): the defaults a reference agent
 * reports, at `revision` and `lastSeq`, with the given compartments.
 */
export function stateSnapshotBody(
  revision: number,
  lastSeq: number,
  compartments: {
    compartment: number;
    door: 'open' | 'closed';
    occupied: boolean;
    uv: 'off' | 'running';
  }[],
) {
  return {
    revision,
    agentVersion: 'test-1',
    lastSeq,
    syncRevision: 0,
    verifierCount: 0,
    keypadLockedUntil: null,
    capabilities: { uv: true, occupancy: true },
    settings: {
      heartbeatSeconds: 30,
      uvDefaultSeconds: 60,
      offlinePickup: true,
      openDetectSeconds: 5,
      wrongCodeLimit: 5,
      lockoutSeconds: 60,
      uvAfterClose: true,
    },
    compartments: compartments.map((c) => ({ ...c, lock: 'locked' as const })),
  };
}

export interface LockerWire {
  seq: number;
  env(): { messageId: string; lockerId: string; sentAt: string };
  send(kind: TopicKind, msg: object, to?: string): ReturnType<typeof ingest>;
  fact(
    type: string,
    props: object,
    s?: number,
  ): Record<string, unknown> & { seq: number; sentAt: string };
}

/**
 * A locker's side of the wire for ingest tests: envelopes stamped by the test clock, facts
 * numbered in order (`seq` is the last number handed out; a test moves it back after facts the
 * cloud refused), and messages fed to ingest as the broker would.
 */
export function lockerWire(t: TestApp, lockerId: string): LockerWire {
  const wire: LockerWire = {
    seq: 0,
    env: () => ({
      messageId: newId(t.clock, cryptoRandom),
      lockerId,
      sentAt: iso(t.clock.now()),
    }),
    send: (kind: TopicKind, msg: object, to = lockerId) =>
      ingest(t.deps, {}, lockerTopic(to, kind), Buffer.from(JSON.stringify(msg))),
    fact: (type: string, props: object, s = ++wire.seq) => ({
      ...wire.env(),
      seq: s,
      type,
      ...props,
    }),
  };
  return wire;
}
