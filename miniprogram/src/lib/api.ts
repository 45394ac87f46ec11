/**
 * The resident API over wx.request, on the core the web apps use (web/shared/api-core.ts, api-client.ts):
 * same headers, idempotency keys, refresh and error texts. The session lives in wx storage.
 */
import type { Session } from '../../../web/shared/api-core.ts';
import {
  ApiClient,
  type HttpRequest,
  type HttpResponse,
  type SessionKeeper,
} from '../../../web/shared/api-client.ts';
import { errorText } from '../../../web/shared/error-text.ts';
import { API_BASE } from './config.ts';
import { lang, t } from './i18n.ts';

const SESSION_KEY = 'antnest.resident.session';

/**
 * The session in wx storage (survives a restart of the mini-program). When the server no
 * longer takes it (the refresh token expired or was revoked) the resident is sent back to
 * sign-in, as the web app does.
 */
export const sessions: SessionKeeper = {
  get(): Session | null {
    const s = wx.getStorageSync(SESSION_KEY) as Session | '' | undefined;
    return s && typeof s === 'object' && s.accessToken ? s : null;
  },
  set(s: Session | null, reason?: 'expired' | 'logout'): void {
    if (s) wx.setStorageSync(SESSION_KEY, s);
    else wx.removeStorageSync(SESSION_KEY);
    if (!s && reason === 'expired') void wx.reLaunch({ url: '/pages/login/index?expired=1' });
  },
};

/** One request through wx.request; rejects only when the server was not reached. */
export function wxTransport(req: HttpRequest): Promise<HttpResponse> {
  const method = req.method;
  // wx.request has no PATCH; the resident API does not use it.
  if (method === 'PATCH') return Promise.reject(new Error('PATCH is not supported by wx.request'));
  return new Promise((resolve, reject) => {
    wx.request({
      url: `${API_BASE}${req.url}`,
      method,
      header: req.headers,
      ...(req.body !== undefined ? { data: req.body } : {}),
      dataType: '其他',
      responseType: 'text',
      success: (res) => {
        let data: unknown = null;
        try {
          data = typeof res.data === 'string' && res.data ? JSON.parse(res.data) : null;
        } catch {
          data = null;
        }
        resolve({ status: res.statusCode, data });
      },
      fail: (e) => reject(new Error(e.errMsg)),
    });
  });
}

/** The mini-program's API client. */
export const api = new ApiClient(wxTransport, sessions, (code, status, message, path) =>
  errorText(t, lang(), code, status, message, path),
);
