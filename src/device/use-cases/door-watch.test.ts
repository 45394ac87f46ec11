/** What changes while the agent is down is reported at boot, so a parcel put in or taken out meanwhile is not lost. */
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../adapters/memory-store.ts';
import { SimulatorLockBus } from '../adapters/simulator-lock-bus.ts';
import type { AgentContext } from '../context.ts';
import { reconcileHardware } from './door-watch.ts';

function ctxWith(store: MemoryStore, bus: SimulatorLockBus, uvAfterClose = true) {
  const emitted: object[] = [];
  const uvStarted: number[] = [];
  const uv = { running: () => false, startAfterClose: async (c: number) => void uvStarted.push(c) };
  const ctx = {
    store,
    bus,
    uv,
    settings: () => ({ uvAfterClose }),
    outbox: { emit: (...facts: object[]) => emitted.push(...facts) },
  } as unknown as AgentContext;
  return { ctx, emitted, uvStarted };
}

describe('reconcileHardware at boot', () => {
  it('reports nothing on the first boot, then the occupancy and door changes made while the agent was down', () => {
    const store = new MemoryStore();
    const bus = new SimulatorLockBus({ compartments: [1, 2, 3], popOpenMs: 1, autoCloseMs: null });
    const first = ctxWith(store, bus);
    reconcileHardware(first.ctx);
    expect(first.emitted).toEqual([]);
    // While the agent is dead: a parcel goes into 1 (door shut again), door 2 is left open.
    bus.setOccupied(1, true);
    bus.pullDoor(2);
    const second = ctxWith(store, bus);
    reconcileHardware(second.ctx);
    expect(second.emitted).toEqual([
      { type: 'occupancy', compartment: 1, occupied: true },
      { type: 'door_closed', compartment: 1 },
      { type: 'door_opened', compartment: 2, cause: 'uncommanded' },
    ]);
    // Used while the agent was down: the after-use cycle still runs, behind the closed door only.
    expect(second.uvStarted).toEqual([1]);
    // Reported once: the next boot with nothing changed says nothing.
    const third = ctxWith(store, bus);
    reconcileHardware(third.ctx);
    expect(third.emitted).toEqual([]);
  });

  it('starts no cycle for a door closed while the agent was down when the policy is off', () => {
    const store = new MemoryStore();
    const bus = new SimulatorLockBus({ compartments: [1], popOpenMs: 1, autoCloseMs: null });
    reconcileHardware(ctxWith(store, bus, false).ctx);
    bus.setOccupied(1, true);
    const again = ctxWith(store, bus, false);
    reconcileHardware(again.ctx);
    expect(again.emitted).toContainEqual({ type: 'door_closed', compartment: 1 });
    expect(again.uvStarted).toEqual([]);
  });
});
