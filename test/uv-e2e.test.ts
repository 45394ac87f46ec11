/**
 * Disinfection after every use, end to end (issue 12, ADR 0019): a real node, the
 * reference agent on a simulated cabinet whose lamps can fail, no UV config from the
 * cloud. Every completed use (deposit close, pickup close) leads to a recorded cycle;
 * the resident's parcel shows when; staff start a cycle; a door opened mid-cycle aborts
 * it with the lamp off; a failed cycle raises an alert and keeps the compartment out of
 * allocation until a cycle completes; a community that turned the policy off gets none.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LampFaultBus } from '../src/device/testing/lamp-bus.ts';
import { type DemoWorld, startDemoWorld } from './demo-world.ts';
import { describeEachDialect, until } from './harness.ts';

interface Cycle {
  compartment: number;
  trigger: string | null;
  outcome: string;
  reason: string | null;
  durationSeconds: number | null;
  startedAt: string;
  endedAt: string | null;
}
interface Comp {
  number: number;
  size: string;
  kind: string;
  use: string;
  door: string;
  uv: string;
  uvResult: string | null;
  lastCycle: Cycle | null;
}

describeEachDialect('UV disinfection end to end', (dialect) => {
  let w: DemoWorld;
  let bus: LampFaultBus;
  const L = 'jinquan-0001';
  const RESIDENT = '13800000001';

  beforeAll(async () => {
    // 20 s cycles at timeScale 0.05: one second each. The policy itself is the device's default.
    w = await startDemoWorld(dialect, {
      lockerId: L,
      agent: { settings: { uvDefaultSeconds: 20 } },
      bus: (compartments) =>
        (bus = new LampFaultBus({
          compartments,
          popOpenMs: 20,
          autoCloseMs: null,
          timeScale: 0.05,
        })),
    });
    await w.signInByPhone(RESIDENT);
  });
  afterAll(async () => w?.stop());

  const api = (who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    w.api(who, method, url, payload);
  const cycles = async (c: number): Promise<Cycle[]> =>
    (await api('admin', 'GET', `/lockers/${L}/compartments/${c}/uv-cycles`)).json();
  const compartments = async (): Promise<Comp[]> =>
    (await api('admin', 'GET', `/lockers/${L}`)).json().compartments;
  const deposit = async (waybill: string): Promise<{ parcelId: string; compartment: number }> => {
    const r = await api('courier.zto', 'POST', `/lockers/${L}/deposits`, {
      waybill,
      recipientPhone: RESIDENT,
      size: 'S',
    });
    expect(r.statusCode).toBe(201);
    return r.json();
  };
  const completedCycles = async (c: number, n: number) =>
    until(`${n} completed cycles on #${c}`, async () => {
      const all = await cycles(c);
      return all.filter((x) => x.outcome === 'completed').length >= n && all;
    });

  let parcelId = '';
  let c = 0;
  const disinfectedEvents = async () =>
    (
      (await api(RESIDENT, 'GET', `/me/parcels/${parcelId}/events`)).json() as { type: string }[]
    ).filter((e) => e.type === 'disinfected').length;

  it('a deposit close leads to a recorded cycle, and the resident sees 已消毒 with its time', async () => {
    ({ parcelId, compartment: c } = await deposit('ZTO1000000001'));
    await until('door open', async () => bus.door(c) === 'open');
    expect(bus.uv(c)).toBe(false);
    bus.setOccupied(c, true);
    bus.closeDoor(c);
    const [cycle] = await completedCycles(c, 1);
    expect(cycle).toMatchObject({
      compartment: c,
      trigger: 'after_close',
      outcome: 'completed',
      durationSeconds: 20,
    });
    const mine = (await api(RESIDENT, 'GET', '/me/parcels')).json() as {
      parcelId: string;
      status: string;
      disinfectedAt: string | null;
    }[];
    expect(mine.find((p) => p.parcelId === parcelId)).toMatchObject({
      status: 'stored',
      disinfectedAt: cycle!.endedAt,
    });
    expect((await compartments()).find((x) => x.number === c)!.lastCycle).toMatchObject({
      outcome: 'completed',
      trigger: 'after_close',
    });
    // A step in the parcel's history, which is also what tells the resident's app live.
    await until('disinfected event', async () => (await disinfectedEvents()) === 1);
  });

  it('a pickup close leads to another cycle; the picked-up parcel shows the one its pickup triggered', async () => {
    expect((await api(RESIDENT, 'POST', `/me/parcels/${parcelId}/open`)).statusCode).toBeLessThan(
      300,
    );
    await until('door open', async () => bus.door(c) === 'open');
    expect(bus.uv(c)).toBe(false);
    bus.setOccupied(c, false);
    bus.closeDoor(c);
    const all = await completedCycles(c, 2);
    const afterPickup = all.find((x) => x.outcome === 'completed')!; // newest first
    await until(
      'picked up',
      async () =>
        (await api(RESIDENT, 'GET', `/me/parcels/${parcelId}`)).json().status === 'picked_up',
    );
    const recent = (await api(RESIDENT, 'GET', '/me/parcels?include=recent')).json() as {
      parcelId: string;
      disinfectedAt: string | null;
    }[];
    expect(recent.find((p) => p.parcelId === parcelId)!.disinfectedAt).toBe(afterPickup.endedAt);
    expect(all.filter((x) => x.trigger === 'after_close').length).toBeGreaterThanOrEqual(2);
    await until('second disinfected event', async () => (await disinfectedEvents()) === 2);
  });

  it('staff start a cycle on a compartment', async () => {
    const before = (await cycles(c)).length;
    const r = await api('qsh.worker', 'POST', `/lockers/${L}/disinfect`, { compartment: c });
    expect(r.statusCode).toBe(202);
    const all = await until('staff cycle done', async () => {
      const x = await cycles(c);
      return x.length > before && x[0]!.outcome === 'completed' && x;
    });
    expect(all[0]).toMatchObject({ trigger: 'command', outcome: 'completed' });
  });

  it('a door opened mid-cycle aborts it with the lamp off; the next close runs a fresh one', async () => {
    await api('admin', 'POST', `/lockers/${L}/disinfect`, { compartment: c, durationSeconds: 600 });
    await until('lamp on', async () => bus.uv(c) && (await cycles(c))[0]!.outcome === 'running');
    bus.pullDoor(c);
    expect(bus.uv(c)).toBe(false);
    const [aborted] = await until('aborted', async () => {
      const x = await cycles(c);
      return x[0]!.outcome === 'aborted' && x;
    });
    expect(aborted).toMatchObject({ trigger: 'command', reason: 'door_opened' });
    bus.closeDoor(c);
    await until(
      'fresh cycle after the close',
      async () => (await cycles(c))[0]!.outcome === 'completed',
    );
  });

  it('a failed cycle raises an alert and keeps the compartment out of allocation until a cycle completes', async () => {
    const cid = (await api('admin', 'GET', `/lockers/${L}`)).json().communityId as string;
    const alerts = async () =>
      (
        await api('admin', 'GET', `/communities/${cid}/alerts?status=unresolved&lockerId=${L}`)
      ).json() as { id: string; kind: string; compartment: number }[];
    const blocked = new Set((await alerts()).map((a) => a.compartment));
    const f = (await compartments()).find(
      (x) =>
        x.size === 'S' &&
        x.kind === 'normal' &&
        x.use === 'free' &&
        x.uv === 'off' &&
        x.door !== 'open' &&
        !['aborted', 'failed'].includes(x.uvResult ?? '') &&
        !blocked.has(x.number),
    )!.number;
    bus.breakLamp(f);
    const cmd = (await api('admin', 'POST', `/lockers/${L}/disinfect`, { compartment: f })).json()
      .commandId as string;
    const answered = await until('answer', async () => {
      const x = (await api('admin', 'GET', `/lockers/${L}/commands/${cmd}`)).json();
      return x.status === 'answered' && x;
    });
    expect(answered.responseStatus).toBe('rejected');
    const [failed] = await until('failed cycle', async () => {
      const x = await cycles(f);
      return x[0]?.outcome === 'failed' && x;
    });
    expect(failed).toMatchObject({ reason: 'lamp_fault' });
    const alert = await until('uv_fault alert', async () =>
      (await alerts()).find((a) => a.kind === 'uv_fault' && a.compartment === f),
    );
    expect((await deposit('ZTO1000000002')).compartment).not.toBe(f);
    // Resolving the alert is not a completed cycle: still out.
    expect((await api('admin', 'POST', `/alerts/${alert.id}/resolve`)).statusCode).toBe(200);
    expect((await deposit('ZTO1000000003')).compartment).not.toBe(f);
    // A new lamp and a completed cycle bring it back.
    bus.repairLamp(f);
    await api('admin', 'POST', `/lockers/${L}/disinfect`, { compartment: f });
    await until('completed again', async () => (await cycles(f))[0]?.outcome === 'completed');
    expect((await deposit('ZTO1000000004')).compartment).toBe(f);
  });

  it('a community that turned the policy off gets no cycle after a use', async () => {
    const cid = (await api('admin', 'GET', `/lockers/${L}`)).json().communityId as string;
    expect((await api('admin', 'GET', `/communities/${cid}/uv-policy`)).json()).toEqual({
      afterUse: 'every_use',
      cycleSeconds: 300,
      updatedAt: null,
    });
    const put = await api('admin', 'PUT', `/communities/${cid}/uv-policy`, {
      afterUse: 'off',
      cycleSeconds: 20,
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ afterUse: 'off', cycleSeconds: 20 });
    await until('config applied', async () =>
      (
        (await api('admin', 'GET', `/lockers/${L}/commands`)).json() as {
          type: string;
          responseStatus: string | null;
        }[]
      ).some((x) => x.type === 'config' && x.responseStatus === 'ok'),
    );
    const before = (await cycles(c)).length;
    expect(
      (
        await api('admin', 'POST', `/lockers/${L}/compartments/${c}/open`, {
          reason: '策略关闭后测试开门',
        })
      ).statusCode,
    ).toBe(202);
    await until('door open', async () => bus.door(c) === 'open');
    bus.closeDoor(c);
    await until(
      'door closed reported',
      async () => (await compartments()).find((x) => x.number === c)!.door === 'closed',
    );
    await new Promise((r) => setTimeout(r, 1500)); // a cycle would have started and ended by now
    expect(await cycles(c)).toHaveLength(before);
    expect(bus.uv(c)).toBe(false);
    // Only admins change it; bad input is a 400 with a reason.
    expect(
      (
        await api('qsh.hall', 'PUT', `/communities/${cid}/uv-policy`, {
          afterUse: 'every_use',
          cycleSeconds: 300,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await api('admin', 'PUT', `/communities/${cid}/uv-policy`, {
          afterUse: 'sometimes',
          cycleSeconds: 300,
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await api('admin', 'PUT', `/communities/${cid}/uv-policy`, {
          afterUse: 'every_use',
          cycleSeconds: 5,
        })
      ).statusCode,
    ).toBe(400);
  });
});
