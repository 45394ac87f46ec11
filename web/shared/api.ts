/**
 * The apps' only way to the server: JSON over /api/v1 with the Bearer token, a fresh
 * Idempotency-Key on every mutation (a double tap is safe), one silent refresh when the
 * access token expired, and errors turned into an ApiError carrying a message a person
 * can act on (Chinese by default, see messages.ts). Headers and errors are built by the core
 * the mini-program shares (api-core.ts).
 */
import { describeError } from './messages.ts';
import {
  API,
  ApiError,
  apiErrorFrom,
  apiHeaders,
  type Method,
  networkError,
  newKey,
  type Session,
} from './api-core.ts';

export { API, ApiError, newKey, type Session };

/** One app's session store (each app keeps its own key, so a courier and a resident can share a phone). */
export class SessionStore {
  private listeners = new Set<() => void>();
  /** Why the last session ended: 'expired' when the server refused it, 'logout' when the user left. */
  endedReason: 'expired' | 'logout' | null = null;
  constructor(private readonly key: string) {}

  get(): Session | null {
    try {
      return JSON.parse(localStorage.getItem(this.key) ?? 'null') as Session | null;
    } catch {
      return null;
    }
  }
  set(s: Session | null, reason: 'expired' | 'logout' = 'logout'): void {
    this.endedReason = s ? null : reason;
    if (s) localStorage.setItem(this.key, JSON.stringify(s));
    else localStorage.removeItem(this.key);
    for (const l of this.listeners) l();
  }
  /** Notified when the user signs in or out (or the session ends). */
  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}

/** An API client bound to one session store. */
export class Api {
  private refreshing: Promise<boolean> | null = null;
  constructor(readonly sessions: SessionStore) {}

  /** Call the API; `body` is sent as JSON. Throws ApiError. */
  async call<T>(
    method: Method,
    path: string,
    body?: unknown,
    opts: { key?: string; signal?: AbortSignal } = {},
  ): Promise<T> {
    const res = await this.send(
      method,
      path,
      body,
      opts.key ?? (method === 'GET' ? undefined : newKey()),
      opts.signal,
    );
    if (res.status === 204) return undefined as T;
    const data = (await res.json().catch(() => null)) as unknown;
    if (!res.ok) throw apiErrorFrom(res.status, data, path, describeError);
    return data as T;
  }

  get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.call<T>('GET', path, undefined, signal ? { signal } : {});
  }
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('POST', path, body ?? {});
  }
  put<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('PUT', path, body ?? {});
  }
  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('PATCH', path, body ?? {});
  }
  del<T>(path: string): Promise<T> {
    return this.call<T>('DELETE', path);
  }

  /** A raw authorised request (the live stream uses it); refreshes once on 401. */
  async send(
    method: Method,
    path: string,
    body: unknown,
    key: string | undefined,
    signal?: AbortSignal,
  ): Promise<Response> {
    const go = () => {
      const s = this.sessions.get();
      const headers = apiHeaders(body, s?.accessToken, key);
      return fetch(`${API}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
      });
    };
    let res: Response;
    try {
      res = await go();
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw networkError(path, describeError);
    }
    if (res.status === 401 && this.sessions.get() && !path.startsWith('/auth/')) {
      if (await this.refresh()) res = await go();
      else this.sessions.set(null, 'expired');
    }
    return res;
  }

  /** Exchange the refresh token; false when the session is over. */
  private refresh(): Promise<boolean> {
    this.refreshing ??= (async () => {
      const s = this.sessions.get();
      if (!s) return false;
      try {
        const r = await fetch(`${API}/auth/refresh`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refreshToken: s.refreshToken }),
        });
        if (!r.ok) return false;
        this.sessions.set((await r.json()) as Session);
        return true;
      } catch {
        return false;
      }
    })().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /** Sign out here and on the server (best effort). */
  async logout(): Promise<void> {
    await this.call('POST', '/auth/logout').catch(() => {});
    this.sessions.set(null);
  }
}
