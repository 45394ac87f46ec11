/**
 * The real side of the stateful attack suite: the demo world with a stored parcel in each
 * community, a snapshot of users, roles and sessions taken once, restored before every
 * run (far cheaper than seeding again), and the check that the database still says
 * exactly what the model says after every step.
 */
import { expect } from 'vitest';
import { demoLayout } from '../../src/demo/lockers.ts';
import { updateLocker } from '../../src/modules/lockers/locker.repository.ts';
import { createLocker } from '../../src/modules/lockers/locker.service.ts';
import { placePath } from '../../src/modules/places/place-path.repository.ts';
import { deposit, storeParcel } from '../../src/modules/parcels/index.ts';
import { SESSION_CHECK_TTL_MS } from '../../src/modules/identity/session.runtime.ts';
import type { Role, ScopeKind } from '../../src/platform/auth/roles.ts';
import type { Phone } from '../../src/platform/crypto/phone.ts';
import { DEMO_ACTORS, type DemoActor, type DemoWorld } from './demo-actors.ts';
import { IdentityModel, type ModelUser, type Path } from './identity.model.ts';

/** An id no row has (revoking a role the target does not hold). */
export const NO_SUCH_ID = '0190f5c2-dead-7000-8000-00000000beef';

/**
 * Accounts beyond the demo actors: `newbie` signed up by SMS and holds no role (an office
 * may adopt it); `fresh1` and `fresh2` do not exist until someone creates them in a run.
 */
export const OTHER_PHONES = {
  newbie: '13811110000',
  fresh1: '13700009001',
  fresh2: '13700009002',
} as const;
export type Target = DemoActor | keyof typeof OTHER_PHONES;

export interface AttackReal {
  w: DemoWorld;
  /** Places a grant may name, by a short name the counterexample prints. */
  places: Record<string, { kind: ScopeKind; id: string }>;
  /** The stored parcels: community and recipient user. */
  parcels: Record<string, { community: string; recipient: string; site: Path }>;
  snapshot: Snapshot;
}

interface Snapshot {
  users: {
    id: string;
    display_name: string;
    status: 'active' | 'disabled';
    phone_cipher: string | null;
  }[];
  grants: {
    id: string;
    user_id: string;
    role: Role;
    scope_kind: ScopeKind;
    scope_id: string;
    community_id: string | null;
    created_at: string;
    created_by: string | null;
  }[];
  sessions: Record<DemoActor, string>;
  paths: Map<string, Path>;
  newbie: string;
}

/** Add lockers and parcels to the demo world and take the snapshot every run starts from. */
export async function buildAttackReal(w: DemoWorld): Promise<AttackReal> {
  const { t, ids } = w;
  const db = t.database.db;
  const zto = (
    await db.selectFrom('carriers').select('id').where('code', '=', 'zto').executeTakeFirstOrThrow()
  ).id;
  const parcels: AttackReal['parcels'] = {};
  // A parcel at the door of each recipient's own unit: qsh1 (qsh grid 1), 王大爷 (qsh grid 2, not an actor), sx5 (sx grid 1).
  const recipients = [
    ['qsh', '13800000001'],
    ['qsh', '13800000003'],
    ['sx', '13800000005'],
  ] as const;
  for (const [i, [community, phone]] of recipients.entries()) {
    const user = await db
      .selectFrom('users')
      .innerJoin('role_grants as g', 'g.user_id', 'users.id')
      .select(['users.id', 'g.scope_id'])
      .where('users.phone_hash', '=', t.deps.vault.hash(phone as Phone))
      .where('g.role', '=', 'resident')
      .executeTakeFirstOrThrow();
    const site = (
      await db
        .selectFrom('locker_sites')
        .select('id')
        .where('unit_id', '=', user.scope_id)
        .executeTakeFirstOrThrow()
    ).id;
    const lockerId = `stateful-${i}`;
    await createLocker(t.deps, null, site, {
      id: lockerId,
      name: `攻击测试柜${i}`,
      compartments: demoLayout(24),
    });
    await updateLocker(db, lockerId, { status: 'active' });
    const { parcel } = await deposit(
      t.deps,
      { userId: w.userIds['courier.zto'], carrierId: zto },
      { lockerId, waybill: `ZTO9${i}00000001`, recipientPhone: phone, size: 'S', kind: 'delivery' },
    );
    await storeParcel(db, t.deps, parcel, 'api');
    parcels[parcel.id] = {
      community: ids[community],
      recipient: user.id,
      site: (await placePath(db, 'locker_site', site))!,
    };
  }
  const places: AttackReal['places'] = {
    qshUnit: { kind: 'unit', id: ids.qshUnit },
    sxUnit: { kind: 'unit', id: ids.sxUnit },
    qshGrid: { kind: 'grid', id: ids.qshGrid },
    sxGrid: { kind: 'grid', id: ids.sxGrid },
    qshHall: { kind: 'hall', id: ids.qshHall },
    sxHall: { kind: 'hall', id: ids.sxHall },
    qsh: { kind: 'community', id: ids.qsh },
    sx: { kind: 'community', id: ids.sx },
    subdistrict: { kind: 'subdistrict', id: ids.subdistrict },
    platform: { kind: 'platform', id: 'platform' },
    zto: { kind: 'carrier', id: zto },
  };
  // People with roles in both communities: managed by neither community worker alone (the case finding 1 missed).
  const both = [
    ['sx6', 'resident', 'unit', ids.qshUnit],
    ['qsh.hall', 'partner', 'hall', ids.sxHall],
  ] as const;
  for (const [who, role, scopeKind, scopeId] of both) {
    const r = await w.call('admin', 'POST', `/users/${w.userIds[who]}/grants`, {
      role,
      scopeKind,
      scopeId,
    });
    if (r.statusCode !== 201) throw new Error(`grant ${who}: ${r.body}`);
  }
  await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/otp',
    payload: { phone: OTHER_PHONES.newbie },
  });
  const newbie = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/otp/verify',
    payload: { phone: OTHER_PHONES.newbie, code: t.sms.lastCode(OTHER_PHONES.newbie) },
  });
  const users = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'status', 'phone_cipher'])
    .execute();
  const grants = await db.selectFrom('role_grants').selectAll().execute();
  const paths = new Map<string, Path>();
  for (const p of [
    ...grants.map((g) => ({ kind: g.scope_kind, id: g.scope_id })),
    ...Object.values(places),
  ]) {
    const path = await placePath(db, p.kind, p.id);
    if (path) paths.set(`${p.kind}:${p.id}`, path);
  }
  const sessions = {} as Record<DemoActor, string>;
  for (const a of DEMO_ACTORS)
    sessions[a] = JSON.parse(Buffer.from(w.tokens[a].split('.')[1]!, 'base64url').toString()).sid;
  return {
    w,
    places,
    parcels,
    snapshot: { users, grants, sessions, paths, newbie: newbie.json().userId },
  };
}

