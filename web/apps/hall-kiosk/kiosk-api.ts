/**
 * The hall kiosk's API client. The kiosk session's token lives in memory only (never in
 * localStorage): a reload, the idle timer or the server's own timer ends it (ADR 0023).
 */
import type {
  ContactsView,
  HallCard,
  KioskBoard,
  KioskSession,
  SocialSecurityView,
} from '../../../src/web-types.ts';
import type { PublicFund } from '../../shared/ledger.ts';
import type { ActivityView, SignupResult } from '../../shared/notices.ts';

export type { ContactsView, HallCard, KioskBoard, KioskSession, SocialSecurityView };

let token: string | null = null;

/** The kiosk session's access token while a resident is signed in (memory only). */
export const kioskToken = (): string | null => token;

/** One API call with the kiosk session's token (if any). */
export async function call<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers['authorization'] = `Bearer ${token}`;
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  if (!res.ok) {
    if (res.status === 401 && token) token = null;
    throw Object.assign(new Error(data?.error?.message ?? `HTTP ${res.status}`), {
      status: res.status,
    });
  }
  return data as T;
}

export const kiosk = {
  halls: () => call<HallCard[]>('GET', '/kiosk/halls'),
  board: (hallId: string) => call<KioskBoard>('GET', `/kiosk/halls/${hallId}`),
  fund: (communityId: string) => call<PublicFund>('GET', `/public/communities/${communityId}/fund`),
  sendCode: (phone: string) => call<unknown>('POST', '/auth/otp', { phone }),
  async signIn(hallId: string, phone: string, code: string): Promise<KioskSession> {
    const s = await call<KioskSession>('POST', '/kiosk/sessions', { hallId, phone, code });
    token = s.accessToken;
    return s;
  },
  async signOut(): Promise<void> {
    if (!token) return;
    await call('DELETE', '/kiosk/sessions/current').catch(() => undefined);
    token = null;
  },
  socialSecurity: () => call<SocialSecurityView>('GET', '/me/social-security'),
  contacts: () => call<ContactsView>('GET', '/me/contacts'),
  activities: () => call<ActivityView[]>('GET', '/me/activities'),
  signUp: (id: string) => call<SignupResult>('POST', `/me/activities/${id}/signup`),
  cancel: (id: string) => call<{ promoted: boolean }>('DELETE', `/me/activities/${id}/signup`),
};
