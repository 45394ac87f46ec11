/** The device settings: defaults, and the effective values (defaults < start options < cloud config). */
import type { DeviceSettings } from '../contract/commands.ts';
import type { AgentStore } from './ports/store.ts';

/** Defaults before the cloud has said anything. */
export const DEFAULT_SETTINGS: DeviceSettings = Object.freeze({
  heartbeatSeconds: 60,
  uvDefaultSeconds: 300,
  offlinePickup: true,
  openDetectSeconds: 10,
  wrongCodeLimit: 8,
  lockoutSeconds: 60,
  // Disinfection after every use is the product's promise; the device keeps it even before (or without) the cloud.
  uvAfterClose: true,
});

const KEY = 'settings';

/** The settings in force: defaults, then the agent's start options, then what the cloud configured. */
export function effectiveSettings(
  store: AgentStore,
  startOptions: Partial<DeviceSettings> = {},
): DeviceSettings {
  return {
    ...DEFAULT_SETTINGS,
    ...startOptions,
    ...(store.getMeta<Partial<DeviceSettings>>(KEY) ?? {}),
  };
}

/** Persist settings changed by a config command (merged with earlier changes). */
export function saveConfiguredSettings(store: AgentStore, patch: Partial<DeviceSettings>): void {
  store.setMeta(KEY, { ...(store.getMeta<Partial<DeviceSettings>>(KEY) ?? {}), ...patch });
}
