/**
 * Signing in inside WeChat: wx.login's code goes to the server, which asks WeChat who this is
 * (code2session; the app secret never leaves the server). A known WeChat user is signed in at
 * once; a new one proves a phone number first — WeChat's own phone button (getPhoneNumber
 * code) or the SMS code the web app uses — and that phone's account is bound to the WeChat user.
 */
import type { Session } from '../../../web/shared/api-core.ts';
import type { WechatSession, WechatSignIn } from '../../../src/web-types.ts';
import { api, sessions } from './api.ts';

/** A signed-in answer of POST /auth/wechat/session and /auth/wechat/bind (the server's schema). */
type WechatSignedIn = WechatSignIn;
/** What POST /auth/wechat/session answers. */
type WechatSessionAnswer = WechatSession;

/** A pending bind: the phone check that links this WeChat user to an account. */
export interface PendingBind {
  bindToken: string;
  expiresAt: string;
}

/** wx.login's one-time code. */
export function wxLoginCode(): Promise<string> {
  return new Promise((resolve, reject) =>
    wx.login({
      success: (r) => (r.code ? resolve(r.code) : reject(new Error(r.errMsg))),
      fail: (e) => reject(new Error(e.errMsg)),
    }),
  );
}

/** Keep the session of a signed-in answer. */
function keep(r: WechatSignedIn): void {
  sessions.set({
    userId: r.user.id,
    accessToken: r.token,
    refreshToken: r.refreshToken,
    accessTokenExpiresAt: r.tokenExpiresAt,
  });
}

/** Sign in with WeChat: true when signed in, else the pending bind that needs a phone check. */
export async function signInWithWechat(): Promise<true | PendingBind> {
  const code = await wxLoginCode();
  const r = await api.post<WechatSessionAnswer>('/auth/wechat/session', { code });
  if (r.status === 'signed_in') {
    keep(r);
    return true;
  }
  return { bindToken: r.bindToken, expiresAt: r.expiresAt };
}

/** Finish a bind with WeChat's phone button code, or with a phone and its SMS code. */
export async function bindPhone(
  bindToken: string,
  proof: { phoneCode: string } | { phone: string; otp: string },
): Promise<void> {
  keep(await api.post<WechatSignedIn>('/auth/wechat/bind', { bindToken, ...proof }));
}

/** Ask for an SMS code; resolves to the seconds before another may be sent. */
export async function sendSmsCode(phone: string): Promise<number> {
  return (await api.post<{ resendAfterSeconds: number }>('/auth/otp', { phone }))
    .resendAfterSeconds;
}

/** Sign in by phone and SMS code alone (no WeChat binding). */
export async function signInBySms(phone: string, code: string): Promise<void> {
  sessions.set(await api.post<Session>('/auth/otp/verify', { phone, code }));
}
