/**
 * Elder mode (关怀模式): larger text (body ≥ 18 px, tab labels 16 px) and larger touch
 * targets (≥ 48 px), as the 长辈模式 of government and locker apps. Remembered on this
 * phone (localStorage, applied before the first paint) and on the account (/me/settings),
 * so it follows the person to another phone. The look lives in elder.css.
 */
import { useSyncExternalStore } from 'react';
import { type Api, newKey } from '../../shared/api.ts';

const KEY = 'antnest.resident.elder';
const listeners = new Set<() => void>();

function saved(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

/** Turn elder mode on or off on this phone (the class on <html> switches the styles). */
export function applyElder(on: boolean): void {
  try {
    localStorage.setItem(KEY, on ? '1' : '0');
  } catch {
    /* private mode: still applies to this page */
  }
  document.documentElement.classList.toggle('elder', on);
  for (const l of listeners) l();
}

/** Apply what this phone remembers (call before rendering, so there is no flash of small text). */
export function restoreElder(): void {
  document.documentElement.classList.toggle('elder', saved());
}

/** Take the account's setting once signed in (it wins: the person chose it, maybe on another phone). */
export async function syncElderFromAccount(api: Api): Promise<void> {
  const s = await api.get<{ elderMode: boolean }>('/me/settings').catch(() => null);
  if (s && s.elderMode !== saved()) applyElder(s.elderMode);
}

/** Switch elder mode here and on the account. */
export async function setElder(api: Api | null, on: boolean): Promise<void> {
  applyElder(on);
  if (api) await api.put('/me/settings', { elderMode: on });
}

/** Right after sign-in, before the app takes over: keep a choice made on the sign-in screen on the account. */
export async function saveElderForNewSession(token: string): Promise<void> {
  if (!saved()) return;
  await fetch('/api/v1/me/settings', {
    method: 'PUT',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'idempotency-key': newKey(),
    },
    body: JSON.stringify({ elderMode: true }),
  }).catch(() => null);
}

/** Whether elder mode is on; re-renders when it changes. */
export function useElder(): boolean {
  return useSyncExternalStore((l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  }, saved);
}
