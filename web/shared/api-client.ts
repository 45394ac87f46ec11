/**
 * An API client over any transport, on the shared core (api-core.ts): the mini-program's
 * client (wx.request). The web apps keep their own Api in api.ts (fetch and Response, for the
 * live stream) built from the same core functions; this file is kept apart so the web bundle
 * does not carry a second client.
 */
import {
  API,
  apiErrorFrom,
  apiHeaders,
  type Describe,
  type Method,
  networkError,
  newKey,
  type Session,
} from './api-core.ts';

/** One HTTP exchange as the core sees it: the platform sends it (fetch, wx.request). */
export interface HttpRequest {
  method: Method;
  /** Path under the server root, e.g. /api/v1/me/parcels. */
  url: string;
  headers: Record<string, string>;
  /** JSON text, raw bytes (a photo), or nothing. */
  body?: string | ArrayBuffer;
}
/** The answer: status and parsed JSON (null when the body was not JSON). */
export interface HttpResponse {
  status: number;
  data: unknown;
}
/** Sends a request; rejects only when the server could not be reached. */
export type Transport = (req: HttpRequest) => Promise<HttpResponse>;

/** Where a client keeps its session. */
export interface SessionKeeper {
  get(): Session | null;
  set(s: Session | null, reason?: 'expired' | 'logout'): void;
}

/** An API client over any transport. */
export class ApiClient {
  private refreshing: Promise<boolean> | null = null;
  constructor(
    private readonly transport: Transport,
    readonly sessions: SessionKeeper,
    private readonly describe: Describe,
  ) {}

  /** Call the API; `body` is sent as JSON (or raw when an ArrayBuffer). Throws ApiError. */
  async call<T>(
    method: Method,
    path: string,
    body?: unknown,
    opts: { key?: string; contentType?: string } = {},
  ): Promise<T> {
    const key = opts.key ?? (method === 'GET' ? undefined : newKey());
    const go = async () => {
      const raw = body instanceof ArrayBuffer;
      const headers = apiHeaders(body, this.sessions.get()?.accessToken, key);
      if (raw) headers['content-type'] = opts.contentType ?? 'application/octet-stream';
      const req: HttpRequest = { method, url: `${API}${path}`, headers };
      if (body !== undefined) req.body = raw ? body : JSON.stringify(body);
      try {
        return await this.transport(req);
      } catch {
        throw networkError(path, this.describe);
      }
    };
    let res = await go();
    if (res.status === 401 && this.sessions.get() && !path.startsWith('/auth/')) {
      if (await this.refresh()) res = await go();
      else this.sessions.set(null, 'expired');
    }
    if (res.status >= 400) throw apiErrorFrom(res.status, res.data, path, this.describe);
    return (res.status === 204 ? undefined : res.data) as T;
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('POST', path, body ?? {});
  }
  put<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('PUT', path, body ?? {});
  }
  del<T>(path: string): Promise<T> {
    return this.call<T>('DELETE', path);
  }

  /** Exchange the refresh token once for all callers waiting; false when the session is over. */
  private refresh(): Promise<boolean> {
    this.refreshing ??= (async () => {
      const s = this.sessions.get();
      if (!s?.refreshToken) return false;
      try {
        const r = await this.transport({
          method: 'POST',
          url: `${API}/auth/refresh`,
          headers: apiHeaders({}, undefined, undefined),
          body: JSON.stringify({ refreshToken: s.refreshToken }),
        });
        if (r.status !== 200) return false;
        this.sessions.set(r.data as Session);
        return true;
      } catch {
        return false;
      }
    })().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /** Sign out here and on the server (best effort). */
  async logout(): Promise<void> {
    await this.call('POST', '/auth/logout', {}).catch(() => {});
    this.sessions.set(null);
  }
}
