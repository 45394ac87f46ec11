/**
 * The whole loop on a real node: embedded broker, cloud runtime, and the reference
 * locker agent on a simulated cabinet. Staff open a compartment through the API; the
 * device fires the relay once and answers; a jammed door becomes an alert staff
 * acknowledge; presence follows the device.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DemoWorld, startDemoWorld } from './demo-world.ts';
import { describeEachDialect, until } from './harness.ts';

describeEachDialect('lockers end to end', (dialect) => {
  let w: DemoWorld;
  const L = 'jinquan-0001';

  beforeAll(async () => {
    w = await startDemoWorld(dialect, { lockerId: L });
  });
  afterAll(async () => w?.stop());

  const api = (method: 'GET' | 'POST', url: string, payload?: object) =>
    w.api('admin', method, url, payload);

  it('shows the locker online once its agent connects', async () => {
    await until(
      'presence online',
      async () => (await api('GET', `/lockers/${L}`)).json().presence === 'online',
    );
  });

  it('opens a compartment from the API: the relay fires once, the answer and the door state come back', async () => {
    const r = await api('POST', `/lockers/${L}/compartments/3/open`, { reason: '端到端测试开柜' });
    expect(r.statusCode).toBe(202);
    const id = r.json().commandId;
    const cmd = await until('answer', async () => {
      const c = (await api('GET', `/lockers/${L}/commands/${id}`)).json();
      return c.status === 'answered' && c;
    });
    expect(cmd.responseStatus).toBe('opened');
    expect(w.bus.relayCount(3)).toBe(1);
    await until(
      'door open reported',
      async () => (await api('GET', `/lockers/${L}`)).json().compartments[2].door === 'open',
    );
    w.bus.closeDoor(3);
    await until(
      'door closed reported',
      async () => (await api('GET', `/lockers/${L}`)).json().compartments[2].door === 'closed',
    );
  });

  it('turns a jammed door into an alert that staff can acknowledge', async () => {
    w.bus.jam(5);
    const r = await api('POST', `/lockers/${L}/compartments/5/open`, { reason: '测试卡门告警' });
    const id = r.json().commandId;
    await until(
      'jam answer',
      async () =>
        (await api('GET', `/lockers/${L}/commands/${id}`)).json().responseStatus === 'door_jammed',
    );
    const communityId = (await api('GET', `/lockers/${L}`)).json().communityId;
    const alert = await until('alert', async () =>
      (
        (await api('GET', `/communities/${communityId}/alerts?status=open`)).json() as {
          kind: string;
          compartment: number;
          id: string;
        }[]
      ).find((a) => a.kind === 'door_jammed' && a.compartment === 5),
    );
    const ack = await api('POST', `/alerts/${alert.id}/acknowledge`);
    expect(ack.statusCode).toBe(200);
    expect(ack.json().status).toBe('acknowledged');
    expect((await api('POST', `/alerts/${alert.id}/acknowledge`)).statusCode).toBe(409);
  });

  it('stores device events once, in seq order', async () => {
    const events = (await api('GET', `/lockers/${L}/events?limit=500`)).json() as {
      seq: number;
      type: string;
    }[];
    expect(events.length).toBeGreaterThan(3);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.type)).toContain('open_outcome');
  });
});