/** Put users, roles, sessions and counters back as they were; returns a fresh model of that state. */
export async function resetWorld(real: AttackReal): Promise<IdentityModel> {
  const { t } = real.w;
  const db = t.database.db;
  const s = real.snapshot;
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('role_grants').execute();
    await trx
      .deleteFrom('users')
      .where(
        'id',
        'not in',
        s.users.map((u) => u.id),
      )
      .execute();
    await trx.insertInto('role_grants').values(s.grants).execute();
    for (const u of s.users)
      await trx
        .updateTable('users')
        .set({ display_name: u.display_name, status: u.status })
        .where('id', '=', u.id)
        .execute();
    await trx
      .updateTable('sessions')
      .set({ revoked_at: null })
      .where('id', 'in', Object.values(s.sessions))
      .execute();
    await trx.deleteFrom('rate_counters').execute();
  });
  // Past every node's session cache, and fresh tokens on the same sessions (runs add up past a token's lifetime).
  t.clock.advance(SESSION_CHECK_TTL_MS + 1);
  for (const a of DEMO_ACTORS)
    real.w.tokens[a] = (
      await t.deps.tokens.issue({ sub: real.w.userIds[a], sid: s.sessions[a] })
    ).token;
  const users = new Map<string, ModelUser>();
  for (const u of s.users) {
    const grants = s.grants
      .filter((g) => g.user_id === u.id)
      .map((g) => ({ id: g.id, role: g.role, scopeKind: g.scope_kind, scopeId: g.scope_id }));
    users.set(u.id, {
      id: u.id,
      name: u.display_name,
      phone: u.phone_cipher ? t.deps.vault.decrypt(u.phone_cipher) : null,
      status: u.status,
      grants,
      sessionLive: true,
    });
  }
  const names = new Map<string, string>([
    ...DEMO_ACTORS.map((a) => [a, real.w.userIds[a]] as const),
    ['newbie', s.newbie],
  ]);
  return new IdentityModel(users, s.paths, names);
}

/** The database holds exactly the model's roles, names and statuses, and an active platform admin remains. */
export async function checkAgainstModel(m: IdentityModel, real: AttackReal): Promise<void> {
  const db = real.w.t.database.db;
  const rows = await db
    .selectFrom('role_grants')
    .select(['id', 'user_id', 'role', 'scope_kind', 'scope_id'])
    .execute();
  const inDb = rows
    .map((g) => `${g.user_id} ${g.id} ${g.role}@${g.scope_kind}:${g.scope_id}`)
    .sort();
  const inModel = [...m.users.values()]
    .flatMap((u) => u.grants.map((g) => `${u.id} ${g.id} ${g.role}@${g.scopeKind}:${g.scopeId}`))
    .sort();
  expect(
    inDb,
    'roles in the database differ from the model (a refused call changed something, or an allowed one did more)',
  ).toEqual(inModel);
  const users = await db.selectFrom('users').select(['id', 'status', 'display_name']).execute();
  for (const u of users) {
    const mu = m.users.get(u.id);
    if (!mu) throw new Error(`BREACH: user ${u.id} exists in the database but not in the model`);
    expect(`${u.status} ${u.display_name}`, `user ${u.id}`).toBe(`${mu.status} ${mu.name}`);
  }
  if (!m.platformAdminRemains()) throw new Error('BREACH: no active platform admin remains');
}
