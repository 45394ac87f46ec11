/** A simulated cabinet whose UV lamps can fail, for tests of failed cycles (the simulator's lamps never do). */
import { SimulatorLockBus } from '../adapters/simulator-lock-bus.ts';
import type { LockBusEvent } from '../ports/lock-bus.ts';

/** SimulatorLockBus plus broken lamps: one that will not switch on, or one that dies while running. */
export class LampFaultBus extends SimulatorLockBus {
  private readonly broken = new Set<number>();
  private readonly watchers = new Set<(e: LockBusEvent) => void>();

  override subscribe(listener: (e: LockBusEvent) => void): () => void {
    this.watchers.add(listener);
    const off = super.subscribe(listener);
    return () => {
      this.watchers.delete(listener);
      off();
    };
  }

  override async setUv(compartment: number, on: boolean): Promise<void> {
    if (on && this.broken.has(compartment))
      throw new Error(`UV lamp of compartment ${compartment}: open circuit`);
    return super.setUv(compartment, on);
  }

  /** From now on this lamp will not switch on. */
  breakLamp(compartment: number): void {
    this.broken.add(compartment);
  }

  /** A running lamp dies: the board reports the fault, as an RS485 board's lamp-current check would. */
  lampDies(compartment: number): void {
    this.broken.add(compartment);
    for (const l of [...this.watchers])
      l({
        type: 'fault',
        code: 'uv_lamp',
        message: `UV lamp of compartment ${compartment} went dark`,
        compartment,
      });
  }

  /** The lamp was replaced. */
  repairLamp(compartment: number): void {
    this.broken.delete(compartment);
  }
}
