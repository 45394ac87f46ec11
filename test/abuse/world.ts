/**
 * A lived-in world for the abuse and privacy suites: a real node (demo seed, embedded
 * broker) with two reference agents, one in each community, and real objects of every
 * kind a route can name — parcels stored, picked up and sent, commands, alerts, consent
 * requests, grants — so a generated request hits a real object, not a made-up id.
 *
 * Community qsh is the attacker's side, community sx the victim's. Later modules add
 * their objects in `buildAbuseWorld` and their path parameters in `VICTIM_PARAMS`.
 */
import { seedLedgerVictims } from './ledger-victims.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { deviceUsername } from '../../src/contract/index.ts';
import { SimulatorLockBus } from '../../src/device/adapters/simulator-lock-bus.ts';
import { type LockerAgentHandle, startLockerAgent } from '../../src/device/agent.ts';
import { DEMO_PASSWORD } from '../../src/demo/jinquan.ts';
import { demoLockerSecret } from '../../src/modules/lockers/provisioning.service.ts';
import type { SmsSender } from '../../src/platform/notify/sms.ts';
import { type RunningServer, startServer } from '../../src/server.ts';
import { type Dialect, TEST_ENV, until } from '../harness.ts';
import { rowCounts } from './counts.ts';
import { hallVictims } from './hall-objects.ts';

/** A 1×1 PNG, for request photos. */
const ONE_PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** Demo accounts used as actors (staff by username, residents by phone). */
export const STAFF = [
  'admin',
  'jq.officer',
  'qsh.worker',
  'sx.worker',
  'qsh.grid1',
  'qsh.hall',
  'sx.hall',
  'qsh.partner',
  'courier.zto',
  'courier.sf',
  'courier.meituan',
] as const;
/** qsh residents (attackers) and sx residents (victims). */
export const RESIDENTS = {
  qsh1: '13800000001',
  qsh2: '13800000002',
  sx5: '13800000005',
  sx6: '13800000006',
} as const;
export type Actor = (typeof STAFF)[number] | keyof typeof RESIDENTS;

/** Actors with no place in community sx (so nothing of sx may reach them, except couriers' own parcels). */
export const OUTSIDERS: Actor[] = [
  'qsh.worker',
  'qsh.grid1',
  'qsh.hall',
  'qsh.partner',
  'courier.sf',
  'courier.meituan',
  'qsh1',
  'qsh2',
];

