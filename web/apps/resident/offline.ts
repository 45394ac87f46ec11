/**
 * Offline (issue 12, installable PWA): the service worker (public/resident/sw.js) keeps
 * the app shell, and this file keeps the last parcel list the server sent, so a resident
 * standing at the locker with no signal still sees their codes. The list is this phone's
 * copy of the signed-in person's own data and is wiped at sign-out.
 */
import type { MyParcel } from '../../shared/types.ts';

const KEY = 'antnest.resident.parcels';

/** Register the service worker (only where the browser allows one: https or localhost). */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  window.addEventListener('load', () => {
    void navigator.serviceWorker
      .register('/app/resident/sw.js', { scope: '/app/resident/' })
      .catch(() => {
        /* no offline copy; the app works online as before */
      });
  });
}

/** Remember the list the server just sent to this user. */
export function keepParcels(userId: string, parcels: MyParcel[], now = new Date()): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({ userId, savedAt: now.toISOString(), parcels }));
  } catch {
    /* storage full or private mode: nothing to show offline, nothing breaks */
  }
}

/** The last list kept for this user, with when it was fetched; null when there is none. */
export function lastParcels(userId: string): { savedAt: string; parcels: MyParcel[] } | null {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? 'null') as {
      userId: string;
      savedAt: string;
      parcels: MyParcel[];
    } | null;
    return v && v.userId === userId && Array.isArray(v.parcels) ? v : null;
  } catch {
    return null;
  }
}

/** Forget the kept list (sign-out: the next person on this phone must not see it). */
export function forgetParcels(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    /* nothing kept */
  }
}
