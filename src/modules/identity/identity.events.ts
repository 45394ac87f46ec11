/**
 * What identity tells other modules, as a typed map of event name → payload (immich's
 * EventMap). Identity must not call into parcels (parcels already depends on identity), so a
 * module that cares subscribes here instead. Handlers run in the emitter's transaction: a
 * failing handler rolls the emitting change back, exactly like the direct call it replaces.
 */
import type { Executor } from '../../db/database.ts';

/** Every identity event and its payload. */
export interface IdentityEventMap {
  /** A resident account was created by their first SMS sign-in. */
  'user.registered': { userId: string; phoneHash: string };
}

export type IdentityEventName = keyof IdentityEventMap;

/** A subscriber: runs inside the emitter's transaction `trx`. */
export type IdentityEventHandler<K extends IdentityEventName> = (
  trx: Executor,
  payload: IdentityEventMap[K],
) => Promise<void>;

const handlers: { [K in IdentityEventName]: Set<IdentityEventHandler<K>> } = {
  'user.registered': new Set(),
};

/** Subscribe to an identity event; subscribing the same handler twice is a no-op (buildApp runs once per test app). */
export function onIdentityEvent<K extends IdentityEventName>(
  name: K,
  handler: IdentityEventHandler<K>,
): void {
  handlers[name].add(handler);
}

/** Run every subscriber of `name`, in order, inside the caller's transaction. */
export async function emitIdentityEvent<K extends IdentityEventName>(
  trx: Executor,
  name: K,
  payload: IdentityEventMap[K],
): Promise<void> {
  for (const handler of handlers[name]) await handler(trx, payload);
}
