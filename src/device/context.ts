/** What every use case receives: the ports, the shared registers, and the settings. */
import type { DeviceSettings } from '../contract/commands.ts';
import type { ContractVersion } from '../contract/common.ts';
import type { KdfParams } from '../contract/pickup-code.ts';
import type { Clock, Random } from '../kernel/clock.ts';
import type { InflightOpens } from './inflight.ts';
import type { DeviceLog } from './log.ts';
import type { Outbox } from './outbox.ts';
import type { LockBus } from './ports/lock-bus.ts';
import type { Link } from './ports/link.ts';
import type { AgentStore } from './ports/store.ts';
import type { Timers } from './timers.ts';
import type { ScreenRequests } from './use-cases/screen-requests.ts';
import type { UvController } from './use-cases/disinfect.ts';

/**
 * How a verifier's hash is derived from a code: `deriveCodeHash` (scrypt) on a real locker,
 * whose board spends that CPU. A benchmark's fleet of thousands of simulated lockers sharing
 * the node's machine may stand in an off-CPU wait of the same duration (bench/kdf-stand-in.ts):
 * its verifiers then open nothing offline.
 */
export type DeriveCodeHash = (code: string, salt: Buffer, kdf: KdfParams) => Promise<Buffer>;

/** The agent's wiring, passed explicitly to use cases (no globals). */
export interface AgentContext {
  readonly lockerId: string;
  readonly store: AgentStore;
  readonly bus: LockBus;
  readonly link: Link;
  readonly clock: Clock;
  readonly random: Random;
  readonly log: DeviceLog;
  readonly timers: Timers;
  readonly outbox: Outbox;
  readonly inflight: InflightOpens;
  readonly uv: UvController;
  readonly screen: ScreenRequests;
  /** The key codes are sealed with for this locker (from its MQTT secret); null when the agent was not given its secret. */
  readonly sealKey: Buffer | null;
  /** The contract this agent speaks (and announces in its heartbeats). */
  readonly contract: ContractVersion;
  /** Derives a code's verifier hash; scrypt unless a benchmark's fleet stands in a timer (DeriveCodeHash). */
  readonly deriveCodeHash?: DeriveCodeHash;
  /** The settings in force now. */
  settings(): DeviceSettings;
  /**
   * Something in the snapshot changed: republish the retained state soon. `toldByFact`: a
   * fact this change recorded already tells the cloud (a door, occupancy, a UV cycle, a
   * pickup); contract v2 sends no snapshot for such changes alone (ADR 0032).
   */
  stateChanged(toldByFact?: boolean): void;
  /** Ask the agent to restart itself after delayMs. */
  requestReboot(delayMs: number): void;
  readonly stats: { rejectedMessages: number; readonly startedAt: number };
}
