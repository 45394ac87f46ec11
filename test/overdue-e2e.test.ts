/**
 * The overdue move to the service hall on a real node with the reference agent (issue 12,
 * item 9): a parcel outstays its free storage, hall staff open its compartment, take it
 * out and shut the door, shelve it, and hand it over against the same code. The resident
 * is told the truth at each step and keeps seeing the parcel, with where it is.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SimulatorLockBus } from '../src/device/adapters/simulator-lock-bus.ts';
import type { LockerAgentHandle } from '../src/device/agent.ts';
import { sweepOverdue } from '../src/modules/parcels/index.ts';
import { cryptoRandom, iso, systemClock } from '../src/platform/clock.ts';
import type { RunningServer } from '../src/server.ts';
import { type DemoWorld, startDemoWorld } from './demo-world.ts';
import { describeEachDialect, until } from './harness.ts';

describeEachDialect('overdue move to the hall end to end', (dialect) => {
  let w: DemoWorld;
  let server: RunningServer;
  let agent: LockerAgentHandle;
  let bus: SimulatorLockBus;
  const L = 'jinquan-0001';
  const ME = '13800000001';
  const STAFF = 'qsh.hall';

  beforeAll(async () => {
    w = await startDemoWorld(dialect, { lockerId: L });
    ({ server, agent, bus } = w);
    await w.signInByPhone(ME);
  });
  afterAll(async () => w?.stop());

  const api = (who: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    w.api(who, method, url, payload);
  const mine = async (id: string) =>
    (await api(ME, 'GET', '/me/parcels'))
      .json()
      .find((p: { parcelId: string }) => p.parcelId === id);
  const smsTo = () => w.sms.filter((m) => m.to === ME).map((m) => m.text);
  const compartmentUse = async (c: number) =>
    (await api('admin', 'GET', `/lockers/${L}`))
      .json()
      .compartments.find((x: { number: number }) => x.number === c).use;

  let parcelId = '';
  let compartment = 0;
  let code = '';
  let hallId = '';
  let itemId = '';

  it('a stored parcel outstays its free storage and lands on the hall staff list, still in the locker', async () => {
    const r = await api('courier.zto', 'POST', `/lockers/${L}/deposits`, {
      waybill: 'ZTO4455667788',
      recipientPhone: ME,
      size: 'S',
    });
    expect(r.statusCode).toBe(201);
    ({ parcelId, compartment } = r.json());
    await until('door open', async () => bus.door(compartment) === 'open');
    bus.setOccupied(compartment, true);
    bus.closeDoor(compartment);
    await until('stored', async () => (await mine(parcelId))?.status === 'stored');
    await server.parcels.idle();
    code = (await until('code sms', async () => smsTo().find((t) => t.includes('取件码'))))!.match(
      /取件码 (\d{8})/,
    )![1]!;

    const db = server.database.db;
    await db
      .updateTable('parcels')
      .set({ free_until: iso(Date.now() - 60_000) })
      .where('id', '=', parcelId)
      .execute();
    expect(await sweepOverdue({ db, clock: systemClock, random: cryptoRandom })).toMatchObject({
      toHall: 1,
    });
    hallId = (
      await db
        .selectFrom('hall_shelf_items')
        .select('hall_id')
        .where('parcel_id', '=', parcelId)
        .executeTakeFirstOrThrow()
    ).hall_id;
    const shelf = await api(STAFF, 'GET', `/halls/${hallId}/shelf?status=to_move`);
    expect(shelf.statusCode).toBe(200);
    const item = shelf.json().find((i: { parcelId: string }) => i.parcelId === parcelId);
    expect(item).toMatchObject({ status: 'to_move', lockerId: L, compartment, inLocker: true });
    itemId = item.id;
  });

  it('retrieve opens the door through the agent; the parcel leaves the locker for the hall — not returned — and the resident is told', async () => {
    const relays = bus.relayCount(compartment);
    const r = await api(STAFF, 'POST', `/halls/${hallId}/shelf/${itemId}/retrieve`);
    expect(r.statusCode).toBe(202);
    await until('door open for staff', async () => bus.door(compartment) === 'open');
    expect(bus.relayCount(compartment)).toBe(relays + 1);
    const p = await until('taken out', async () => {
      const x = await mine(parcelId);
      return x?.status === 'at_hall' && x;
    });
    // Still in the resident's list, with the same code and where it is going.
    expect(p).toMatchObject({
      code,
      hall: { name: expect.stringContaining('服务馆'), slot: null },
    });
    await server.parcels.idle();
    const told = await until('taken-out notice', async () =>
      smsTo().find((t) => t.includes('正送往')),
    );
    expect(told).toContain(p.hall.name);
    expect(told).toContain(`${compartment}号格口取出`);
    expect(told).not.toContain(code);
    expect(smsTo().join('\n')).not.toMatch(/退回/);
    const item = (await api(STAFF, 'GET', `/halls/${hallId}/shelf`))
      .json()
      .find((i: { id: string }) => i.id === itemId);
    expect(item).toMatchObject({ status: 'to_move', inLocker: false });
    // Hand-over waits for the shelf.
    const early = await api(STAFF, 'POST', `/halls/${hallId}/shelf/${itemId}/hand-over`, { code });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toMatch(/Shelve/);
  });

  it('staff take it out and shut the door: the compartment is free and the code no longer opens the locker', async () => {
    bus.setOccupied(compartment, false);
    bus.closeDoor(compartment);
    await until('compartment free', async () => (await compartmentUse(compartment)) === 'free');
    // The code no longer opens the compartment at the locker: the parcel is not in it any more.
    const relays = bus.relayCount(compartment);
    expect((await agent.enterCode(code)).result).not.toBe('opened');
    expect(bus.relayCount(compartment)).toBe(relays);
    expect(bus.door(compartment)).toBe('closed');
  });

  it('shelve answers 200, the resident is told the hall and slot, and the app shows both with the same code', async () => {
    const r = await api(STAFF, 'POST', `/halls/${hallId}/shelf/${itemId}/shelve`, { slot: 'A-03' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'on_shelf', slot: 'A-03', inLocker: false });
    const p = await mine(parcelId);
    expect(p).toMatchObject({ status: 'at_hall', code, hall: { slot: 'A-03' } });
    await server.parcels.idle();
    const told = await until('shelved notice', async () =>
      smsTo().find((t) => t.includes('货架 A-03')),
    );
    expect(told).toContain(p.hall.name);
    expect(told).toContain('凭原取件码领取');
    expect(told).not.toContain(code);
  });

  it('hand-over by the same code: a wrong code is refused, the right one hands it over and the parcel is picked up', async () => {
    const wrong = code === '00000000' ? '11111111' : '00000000';
    expect(
      (await api(STAFF, 'POST', `/halls/${hallId}/shelf/${itemId}/hand-over`, { code: wrong }))
        .statusCode,
    ).toBe(400);
    const r = await api(STAFF, 'POST', `/halls/${hallId}/shelf/${itemId}/hand-over`, { code });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'handed_over' });
    const done = (await api(ME, 'GET', `/me/parcels/${parcelId}`)).json();
    expect(done).toMatchObject({ status: 'picked_up', code: null, hall: null });
    const history = (await api(ME, 'GET', `/me/parcels/${parcelId}/events`))
      .json()
      .map((e: { type: string }) => e.type);
    expect(history).toEqual(
      expect.arrayContaining([
        'stored',
        'overdue',
        'retrieve_requested',
        'taken_out_for_hall',
        'moved_to_hall',
        'picked_up',
      ]),
    );
    expect(history).not.toContain('returned');
    expect(
      (await api(STAFF, 'POST', `/halls/${hallId}/shelf/${itemId}/hand-over`, { code })).statusCode,
    ).toBe(409);
  }, 20_000);
});
