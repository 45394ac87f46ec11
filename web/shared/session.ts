/** React binding of a SessionStore: re-renders when the user signs in or out. */
import { useSyncExternalStore } from 'react';
import type { Session, SessionStore } from './api.ts';

/** The current session of this app, or null. */
export function useSession(store: SessionStore): Session | null {
  const raw = useSyncExternalStore(
    (l) => store.subscribe(l),
    () => JSON.stringify(store.get()),
  );
  return JSON.parse(raw) as Session | null;
}
