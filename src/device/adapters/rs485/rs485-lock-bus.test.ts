import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../kernel/clock.ts';
import { startLockerAgent } from '../../agent.ts';
import type { LockBusEvent } from '../../ports/lock-bus.ts';
import { RelayUnconfirmedError } from '../../ports/lock-bus.ts';
import { CloudProbe } from '../../testing/cloud-probe.ts';
import { tempDir } from '../../testing/fixtures.ts';
import { startTestBroker } from '../../testing/test-broker.ts';
import { FakeLockBoard } from './fake-lock-board.ts';
import { Rs485LockBus } from './rs485-lock-bus.ts';

const buses: Rs485LockBus[] = [];
afterEach(async () => {
  await Promise.all(buses.splice(0).map((b) => b.close()));
});

function rig(opts: { responseTimeoutMs?: number } = {}) {
  const board = new FakeLockBoard({ address: 2, channels: 8 });
  const bus = new Rs485LockBus({
    port: board,
    mapping: [1, 2, 3, 4].map((c) => ({ compartment: c, board: 2, channel: c + 4 })),
    pollMs: 10,
    responseTimeoutMs: opts.responseTimeoutMs ?? 80,
    quietMs: 5,
  });
  buses.push(bus);
  const events: LockBusEvent[] = [];
  bus.subscribe((e) => events.push(e));
  return { board, bus, events };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(pred: () => boolean, what: string, ms = 2000) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await settle(2);
  }
}

describe('RS485 lock bus against a byte-level fake board', () => {
  it('reads the doors, pulses the right channel once, and reports the door opening', async () => {
    const { board, bus, events } = rig();
    await until(() => bus.door(1) === 'closed', 'first poll');
    expect(events).toEqual([]); // the first reading is a baseline
    await bus.open(3);
    expect(board.unlockCount(7)).toBe(1);
    expect(bus.door(3)).toBe('open');
    expect(bus.lock(3)).toBe('unlocked');
    expect(events).toEqual([{ type: 'door', compartment: 3, open: true }]);
    board.shut(7);
    await until(() => bus.door(3) === 'closed', 'closing seen by polling');
    expect(events.at(-1)).toEqual({ type: 'door', compartment: 3, open: false });
  });

  it('sees a door pulled open without a command', async () => {
    const { board, bus, events } = rig();
    await until(() => bus.door(2) === 'closed', 'first poll');
    board.pull(6);
    await until(() => events.length > 0, 'door event');
    expect(events[0]).toEqual({ type: 'door', compartment: 2, open: true });
    expect(board.unlockCount(6)).toBe(0);
  });

  it('keeps a jammed door closed', async () => {
    const { board, bus } = rig();
    await until(() => bus.door(1) === 'closed', 'first poll');
    board.jam(5);
    await bus.open(1);
    expect(board.unlockCount(5)).toBe(1);
    expect(bus.door(1)).toBe('closed');
  });

  it('never repeats an unlock whose reply was corrupted: the pulse is unconfirmed', async () => {
    const { board, bus } = rig();
    await until(() => bus.door(1) === 'closed', 'first poll');
    const before = board.log.length;
    board.corruptReplies(1000); // every reply, polls included, fails its BCC
    const err = await bus.open(4).then(
      () => undefined,
      (e: unknown) => e,
    );
    board.corruptReplies(0);
    expect(err).toBeInstanceOf(RelayUnconfirmedError);
    expect(board.log.slice(before).filter((l) => l === 'unlock:8')).toHaveLength(1);
    expect(board.unlockCount(8)).toBe(1);
    await until(() => bus.door(4) === 'open', 'polling recovers and sees the door');
  });

  it('reports a silent board once and marks its doors unknown', async () => {
    const { board, bus, events } = rig({ responseTimeoutMs: 30 });
    await until(() => bus.door(1) === 'closed', 'first poll');
    board.mute();
    await until(() => events.some((e) => e.type === 'fault'), 'fault');
    await settle(100);
    expect(events.filter((e) => e.type === 'fault')).toHaveLength(1);
    expect(bus.door(1)).toBe('unknown');
    await expect(bus.open(1)).rejects.toBeInstanceOf(RelayUnconfirmedError);
    board.mute(false);
    await until(() => bus.door(1) !== 'unknown', 'back');
    await expect(bus.setUv()).rejects.toThrow(/no UV/);
  });

  it('drives a full agent: the cloud opens a compartment through the board', async () => {
    const broker = await startTestBroker();
    const clock = new ManualClock();
    const probe = await CloudProbe.connect(broker.url, { clock });
    const tmp = tempDir();
    const { board, bus } = rig();
    const agent = await startLockerAgent({
      lockerId: 'rs485-locker',
      brokerUrl: broker.url,
      username: 'rs485-locker',
      password: 'x',
      storePath: path.join(tmp.dir, 'a.db'),
      lockBus: bus,
      clock,
      timeScale: 0.01,
    });
    try {
      await agent.whenOnline();
      await until(() => bus.door(2) === 'closed', 'first poll');
      const res = await probe.response(
        await probe.send('rs485-locker', { type: 'open', compartment: 2, reason: 'pickup' }),
      );
      expect(res).toMatchObject({ status: 'opened', details: { relayFired: 'yes' } });
      expect(board.unlockCount(6)).toBe(1);
      const uv = await probe.response(
        await probe.send('rs485-locker', { type: 'disinfect', compartment: 1 }),
      );
      expect(uv).toMatchObject({ status: 'rejected', details: { reason: 'uv_unsupported' } });
      expect(probe.invalid).toEqual([]);
    } finally {
      await agent.stop();
      await probe.close();
      await broker.close();
      tmp.cleanup();
    }
  });
});
