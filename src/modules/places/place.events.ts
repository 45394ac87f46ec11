/**
 * What places tell other modules, as a typed map of event name → payload (immich's
 * EventMap). Modules that keep a copy of place names for their own queries (the lockers
 * directory, ADR 0038) subscribe here instead of reading places' tables. Handlers run in the
 * emitter's transaction: a failing handler rolls the change back, so a copy never drifts.
 */
import type { Executor } from '../../db/database.ts';

/** The kinds of place a name can be changed on. */
export type RenamedPlaceKind = 'community' | 'compound' | 'building' | 'unit' | 'site';

/** Every places event and its payload. */
export interface PlaceEventMap {
  /** A place's name changed (the new name, trimmed). */
  'place.renamed': { kind: RenamedPlaceKind; id: string; name: string };
}

export type PlaceEventName = keyof PlaceEventMap;

/** A subscriber: runs inside the emitter's transaction `trx`. */
export type PlaceEventHandler<K extends PlaceEventName> = (
  trx: Executor,
  payload: PlaceEventMap[K],
) => Promise<void>;

const handlers: { [K in PlaceEventName]: Set<PlaceEventHandler<K>> } = {
  'place.renamed': new Set(),
};

/** Subscribe to a places event; subscribing the same handler twice is a no-op (buildApp runs once per test app). */
export function onPlaceEvent<K extends PlaceEventName>(
  name: K,
  handler: PlaceEventHandler<K>,
): void {
  handlers[name].add(handler);
}

/** Run every subscriber of `name`, in order, inside the caller's transaction. */
export async function emitPlaceEvent<K extends PlaceEventName>(
  trx: Executor,
  name: K,
  payload: PlaceEventMap[K],
): Promise<void> {
  for (const handler of handlers[name]) await handler(trx, payload);
}
