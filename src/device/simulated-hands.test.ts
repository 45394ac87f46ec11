/** The demo's simulated people: a deposit open ends with the parcel inside and the door shut, a pickup open with it gone. */
import { afterEach, describe, expect, it } from 'vitest';
import { newCommandEnvelope } from '../contract/envelope.ts';
import { lockerTopic } from '../contract/topics.ts';
import { cryptoRandom, systemClock } from '../kernel/clock.ts';
import { SimulatorLockBus } from './adapters/simulator-lock-bus.ts';
import type { Link, LinkHandlers } from './ports/link.ts';
import { SimulatedHands } from './simulated-hands.ts';

/** A link that only delivers what the test sends it. */
function fakeLink(): Link & { deliver(topic: string, payload: Buffer): void } {
  let h: LinkHandlers | undefined;
  return {
    start: (handlers) => void (h = handlers),
    connected: () => true,
    publish: async () => {},
    drop: () => {},
    stop: async () => {},
    kill: () => {},
    deliver: (topic, payload) => h?.onMessage(topic, payload),
  };
}

const openCmd = (compartment: number, reason: 'deposit' | 'pickup' | 'staff') =>
  Buffer.from(
    JSON.stringify({
      ...newCommandEnvelope({ lockerId: 'hands-1', clock: systemClock, random: cryptoRandom }),
      type: 'open',
      compartment,
      reason,
    }),
  );

const until = async (what: () => boolean) => {
  for (let i = 0; i < 200 && !what(); i++) await new Promise((r) => setTimeout(r, 5));
  return what();
};

describe('simulated hands', () => {
  let bus: SimulatorLockBus;
  let hands: SimulatedHands;
  afterEach(async () => (hands.close(), await bus.close()));

  it('put the parcel in after a deposit open and take it out after a pickup open, shutting the door each time', async () => {
    bus = new SimulatorLockBus({ compartments: 4, popOpenMs: 5, autoCloseMs: null });
    hands = new SimulatedHands(bus, { actMs: 20 });
    const seen: string[] = [];
    const link = fakeLink();
    hands.watch(link).start({ onMessage: (t) => seen.push(t), onUp: () => {}, onDown: () => {} });

    link.deliver(lockerTopic('hands-1', 'cmd'), openCmd(2, 'deposit'));
    expect(seen).toHaveLength(1); // the agent still gets every message
    await bus.open(2);
    expect(await until(() => bus.door(2) === 'open')).toBe(true);
    expect(await until(() => bus.door(2) === 'closed')).toBe(true);
    expect(bus.occupied(2)).toBe(true);

    link.deliver(lockerTopic('hands-1', 'cmd'), openCmd(2, 'pickup'));
    await bus.open(2);
    expect(await until(() => bus.door(2) === 'open')).toBe(true);
    expect(await until(() => bus.door(2) === 'closed')).toBe(true);
    expect(bus.occupied(2)).toBe(false);
  });

  it('leave a door opened for anything else alone, and ignore what is not a valid command', async () => {
    bus = new SimulatorLockBus({ compartments: 4, popOpenMs: 5, autoCloseMs: null });
    hands = new SimulatedHands(bus, { actMs: 10 });
    const link = fakeLink();
    hands.watch(link).start({ onMessage: () => {}, onUp: () => {}, onDown: () => {} });
    link.deliver(lockerTopic('hands-1', 'cmd'), openCmd(3, 'staff'));
    link.deliver(lockerTopic('hands-1', 'cmd'), Buffer.from('not json'));
    await bus.open(3);
    expect(await until(() => bus.door(3) === 'open')).toBe(true);
    await new Promise((r) => setTimeout(r, 60));
    expect(bus.door(3)).toBe('open');
    expect(bus.occupied(3)).toBe(false);
  });

  it('take the parcel out of a compartment staff opened with one inside, and shut the door', async () => {
    bus = new SimulatorLockBus({ compartments: 4, popOpenMs: 5, autoCloseMs: null });
    hands = new SimulatedHands(bus, { actMs: 10 });
    const link = fakeLink();
    hands.watch(link).start({ onMessage: () => {}, onUp: () => {}, onDown: () => {} });
    bus.setOccupied(4, true);
    link.deliver(lockerTopic('hands-1', 'cmd'), openCmd(4, 'staff'));
    await bus.open(4);
    expect(await until(() => bus.door(4) === 'open')).toBe(true);
    expect(await until(() => bus.door(4) === 'closed')).toBe(true);
    expect(bus.occupied(4)).toBe(false);
  });
});
