/** Test helpers for the hall: a world with a stocked hall, extra residents, and API shorthands. */
import { auth, seedWorld, signToken, type World, type WorldUser } from '../../../test/factories.ts';
import type { TestApp } from '../../../test/harness.ts';
import { cryptoRandom, iso, newId } from '../../platform/clock.ts';
import type { Phone } from '../../platform/crypto/phone.ts';
import * as spaces from './booking.repository.ts';

export interface HallWorld extends World {
  /** A product with 10 in stock, ¥5.00. */
  fruit: { id: string; priceFen: number };
  /** A service (no stock). */
  service: { id: string; priceFen: number };
  tables: string;
  room: string;
}

/** The world of test/factories.ts plus hall 1's catalogue and spaces, made through the console API. */
export async function seedHallWorld(t: TestApp): Promise<HallWorld> {
  const w = await seedWorld(t);
  const add = async (body: object) => {
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/halls/${w.hall1}/items`,
      headers: auth(w, 'hallStaff1'),
      payload: body,
    });
    if (r.statusCode !== 201) throw new Error(r.body);
    return r.json() as { id: string; priceFen: number };
  };
  const fruit = await add({
    kind: 'product',
    category: 'fruit',
    name: '爱媛果冻橙',
    description: '当季',
    priceFen: 500,
    unit: '箱',
    stock: 10,
    lowStock: 3,
  });
  const service = await add({
    kind: 'service',
    category: 'housekeeping',
    name: '家政保洁 2 小时',
    description: '',
    priceFen: 9000,
    unit: '次',
  });
  const at = iso(t.clock.now());
  const base = {
    hall_id: w.hall1,
    community_id: w.community1,
    created_at: at,
    open_hour: 9,
    close_hour: 21,
  };
  const tables = newId(t.clock, cryptoRandom);
  const room = newId(t.clock, cryptoRandom);
  await spaces.insertSpaces(t.database.db, [
    {
      ...base,
      id: tables,
      name: '茶桌',
      kind: 'table',
      capacity: 4,
      seats: 6,
      approval_over: null,
      slot_minutes: 60,
    },
    {
      ...base,
      id: room,
      name: '会议室',
      kind: 'meeting_room',
      capacity: 1,
      seats: 20,
      approval_over: 10,
      slot_minutes: 120,
    },
  ]);
  return { ...w, fruit, service, tables, room };
}

/** A new resident of unit A with a session; returns their Authorization header. */
export async function extraResident(
  t: TestApp,
  w: World,
  n: number,
): Promise<{ authorization: string }> {
  const id = newId(t.clock, cryptoRandom);
  const at = iso(t.clock.now());
  const phone = `1590000${String(n).padStart(4, '0')}` as Phone;
  await t.database.db
    .insertInto('users')
    .values({
      id,
      display_name: `居民${n}`,
      phone_hash: t.deps.vault.hash(phone),
      phone_cipher: t.deps.vault.encrypt(phone),
      username: null,
      password_hash: null,
      status: 'active',
      created_at: at,
      updated_at: at,
    })
    .execute();
  await t.database.db
    .insertInto('role_grants')
    .values({
      id: newId(t.clock, cryptoRandom),
      user_id: id,
      role: 'resident',
      scope_kind: 'unit',
      scope_id: w.unitA,
      community_id: w.community1,
      created_at: at,
      created_by: null,
    })
    .execute();
  const header = { authorization: `Bearer ${await signToken(t, id)}` };
  owners.set(header, id);
  return header;
}

const owners = new WeakMap<{ authorization: string }, string>();

/** Sign new tokens for extra residents and world users after the clock jumped past their expiry. */
export async function refreshTokens(t: TestApp, w: World, headers: { authorization: string }[]) {
  for (const h of headers) h.authorization = `Bearer ${await signToken(t, owners.get(h)!)}`;
  for (const u of Object.values(w.users)) u.token = await signToken(t, u.id);
}

/** Shorthand for an API call as a world user (or with a header). */
export function caller(t: TestApp, w: World) {
  return (
    who: WorldUser | { authorization: string },
    method: 'GET' | 'POST' | 'PATCH' | 'PUT',
    url: string,
    payload?: object,
  ) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: typeof who === 'string' ? auth(w, who) : who,
      ...(payload ? { payload } : {}),
    });
}