export interface AbuseWorld {
  dialect: Dialect;
  server: RunningServer;
  tokens: Record<Actor, string>;
  userIds: Record<Actor, string>;
  sms: { to: string; text: string }[];
  /** Every log line the node wrote (JSON strings). */
  logs: CapturedLogs;
  agents: { qsh: LockerAgentHandle; sx: LockerAgentHandle };
  buses: { qsh: SimulatorLockBus; sx: SimulatorLockBus };
  /** Ids of victim (community sx) objects by route parameter name. */
  victim: Record<string, string>;
  /** Ids of both communities' objects by route parameter name (for crawling). */
  pool: Record<string, string[]>;
  /** Every response the world's api() returned, with who asked. */
  responses: { who: Actor | null; method: string; url: string; status: number; body: string }[];
  /** Clear pickup codes and full phones that must never reach anyone but their owner. */
  secrets: { codes: string[]; phones: string[]; flats: string[] };
  api(
    who: Actor | null,
    method: string,
    url: string,
    payload?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ statusCode: number; body: string; json(): any; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** Build the world on a dialect; takes a few seconds. */
export async function buildAbuseWorld(dialect: Dialect): Promise<AbuseWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-abuse-'));
  const schema =
    dialect === 'postgres' ? `abuse_${process.pid}_${Date.now() % 1_000_000}` : undefined;
  const logs = captureStdoutLogs();
  const config = loadConfig(
    {
      ...TEST_ENV,
      PORT: '0',
      MQTT_PORT: '0',
      LOG_LEVEL: 'debug',
      DATA_DIR: dir,
      ANTNEST_DEMO_FLEET: 'false',
      DATABASE_URL: dialect === 'sqlite' ? 'sqlite::memory:' : process.env['DATABASE_URL'],
      ...(schema ? { DATABASE_SCHEMA: schema } : {}),
    },
    { demo: true },
  );
  const sms: { to: string; text: string }[] = [];
  const capture: SmsSender = { send: async (to, text) => void sms.push({ to, text }) };
  const server = await startServer(config, { sms: capture });
  const db = server.database.db;

  const lockerIn = async (communityName: string) => {
    const row = await db
      .selectFrom('lockers')
      .innerJoin('communities', 'communities.id', 'lockers.community_id')
      .select('lockers.id')
      .where('communities.name', '=', communityName)
      .orderBy('lockers.id')
      .executeTakeFirstOrThrow();
    return server.demoLockers.find((d) => d.lockerId === row.id)!;
  };
  const startAgent = async (d: { lockerId: string; compartments: number[] }) => {
    const bus = new SimulatorLockBus({
      compartments: d.compartments,
      popOpenMs: 10,
      autoCloseMs: null,
    });
    const agent = await startLockerAgent({
      lockerId: d.lockerId,
      brokerUrl: server.mqttUrl,
      username: deviceUsername(d.lockerId),
      password: demoLockerSecret(config.secrets.tokenKey, d.lockerId),
      storePath: path.join(dir, `${d.lockerId}.db`),
      lockBus: bus,
      timeScale: 0.05,
      // No after-use UV here: a cycle's facts would land mid-fuzz, long after settle() saw the set-up go quiet (UV: test/uv-e2e.test.ts).
      settings: { uvAfterClose: false },
    });
    await agent.whenOnline(5000);
    return { agent, bus };
  };
  const qshLocker = await lockerIn('清水河社区');
  const sxLocker = await lockerIn('蜀西社区');
  const qsh = await startAgent(qshLocker);
  const sx = await startAgent(sxLocker);

  const tokens = {} as Record<Actor, string>;
  const responses: AbuseWorld['responses'] = [];
  const api: AbuseWorld['api'] = async (who, method, url, payload, headers = {}) => {
    const r = await server.app.inject({
      method: method as 'GET',
      url: url.startsWith('/') ? url : `/api/v1/${url}`,
      headers: { ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}), ...headers },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    responses.push({ who, method, url, status: r.statusCode, body: r.body });
    return r as never;
  };
  for (const u of STAFF) {
    const r = await api(null, 'POST', '/api/v1/auth/login', {
      username: u,
      password: DEMO_PASSWORD,
    });
    if (r.statusCode !== 200) throw new Error(`login ${u}: ${r.body}`);
    tokens[u] = r.json().accessToken;
  }
  for (const [k, phone] of Object.entries(RESIDENTS) as [keyof typeof RESIDENTS, string][]) {
    await api(null, 'POST', '/api/v1/auth/otp', { phone });
    await server.parcels.idle();
    const code = [...sms]
      .reverse()
      .find((m) => m.to === phone)!
      .text.match(/\d{6}/)![0];
    tokens[k] = (
      await api(null, 'POST', '/api/v1/auth/otp/verify', { phone, code })
    ).json().accessToken;
  }
  const userIds = {} as Record<Actor, string>;
  for (const a of Object.keys(tokens) as Actor[])
    userIds[a] = (await api(a, 'GET', '/api/v1/me')).json().id;

  // A parcel of each side stored; the victim's picked up once and a second one waiting.
  const deposit = async (side: 'qsh' | 'sx', lockerId: string, phone: string, waybill: string) => {
    const r = await api('courier.zto', 'POST', `/api/v1/lockers/${lockerId}/deposits`, {
      waybill,
      recipientPhone: phone,
      size: 'S',
    });
    if (r.statusCode !== 201) throw new Error(`deposit: ${r.body}`);
    const { parcelId, compartment } = r.json();
    const bus = side === 'qsh' ? qsh.bus : sx.bus;
    await until('door open', async () => bus.door(compartment) === 'open');
    bus.setOccupied(compartment, true);
    bus.closeDoor(compartment);
    await until('stored', async () =>
      (await api('admin', 'GET', `/api/v1/lockers/${lockerId}/parcels`))
        .json()
        .some?.(
          (p: { parcelId: string; status: string }) =>
            p.parcelId === parcelId && p.status === 'stored',
        ),
    );
    await server.parcels.idle();
    const code = (await until('code sms', async () =>
      [...sms].reverse().find((m) => m.to === phone && m.text.includes(`${compartment}号格口`)),
    ))!.text.match(/(\d{8})/)![1]!;
    return { parcelId, compartment, code };
  };
  const qshParcel = await deposit('qsh', qshLocker.lockerId, RESIDENTS.qsh1, 'ZTO1000000001');
  const sxParcel = await deposit('sx', sxLocker.lockerId, RESIDENTS.sx5, 'ZTO2000000001');
  const sxParcel2 = await deposit('sx', sxLocker.lockerId, RESIDENTS.sx5, 'ZTO2000000002');
  const open = await api('sx5', 'POST', `/api/v1/me/parcels/${sxParcel.parcelId}/open`);
  if (open.statusCode >= 300) throw new Error(`open: ${open.body}`);
  await until(
    'picked up',
    async () =>
      (await api('sx5', 'GET', `/api/v1/me/parcels/${sxParcel.parcelId}`)).json().status ===
      'picked_up',
  );
  sx.bus.setOccupied(sxParcel.compartment, false);
  sx.bus.closeDoor(sxParcel.compartment);

  // A staff command and an alert on the victim's locker (a door pulled open with no command).
  const cmd = (
    await api('sx.worker', 'POST', `/api/v1/lockers/${sxLocker.lockerId}/compartments/1/open`, {
      reason: '滥用测试: 维护开柜',
    })
  ).json();
  await until(
    'answered',
    async () =>
      (
        await api('admin', 'GET', `/api/v1/lockers/${sxLocker.lockerId}/commands/${cmd.commandId}`)
      ).json().status === 'answered',
  );
  sx.bus.closeDoor(1);
  const sxCommunity = (await api('admin', 'GET', `/api/v1/lockers/${sxLocker.lockerId}`)).json()
    .communityId as string;
  sx.bus.pullDoor(2);
  const alert = await until(
    'alert',
    async () =>
      (
        (
          await api('admin', 'GET', `/api/v1/communities/${sxCommunity}/alerts?status=open`)
        ).json() as { id: string }[]
      )[0],
  );
  sx.bus.closeDoor(2);

  // An outgoing parcel of the victim, a consent request to the victim, the victim's grant.
  const carriers = (await api('admin', 'GET', '/api/v1/carriers')).json() as {
    id: string;
    code: string;
  }[];
  const zto = carriers.find((c) => c.code === 'zto')!.id;
  const outgoing = await api('sx5', 'POST', `/api/v1/lockers/${sxLocker.lockerId}/outgoing`, {
    carrierId: zto,
    size: 'S',
  });
  // A sending order of the victim (quoted from the demo tariffs, not paid: it holds no compartment).
  const quote = await api('sx5', 'POST', '/api/v1/me/sending/quotes', {
    carrierId: zto,
    weightBand: '0-1kg',
    size: 'S',
    sender: { name: '受害人', phone: RESIDENTS.sx5, address: '受害人家门口' },
    recipient: {
      name: '收件人',
      phone: '13912345678',
      province: '四川省',
      city: '成都市',
      district: '武侯区',
      address: '某路1号',
    },
  });
  const sendingOrder =
    quote.statusCode === 201
      ? await api('sx5', 'POST', '/api/v1/me/sending/orders', {
          quoteId: quote.json().quoteId,
          lockerId: sxLocker.lockerId,
        })
      : quote;
  const consent = await api('courier.zto', 'POST', '/api/v1/couriers/consent-requests', {
    recipientPhone: RESIDENTS.sx6,
    lockerId: sxLocker.lockerId,
    waybill: 'ZTO3000000001',
    carrierId: zto,
  });
  const sxUser = (await api('admin', 'GET', `/api/v1/users/${userIds.sx5}`)).json();
  const sxRow = await db
    .selectFrom('locker_sites')
    .innerJoin('lockers', 'lockers.site_id', 'locker_sites.id')
    .select([
      'locker_sites.id as siteId',
      'locker_sites.building_id as buildingId',
      'locker_sites.unit_id as unitId',
      'locker_sites.compound_id as compoundId',
    ])
    .where('lockers.id', '=', sxLocker.lockerId)
    .executeTakeFirstOrThrow();
  const hall = await db
    .selectFrom('halls')
    .select('id')
    .where('community_id', '=', sxCommunity)
    .executeTakeFirstOrThrow();
  // A pending request to bind a home in the victim community (household.service.ts).
  const householdRequestId = '0190f5c2-beef-7000-8000-00000000a001';
  await db
    .insertInto('household_requests')
    .values({
      id: householdRequestId,
      user_id: userIds.sx5,
      unit_id: sxRow.unitId!,
      community_id: sxCommunity,
      relation: '子女',
      note: null,
      status: 'pending',
      created_at: new Date().toISOString(),
      decided_at: null,
      decided_by: null,
      reason: null,
    })
    .execute();
  // The demo's notices and activities of the victim community (src/demo/notices.ts).
  const sxNotice = await db
    .selectFrom('notices')
    .select('id')
    .where('community_id', '=', sxCommunity)
    .executeTakeFirstOrThrow();
  const sxActivity = await db
    .selectFrom('activities')
    .select('id')
    .where('community_id', '=', sxCommunity)
    .executeTakeFirstOrThrow();
  // Needs (issue 16): a victim resident's request with a photo, a routing rule, an Open311 client.
  const photo = await api('sx5', 'POST', '/api/v1/needs/photos', ONE_PIXEL_PNG, {
    'content-type': 'image/png',
  });
  const need = await api('sx5', 'POST', '/api/v1/me/needs', {
    serviceCode: 'policy',
    description: '咨询居住证明怎么开',
    photoIds: [photo.json().id],
  });
  if (need.statusCode !== 201) throw new Error(`need: ${need.body}`);
  const rule = await api('sx.worker', 'POST', `/api/v1/communities/${sxCommunity}/need-routes`, {
    serviceCode: 'noise',
    party: 'community_office',
  });
  const client = await api('admin', 'POST', '/api/v1/open311-clients', { name: '滥用测试' });
  // A monthly report of the victim community (issue 18), so the report routes' month is real.
  const report = await api(
    'admin',
    'POST',
    `/api/v1/analytics/reports/communities/${sxCommunity}/months/2026-10`,
  );
  if (report.statusCode !== 201) throw new Error(`report: ${report.statusCode} ${report.body}`);
  await server.parcels.idle();
  await settle(db);

  const victim: Record<string, string> = {
    householdRequestId,
    noticeId: sxNotice.id,
    activityId: sxActivity.id,
    communityId: sxCommunity,
    compoundId: sxRow.compoundId ?? '',
    buildingId: sxRow.buildingId ?? '',
    unitId: sxRow.unitId ?? '',
    siteId: sxRow.siteId,
    hallId: hall.id,
    lockerId: sxLocker.lockerId,
    number: '3',
    commandId: cmd.commandId,
    alertId: alert.id,
    parcelId: sxParcel2.parcelId,
    userId: userIds.sx5,
    grantId: sxUser.grants?.[0]?.id ?? '',
    ...(outgoing.statusCode < 300 ? { outgoingParcelId: outgoing.json().parcelId } : {}),
    ...(sendingOrder.statusCode === 201 ? { sendingOrderId: sendingOrder.json().id } : {}),
    ...(consent.statusCode < 300 ? { id: consent.json().id } : {}),
    needId: need.json().id,
    photoId: photo.json().id,
    ruleId: rule.json().id,
    clientId: client.json().client.id,
    code: 'repair',
    day: '2026-10-01',
    month: '2026-10',
    chart: 'carriers',
    ...(await hallVictims(api, hall.id)),
    ...(await seedLedgerVictims(db, {
      communityId: sxCommunity,
      hallId: hall.id,
      userId: userIds.sx5,
    })),
  };
  const qshCommunity = (await api('admin', 'GET', `/api/v1/lockers/${qshLocker.lockerId}`)).json()
    .communityId as string;
  const qshHall = await db
    .selectFrom('halls')
    .select('id')
    .where('community_id', '=', qshCommunity)
    .executeTakeFirstOrThrow();
  const pool: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(victim)) pool[k] = [v];
  pool['communityId']!.push(qshCommunity);
  pool['hallId']!.push(qshHall.id);
  pool['lockerId']!.push(qshLocker.lockerId);
  pool['parcelId']!.push(
    qshParcel.parcelId,
    sxParcel.parcelId,
    ...(victim['outgoingParcelId'] ? [victim['outgoingParcelId']] : []),
  );
  pool['userId'] = Object.values(userIds);
  const phones = [...Object.values(RESIDENTS), '13900000002'];
  return {
    dialect,
    server,
    tokens,
    userIds,
    sms,
    logs,
    agents: { qsh: qsh.agent, sx: sx.agent },
    buses: { qsh: qsh.bus, sx: sx.bus },
    victim,
    pool,
    responses,
    secrets: { codes: [qshParcel.code, sxParcel.code, sxParcel2.code], phones, flats: [] },
    api,
    close: async () => {
      await qsh.agent.stop();
      await sx.agent.stop();
      if (schema) await sql.raw(`drop schema if exists ${schema} cascade`).execute(db);
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
      logs.release();
    },
  };
}

