/**
 * A simulated cabinet for development, tests and the fleet. Doors spring ajar after the
 * relay fires (unless jammed), close again after a while, can be pulled open without
 * a command, and compartments can be filled or emptied through the test API.
 */
import {
  type DoorState,
  type LockBus,
  type LockBusEvent,
  type LockState,
  RelayUnconfirmedError,
} from '../ports/lock-bus.ts';

/** Options of the simulated cabinet. Durations are simulated milliseconds, multiplied by timeScale. */
export interface SimulatorOptions {
  /** Compartment numbers, or a count (1..n). */
  compartments: readonly number[] | number;
  uv?: boolean;
  occupancy?: boolean;
  /** Door springs open this long after the relay fires; null: only pullDoor opens it. Default 300. */
  popOpenMs?: number | null;
  /** An open door closes after this long; null: stays open until closeDoor. Default 4000. */
  autoCloseMs?: number | null;
  /** Probability that a given open jams (door stays shut). Needs `chance`. */
  jamProbability?: number;
  /** Source of uniform numbers in [0, 1) for jamProbability (seeded in the fleet). */
  chance?: () => number;
  /** Relay confirmation delay. Default 5. */
  relayLatencyMs?: number;
  timeScale?: number;
}

interface Slot {
  door: 'open' | 'closed';
  latched: boolean;
  occupied: boolean;
  uv: boolean;
  jammed: boolean;
  relayCount: number;
  /** Pulses asked of the board, counted when asked (relayCount counts them once fired). */
  pulsesAsked: number;
  relayFault: boolean;
  timers: Set<NodeJS.Timeout>;
}

/** LockBus adapter that simulates the hardware in memory. */
export class SimulatorLockBus implements LockBus {
  readonly compartments: readonly number[];
  readonly capabilities: { uv: boolean; occupancy: boolean };
  private readonly slots = new Map<number, Slot>();
  private readonly listeners = new Set<(e: LockBusEvent) => void>();
  private readonly opts: Required<
    Omit<SimulatorOptions, 'chance' | 'compartments' | 'uv' | 'occupancy'>
  > & { chance: (() => number) | undefined };
  private closed = false;

  constructor(options: SimulatorOptions) {
    const c = options.compartments;
    this.compartments = typeof c === 'number' ? Array.from({ length: c }, (_, i) => i + 1) : [...c];
    this.capabilities = { uv: options.uv ?? true, occupancy: options.occupancy ?? true };
    this.opts = {
      popOpenMs: options.popOpenMs === undefined ? 300 : options.popOpenMs,
      autoCloseMs: options.autoCloseMs === undefined ? 4000 : options.autoCloseMs,
      jamProbability: options.jamProbability ?? 0,
      chance: options.chance,
      relayLatencyMs: options.relayLatencyMs ?? 5,
      timeScale: options.timeScale ?? 1,
    };
    for (const n of this.compartments) {
      this.slots.set(n, {
        door: 'closed',
        latched: true,
        occupied: false,
        uv: false,
        jammed: false,
        relayCount: 0,
        pulsesAsked: 0,
        relayFault: false,
        timers: new Set(),
      });
    }
  }

  async open(compartment: number): Promise<void> {
    const s = this.slot(compartment);
    s.pulsesAsked++;
    await this.sleep(s, this.opts.relayLatencyMs);
    if (this.closed) throw new RelayUnconfirmedError('lock bus closed');
    s.relayCount++;
    s.latched = false;
    const jamNow =
      s.jammed || (this.opts.chance !== undefined && this.opts.chance() < this.opts.jamProbability);
    if (!jamNow && this.opts.popOpenMs !== null)
      this.later(s, this.opts.popOpenMs, () => this.setDoor(compartment, 'open'));
    // A latch that was released but never pulled catches again after a while.
    this.later(s, 10_000, () => {
      if (s.door === 'closed') s.latched = true;
    });
    if (s.relayFault)
      throw new RelayUnconfirmedError(
        `no confirmation from the board for compartment ${compartment}`,
      );
  }

  door(compartment: number): DoorState {
    return this.slot(compartment).door;
  }
  lock(compartment: number): LockState {
    return this.slot(compartment).latched ? 'locked' : 'unlocked';
  }
  occupied(compartment: number): boolean | null {
    return this.capabilities.occupancy ? this.slot(compartment).occupied : null;
  }
  async setUv(compartment: number, on: boolean): Promise<void> {
    if (!this.capabilities.uv) throw new Error('this cabinet has no UV lamps');
    this.slot(compartment).uv = on;
  }
  uv(compartment: number): boolean {
    return this.slot(compartment).uv;
  }
  subscribe(listener: (e: LockBusEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async close(): Promise<void> {
    this.closed = true;
    for (const s of this.slots.values()) for (const t of s.timers) clearTimeout(t);
  }

  // ---- test and simulation API ----

  /** Jam (or free) a compartment: the relay fires but the door stays shut. */
  jam(compartment: number, jammed = true): void {
    this.slot(compartment).jammed = jammed;
  }
  /** Make the board stop confirming relay pulses for this compartment (they still fire). */
  failRelay(compartment: number, fail = true): void {
    this.slot(compartment).relayFault = fail;
  }
  /** Someone pulls the door open without a command (forced or faulty latch). */
  pullDoor(compartment: number): void {
    this.slot(compartment).latched = false;
    this.setDoor(compartment, 'open');
  }
  /** Someone shuts the door. */
  closeDoor(compartment: number): void {
    this.setDoor(compartment, 'closed');
  }
  /** Put something in or take it out (the occupancy sensor's view). */
  setOccupied(compartment: number, occupied: boolean): void {
    const s = this.slot(compartment);
    if (s.occupied === occupied) return;
    s.occupied = occupied;
    if (this.capabilities.occupancy) this.emit({ type: 'occupancy', compartment, occupied });
  }
  /** How many times this compartment's relay has fired. */
  relayCount(compartment: number): number {
    return this.slot(compartment).relayCount;
  }
  /** How many pulses the agent has asked of this compartment's relay, fired yet or not. */
  pulsesAsked(compartment: number): number {
    return this.slot(compartment).pulsesAsked;
  }
  /** Total relay pulses across the cabinet. */
  totalRelayCount(): number {
    let n = 0;
    for (const s of this.slots.values()) n += s.relayCount;
    return n;
  }

  private setDoor(compartment: number, door: 'open' | 'closed'): void {
    const s = this.slot(compartment);
    if (s.door === door || this.closed) return;
    s.door = door;
    if (door === 'closed') s.latched = true;
    this.emit({ type: 'door', compartment, open: door === 'open' });
    if (door === 'open' && this.opts.autoCloseMs !== null)
      this.later(s, this.opts.autoCloseMs, () => this.setDoor(compartment, 'closed'));
  }

  private emit(e: LockBusEvent): void {
    for (const l of [...this.listeners]) l(e);
  }

  private slot(compartment: number): Slot {
    const s = this.slots.get(compartment);
    if (!s) throw new RangeError(`No compartment ${compartment} in this cabinet.`);
    return s;
  }

  private later(s: Slot, ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      s.timers.delete(t);
      fn();
    }, ms * this.opts.timeScale);
    t.unref?.();
    s.timers.add(t);
  }

  private sleep(s: Slot, ms: number): Promise<void> {
    return new Promise((resolve) => this.later(s, ms, resolve));
  }
}
