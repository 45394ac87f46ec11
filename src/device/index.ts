/** The device side's public surface: the agent, the fleet, the CLI entry points, the adapters. */
export {
  AGENT_VERSION,
  type LockerAgentHandle,
  type LockerAgentOptions,
  startLockerAgent,
} from './agent.ts';
export {
  type FaultEvent,
  type FleetFaults,
  type FleetHandle,
  type FleetLocker,
  type FleetOptions,
  faultPlan,
  startFleet,
} from './fleet.ts';
export { parseFaults, runFleetCommand, runLockerCommand } from './cli.ts';
export { SimulatorLockBus, type SimulatorOptions } from './adapters/simulator-lock-bus.ts';
export { MemoryStore } from './adapters/memory-store.ts';
export { SqliteStore } from './adapters/sqlite-store.ts';
export {
  type ChannelMapping,
  Rs485LockBus,
  type Rs485Options,
} from './adapters/rs485/rs485-lock-bus.ts';
export { openTtyPort } from './adapters/rs485/tty-port.ts';
/** The ports, for other adapters. */
export type { LockBus, LockBusEvent } from './ports/lock-bus.ts';
export type { AgentStore } from './ports/store.ts';
export type { Link } from './ports/link.ts';
export { DEFAULT_SETTINGS } from './settings.ts';
export { seededRandom } from './prng.ts';
