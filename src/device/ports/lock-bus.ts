/**
 * The hardware of one cabinet as the agent sees it: lock relays, door sensors,
 * occupancy sensors and UV lamps. Adapters: the simulator, the RS485 lock board.
 */
export type DoorState = 'open' | 'closed' | 'unknown';
/** A latch as the hardware knows it. */
export type LockState = 'locked' | 'unlocked' | 'unknown';

/** Something the hardware noticed on its own. */
export type LockBusEvent =
  | { type: 'door'; compartment: number; open: boolean }
  | { type: 'occupancy'; compartment: number; occupied: boolean }
  | {
      type: 'fault';
      code: 'lock_bus' | 'sensor' | 'uv_lamp';
      message: string;
      compartment?: number;
    };

/** The relay may or may not have fired (no reply from the board); the caller must not retry blindly. */
export class RelayUnconfirmedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RelayUnconfirmedError';
  }
}

/** The port. All methods are per compartment number (1-based). */
export interface LockBus {
  readonly compartments: readonly number[];
  readonly capabilities: { readonly uv: boolean; readonly occupancy: boolean };
  /** Pulse the lock relay. Resolves when the board confirms the pulse; rejects with RelayUnconfirmedError if it cannot tell. */
  open(compartment: number): Promise<void>;
  /** The door sensor's current reading. */
  door(compartment: number): DoorState;
  /** The latch as far as the hardware knows. */
  lock(compartment: number): LockState;
  /** The occupancy sensor; null without one. */
  occupied(compartment: number): boolean | null;
  /** Switch a UV lamp. Rejects when the cabinet has no UV or the lamp fails. */
  setUv(compartment: number, on: boolean): Promise<void>;
  /** Whether the lamp is on. */
  uv(compartment: number): boolean;
  /** Listen to hardware events; returns the unsubscribe function. */
  subscribe(listener: (e: LockBusEvent) => void): () => void;
  /** Release the hardware (close the serial port, stop timers). */
  close(): Promise<void>;
}