/** Log lines captured from stdout (fd 1), where the node's pino logger writes. */
export interface CapturedLogs extends Array<string> {
  release(): void;
}

/**
 * Capture what is written to fd 1 (pino writes there through sonic-boom, bypassing
 * process.stdout.write), so the privacy scan can read every log line of the suite.
 */
export function captureStdoutLogs(): CapturedLogs {
  const lines = [] as unknown as CapturedLogs;
  let partial = '';
  const take = (data: unknown) => {
    partial += Buffer.isBuffer(data) ? data.toString('utf8') : String(data);
    const parts = partial.split('\n');
    partial = parts.pop()!;
    lines.push(...parts.filter(Boolean));
  };
  const origWrite = fs.write;
  const origWriteSync = fs.writeSync;
  const f = fs as unknown as Record<string, unknown>;
  f['write'] = (fd: number, data: unknown, ...rest: unknown[]) => {
    if (fd !== 1) return (origWrite as (...a: unknown[]) => void)(fd, data, ...rest);
    take(data);
    const cb = rest.find((r) => typeof r === 'function') as
      ((e: null, n: number) => void) | undefined;
    const n = Buffer.isBuffer(data) ? data.length : Buffer.byteLength(String(data));
    if (cb) process.nextTick(() => cb(null, n));
  };
  f['writeSync'] = (fd: number, data: unknown, ...rest: unknown[]) => {
    if (fd !== 1) return (origWriteSync as (...a: unknown[]) => number)(fd, data, ...rest);
    take(data);
    return Buffer.isBuffer(data) ? data.length : Buffer.byteLength(String(data));
  };
  lines.release = () => {
    f['write'] = origWrite;
    f['writeSync'] = origWriteSync;
  };
  return lines;
}

/**
 * Wait until no row count changes for 200 ms (device echoes of the set-up have landed); returns
 * the last counts, so a caller needs no extra count to know where the database stands.
 */
export async function settle(db: RunningServer['database']['db']): Promise<Record<string, number>> {
  let counts = await rowCounts(db);
  let last = JSON.stringify(counts);
  for (let stable = 0, i = 0; stable < 4 && i < 200; i++) {
    await new Promise((r) => setTimeout(r, 50));
    counts = await rowCounts(db);
    const now = JSON.stringify(counts);
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
  return counts;
}
