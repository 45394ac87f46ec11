/**
 * A parcel's whole life on a real node with the reference agent: a courier deposits,
 * the door closes on the parcel, the recipient gets an SMS with the code, types it on
 * the locker screen, the door opens and the parcel is picked up — and nobody else can
 * see it along the way.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SimulatorLockBus } from '../src/device/adapters/simulator-lock-bus.ts';
import type { LockerAgentHandle } from '../src/device/agent.ts';
import type { RunningServer } from '../src/server.ts';
import { deriveCodeHash } from '../src/contract/index.ts';
import type { DeriveCodeHash } from '../src/device/context.ts';
import { type DemoWorld, startDemoWorld } from './demo-world.ts';
import { describeEachDialect, until } from './harness.ts';

const slowDerive: DeriveCodeHash = async (code, salt, kdf) => {
  const hash = await deriveCodeHash(code, salt, kdf);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return hash;
};

describeEachDialect('parcels end to end', (dialect) => {
  let w: DemoWorld;
  let server: RunningServer;
  let agent: LockerAgentHandle;
  let bus: SimulatorLockBus;
  let sms: DemoWorld['sms'];
  const L = 'jinquan-0001';

  beforeAll(async () => {
    // The locker's key derivation ends a second after the code arrives (a slow board, or scrypt
    // behind other work): the offline pickup below types the code before it would have ended,
    // and must still open (the agent waits for codes it is deriving).
    w = await startDemoWorld(dialect, { lockerId: L, agent: { deriveCodeHash: slowDerive } });
    ({ server, agent, bus, sms } = w);
    for (const phone of ['13800000001', '13800000002']) await w.signInByPhone(phone);
  });
  afterAll(async () => w?.stop());

  const closeCloud = () => w.stopCloud();
  const api = (who: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    w.api(who, method, url, payload);

  let parcelId = '';
  let compartment = 0;
  let code = '';

  it('a courier deposits: the smallest fitting compartment opens, and the parcel is stored when the door closes on it', async () => {
    const r = await api('courier.zto', 'POST', `/lockers/${L}/deposits`, {
      waybill: 'ZTO7788990011',
      recipientPhone: '138 0000 0001',
      size: 'S',
    });
    expect(r.statusCode).toBe(201);
    ({ parcelId, compartment } = r.json());
    const layout = (await api('admin', 'GET', `/lockers/${L}`)).json().compartments as {
      number: number;
      size: string;
      kind: string;
    }[];
    expect(layout.find((c) => c.number === compartment)).toMatchObject({
      size: 'S',
      kind: 'normal',
    });
    await until('door open', async () => bus.door(compartment) === 'open');
    bus.setOccupied(compartment, true);
    bus.closeDoor(compartment);
    const stored = await until('stored', async () => {
      const p = (await api('courier.zto', 'GET', `/courier/parcels/${parcelId}`)).json();
      return p.status === 'stored' && p;
    });
    expect(stored.recipientPhone).toBe('138****0001');
    expect(JSON.stringify(stored)).not.toMatch(/13800000001/);
  });

  it('tells the recipient by SMS where, which compartment, the code and the free-storage deadline; the app shows it to them only', async () => {
    await server.parcels.idle();
    const msg = await until('sms', async () =>
      sms.find((m) => m.to === '13800000001' && m.text.includes('取件码')),
    );
    code = msg.text.match(/取件码 (\d{8})/)![1]!;
    expect(msg.text).toContain(`${compartment}号格口`);
    expect(msg.text).toMatch(/前免费保管/);
    const mine = (await api('13800000001', 'GET', '/me/parcels')).json();
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      parcelId,
      code,
      compartment,
      status: 'stored',
      carrier: '中通快递',
    });
    // Another resident, another courier: nothing.
    expect((await api('13800000002', 'GET', '/me/parcels')).json()).toEqual([]);
    expect((await api('13800000002', 'GET', `/me/parcels/${parcelId}`)).statusCode).toBe(404);
    expect((await api('13800000002', 'GET', `/me/parcels/${parcelId}/events`)).statusCode).toBe(
      404,
    );
    expect((await api('13800000002', 'POST', `/me/parcels/${parcelId}/open`)).statusCode).toBe(404);
    expect((await api('courier.sf', 'GET', `/courier/parcels/${parcelId}`)).statusCode).toBe(404);
    // The database holds no clear code.
    const row = await server.database.db
      .selectFrom('parcels')
      .selectAll()
      .where('id', '=', parcelId)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(code);
  });

  it('refuses a wrong code on the screen, then the right code opens the compartment once and the parcel is picked up', async () => {
    const wrong = code === '00000000' ? '11111111' : '00000000';
    const refused = await agent.enterCode(wrong);
    expect(JSON.stringify(refused)).toMatch(/wrong|refus|pending|sent/i);
    const relaysBefore = bus.relayCount(compartment);
    await agent.enterCode(code);
    await until(
      'picked up',
      async () =>
        (await api('13800000001', 'GET', `/me/parcels/${parcelId}`)).json().status === 'picked_up',
    );
    expect(bus.relayCount(compartment)).toBe(relaysBefore + 1);
    const history = (await api('13800000001', 'GET', `/me/parcels/${parcelId}/events`))
      .json()
      .map((e: { type: string }) => e.type);
    expect(history).toEqual(
      expect.arrayContaining([
        'reserved',
        'door_opened_for_deposit',
        'stored',
        'pickup_requested',
        'picked_up',
      ]),
    );
    bus.setOccupied(compartment, false);
    bus.closeDoor(compartment);
    await until(
      'compartment free',
      async () =>
        (await api('admin', 'GET', `/lockers/${L}`))
          .json()
          .compartments.find((c: { number: number }) => c.number === compartment).use === 'free',
    );
  });

  it('says clearly when no compartment fits, and offers the hall', async () => {
    const r = await api('courier.zto', 'POST', `/lockers/${L}/deposits`, {
      waybill: 'ZTO0000000001',
      recipientPhone: '13800000002',
      size: 'XL',
      kind: 'takeout',
    });
    expect(r.statusCode).toBe(403); // a courier of an express carrier cannot use food compartments
    const bad = await api('courier.zto', 'POST', `/lockers/${L}/deposits`, {
      waybill: 'ZTO0000000002',
      recipientPhone: '12345',
      size: 'S',
    });
    expect(bad.statusCode).toBe(400);
    expect(
      (
        await api('courier.zto', 'POST', '/lockers/nope-0000/deposits', {
          waybill: 'ZTO0000000003',
          recipientPhone: '13800000002',
          size: 'S',
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await api('13800000001', 'POST', `/lockers/${L}/deposits`, {
          waybill: 'ZTO0000000004',
          recipientPhone: '13800000002',
          size: 'S',
        })
      ).statusCode,
    ).toBe(403);
  });

  it('with the cloud gone, the locker still opens for the right code from the sealed sync (ADR 0017), and only for it', async () => {
    const r = await api('courier.zto', 'POST', `/lockers/${L}/deposits`, {
      waybill: 'ZTO5566778899',
      recipientPhone: '13800000002',
      size: 'S',
    });
    const { parcelId: id, compartment: c } = r.json();
    await until('door open', async () => bus.door(c) === 'open');
    bus.setOccupied(c, true);
    bus.closeDoor(c);
    await server.parcels.idle();
    const text = await until('sms', async () =>
      sms.find((m) => m.to === '13800000002' && m.text.includes(`${c}号格口`)),
    );
    const offlineCode = text.text.match(/取件码 (\d{8})/)![1]!;
    // The deposit's open (contract v2; a v1 locker: the sync after the store) carried the code
    // sealed, never in clear, and no cloud-side verifier was made.
    const carried = await until('open with the code answered', async () => {
      const rows = await server.database.db
        .selectFrom('locker_commands')
        .select(['body', 'response_status'])
        .where('locker_id', '=', L)
        .where('type', '=', 'open')
        .execute();
      return rows.find((x) => x.response_status === 'opened' && x.body.includes(id));
    });
    expect(carried.body).not.toContain(offlineCode);
    expect(JSON.parse(carried.body).code).toMatchObject({ parcelId: id, compartment: c });
    expect(JSON.parse(carried.body).code).toHaveProperty('sealed');
    expect(
      (
        await server.database.db
          .selectFrom('parcels')
          .select('code_verifier')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).code_verifier,
    ).toBeNull();

    await closeCloud();
    await until('agent offline', async () => !agent.online());
    const wrong = offlineCode === '00000000' ? '11111111' : '00000000';
    expect(await agent.enterCode(wrong)).toMatchObject({ result: 'wrong_code' });
    const relays = bus.relayCount(c);
    expect(await agent.enterCode(offlineCode)).toMatchObject({ result: 'opened', compartment: c });
    expect(bus.relayCount(c)).toBe(relays + 1);
    // Spent: the same code does not open it again.
    expect((await agent.enterCode(offlineCode)).result).not.toBe('opened');
    // Several waits on a live node and agent: the default 10 s is too tight on a loaded 2-core machine.
  }, 30_000);
});
