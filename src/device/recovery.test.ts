/**
 * Crash recovery (ADR 0010): kill -9 at the worst moments, restart on the same store and
 * hardware, and check that the cloud gets exactly one response and the relay never
 * fires twice.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../kernel/clock.ts';
import type { SimulatorLockBus } from './adapters/simulator-lock-bus.ts';
import type { LockerAgentHandle } from './agent.ts';
import { CloudProbe } from './testing/cloud-probe.ts';
import { tempDir, testAgent, testBus } from './testing/fixtures.ts';
import { tapLink } from './testing/link-tap.ts';
import { type TestBroker, startTestBroker } from './testing/test-broker.ts';

let broker: TestBroker;
let probe: CloudProbe;
const clock = new ManualClock();
const tmp = tempDir();
let n = 0;

beforeAll(async () => {
  broker = await startTestBroker();
  probe = await CloudProbe.connect(broker.url, { clock });
});
afterAll(async () => {
  expect(probe.invalid).toEqual([]);
  await probe.close();
  await broker.close();
  tmp.cleanup();
});

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(pred: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await settle(2);
  }
}

function setup(busOpts: Parameters<typeof testBus>[0] = {}) {
  const lockerId = `crash-locker-${++n}`;
  const storePath = path.join(tmp.dir, `${lockerId}.db`);
  const bus = testBus(busOpts);
  const start = async (
    extra: Parameters<typeof testAgent>[0] extends infer T ? Partial<T> : never = {},
  ): Promise<LockerAgentHandle> => {
    // A long door window (60 s → 600 ms of test time) leaves room to crash inside it.
    const a = await testAgent({
      lockerId,
      brokerUrl: broker.url,
      storePath,
      lockBus: bus,
      clock,
      settings: { openDetectSeconds: 60 },
      ...extra,
    });
    await a.whenOnline();
    return a;
  };
  return { lockerId, bus, start };
}

async function restartAndExpectOneResponse(
  lockerId: string,
  commandId: string,
  bus: SimulatorLockBus,
  start: () => Promise<LockerAgentHandle>,
) {
  const b = await start();
  await probe.response(commandId, 3000);
  await settle(200); // room for a wrong second response to show up
  expect(probe.responsesFor(commandId)).toHaveLength(1);
  return b;
}

describe('crash between firing the relay and publishing the response', () => {
  it('answers unknown_outcome exactly once after restart and never fires again', async () => {
    const { lockerId, bus, start } = setup({ popOpenMs: null });
    const a = await start();
    const commandId = await probe.send(lockerId, {
      type: 'open',
      compartment: 2,
      reason: 'pickup',
    });
    await until(() => bus.relayCount(2) === 1, 'relay');
    a.crash();
    await probe.waitFor(
      () => probe.statuses.some((s) => s.lockerId === lockerId && s.reason === 'connection_lost'),
      3000,
      'Last Will',
    );
    expect(probe.responsesFor(commandId)).toHaveLength(0);

    const b = await restartAndExpectOneResponse(lockerId, commandId, bus, start);
    expect(probe.responsesFor(commandId)[0]).toMatchObject({
      status: 'unknown_outcome',
      compartment: 2,
      details: { reason: 'agent_restarted', relayFired: 'yes', doorNow: 'closed' },
    });
    expect(bus.relayCount(2)).toBe(1);
    await probe.waitFor(
      () =>
        probe.factsOf(lockerId).some((f) => f.type === 'booted' && f.reason === 'crash_recovery'),
      2000,
      'booted',
    );
    expect(
      probe.factsOf(lockerId).find((f) => f.type === 'booted' && f.reason === 'crash_recovery'),
    ).toMatchObject({ unknownOutcomes: 1 });

    // The cloud retries the same command: the stored answer comes back, the relay stays still.
    await probe.send(lockerId, { type: 'open', compartment: 2, reason: 'pickup' }, { commandId });
    await probe.waitFor(
      () => probe.responsesFor(commandId).length === 2,
      2000,
      'replayed response',
    );
    expect(probe.responsesFor(commandId)[1]).toEqual(probe.responsesFor(commandId)[0]);
    expect(bus.relayCount(2)).toBe(1);
    await b.stop();
  });

  it('reports relayFired unknown when it died before the board confirmed the pulse', async () => {
    const { lockerId, bus, start } = setup({ popOpenMs: null, relayLatencyMs: 20_000 });
    const a = await start();
    const commandId = await probe.send(lockerId, { type: 'open', compartment: 3, reason: 'staff' });
    // The agent records the command as executing before it asks the board for the pulse; a
    // fixed sleep here crashed it before the command arrived on a loaded CI machine.
    await until(() => bus.pulsesAsked(3) === 1, 'the pulse asked of the board');
    expect(bus.relayCount(3)).toBe(0); // the board is still pulsing
    a.crash();
    const b = await restartAndExpectOneResponse(lockerId, commandId, bus, start);
    expect(probe.responsesFor(commandId)[0]).toMatchObject({
      status: 'unknown_outcome',
      details: { relayFired: 'unknown' },
    });
    await until(() => bus.relayCount(3) === 1, 'the pulse the dead agent started');
    await settle(50);
    expect(bus.relayCount(3)).toBe(1);
    expect(bus.pulsesAsked(3)).toBe(1); // the restarted agent never asked again
    await b.stop();
  });
});

describe('crash after recording the response, before it reached the broker', () => {
  it('publishes the stored response exactly once after restart (v1: the open is answered by a res)', async () => {
    const { lockerId, bus, start } = setup();
    let tap!: ReturnType<typeof tapLink>;
    const a = await start({ contract: 'v1', wrapLink: (l) => (tap = tapLink(l)).link });
    tap.hold.add('res');
    const commandId = await probe.send(lockerId, {
      type: 'open',
      compartment: 4,
      reason: 'pickup',
    });
    await probe.waitFor(
      () => probe.factsOf(lockerId).some((f) => f.type === 'open_outcome'),
      3000,
      'open_outcome',
    );
    a.crash();
    expect(probe.responsesFor(commandId)).toHaveLength(0);
    const b = await restartAndExpectOneResponse(lockerId, commandId, bus, () =>
      start({ contract: 'v1' }),
    );
    expect(probe.responsesFor(commandId)[0]).toMatchObject({ status: 'opened', compartment: 4 });
    expect(bus.relayCount(4)).toBe(1);
    await b.stop();
  });

  it('v2: publishes the open_outcome that answers the open exactly once after restart, and no res', async () => {
    const { lockerId, bus, start } = setup();
    let tap!: ReturnType<typeof tapLink>;
    const a = await start({ wrapLink: (l) => (tap = tapLink(l)).link });
    await settle(100); // the hello heartbeat goes out before facts are held
    tap.hold.add('evt');
    const commandId = await probe.send(lockerId, {
      type: 'open',
      compartment: 5,
      reason: 'pickup',
    });
    await until(() => bus.relayCount(5) === 1, 'relay');
    await settle(200); // the door opens and the outcome is recorded, but never reaches the broker
    a.crash();
    expect(probe.responsesFor(commandId)).toHaveLength(0);
    const b = await restartAndExpectOneResponse(lockerId, commandId, bus, start);
    expect(probe.responsesFor(commandId)[0]).toMatchObject({
      status: 'opened',
      compartment: 5,
      details: { relayFired: 'yes' },
    });
    expect(probe.factsOf(lockerId).filter((f) => f.type === 'open_outcome')).toHaveLength(1);
    expect(bus.relayCount(5)).toBe(1);
    await b.stop();
  });
});

describe('graceful stop and restart', () => {
  it('keeps seq across restarts and reports a clean start', async () => {
    const { lockerId, bus, start } = setup();
    const a = await start();
    bus.pullDoor(1);
    bus.closeDoor(1);
    await probe.waitFor(
      () => probe.factsOf(lockerId).some((f) => f.type === 'door_closed'),
      2000,
      'door_closed',
    );
    await a.stop();
    await probe.waitFor(
      () => probe.statuses.some((s) => s.lockerId === lockerId && s.reason === 'shutdown'),
      2000,
      'offline on shutdown',
    );
    const before = probe.factsOf(lockerId).length;
    const b = await start();
    await probe.waitFor(
      () => probe.factsOf(lockerId).length > before,
      2000,
      'booted after restart',
    );
    const seqs = probe.factsOf(lockerId).map((f) => f.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(probe.factsOf(lockerId).at(-1)).toMatchObject({ type: 'booted', reason: 'start' });
    await b.stop();
  });
});
