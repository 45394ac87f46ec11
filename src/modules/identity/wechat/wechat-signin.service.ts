/**
 * WeChat sign-in (ADR 0033). A wx.login code is exchanged on the server (code2session) for
 * the openid; each code works once. A bound openid signs in at once; an unbound one gets a
 * short-lived bind token, and only a phone check (getPhoneNumber through the gateway, or an
 * SMS code) turns it into a binding, so knowing an openid never opens someone's account.
 */
import { sha256 } from '../../../platform/auth/tokens.ts';
import { iso } from '../../../platform/clock.ts';
import { maskPhone, normalizePhone, type Phone } from '../../../platform/crypto/phone.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { AppError, conflict } from '../../../platform/errors.ts';
import { limit } from '../../../platform/limits.ts';
import { hitLimits } from '../../../platform/rate-limit.ts';
import { wechatGateway, type WechatGateway } from '../../../platform/wechat/wechat.port.ts';
import type { Executor } from '../../../db/database.ts';
import { checkOtp, openSession, residentForPhone, type Session } from '../auth.service.ts';
import { findUserById, type UserRow } from '../user.repository.ts';
import * as repo from './wechat.repository.ts';
import { accountDisabled } from '../user.policy.ts';

/** A bind token lives this long: enough to tap "use my WeChat phone" or type an SMS code. */
export const BIND_TOKEN_TTL_MS = 10 * 60_000;
/** WeChat's login codes live 5 minutes; we remember used ones a day. */
const USED_CODE_MEMORY_MS = 24 * 3600_000;

export interface SignedIn extends Session {
  status: 'signed_in';
  user: { id: string; displayName: string; phone: string | null };
}
export type WechatSessionResult =
  SignedIn | { status: 'needs_phone'; bindToken: string; expiresAt: string };

function gatewayOf(deps: AppDeps): WechatGateway {
  const g = wechatGateway(deps.config);
  if (!g)
    throw new AppError(
      'unavailable',
      '本服务器未开通微信登录，请用短信验证码登录。 WeChat sign-in is not configured on this server; sign in with an SMS code.',
    );
  return g;
}

const replayed = () =>
  new AppError(
    'unauthenticated',
    '该微信登录凭证已使用过，请重新登录。 This WeChat login code was already used; call wx.login again for a fresh one.',
  );

function signedIn(deps: AppDeps, session: Session, user: UserRow): SignedIn {
  const phone = user.phone_cipher ? (deps.vault.decrypt(user.phone_cipher) as Phone) : null;
  return {
    ...session,
    status: 'signed_in',
    user: { id: user.id, displayName: user.display_name, phone: phone && maskPhone(phone) },
  };
}

/** Exchange a wx.login code: signed in when the openid is bound, otherwise a bind token for the phone check. */
export async function wechatSession(
  deps: AppDeps,
  input: { code: string; ip: string },
): Promise<WechatSessionResult> {
  await hitLimits(deps.db, deps.clock, [limit('loginPerAddress', `wechat:${input.ip}`)]);
  const who = await gatewayOf(deps).code2session(input.code);
  const now = deps.clock.now();
  await repo.pruneLoginCodes(deps.db, iso(now - USED_CODE_MEMORY_MS));
  return deps.db.transaction().execute(async (trx) => {
    if (!(await repo.claimLoginCode(trx, sha256(input.code), iso(now)))) throw replayed();
    const bound = await repo.accountByOpenid(trx, who.openid);
    const user = bound && (await findUserById(trx, bound.user_id));
    if (user) {
      if (user.status !== 'active') throw accountDisabled();
      return signedIn(deps, await openSession(deps, trx, user.id), user);
    }
    const bindToken = deps.random.bytes(32).toString('base64url');
    const expiresAt = iso(now + BIND_TOKEN_TTL_MS);
    await repo.insertBindToken(trx, {
      token_hash: sha256(bindToken),
      openid: who.openid,
      unionid: who.unionid,
      expires_at: expiresAt,
      consumed_at: null,
      created_at: iso(now),
    });
    return { status: 'needs_phone', bindToken, expiresAt };
  });
}

export type BindInput =
  { bindToken: string; phoneCode: string } | { bindToken: string; phone: string; otp: string };

const badBindToken = () =>
  new AppError(
    'unauthenticated',
    '绑定凭证无效或已过期，请重新用微信登录。 The bind token is unknown, used or expired; sign in with WeChat again.',
  );

/** Bind the bind token's openid to the account of the phone the resident proves, and sign in. */
export async function wechatBind(deps: AppDeps, input: BindInput): Promise<SignedIn> {
  const bind = async (trx: Executor, phone: Phone) => {
    const token = await repo.consumeBindToken(trx, sha256(input.bindToken), iso(deps.clock.now()));
    if (!token) throw badBindToken();
    const { user } = await residentForPhone(deps, trx, phone);
    const mine = await repo.accountOfUser(trx, user.id);
    if (mine && mine.openid !== token.openid)
      throw conflict(
        '该手机号的账户已绑定另一个微信，请先在原微信中解绑或用短信验证码登录。 This account is already linked to another WeChat user; sign in with an SMS code, or unlink that WeChat first.',
      );
    const theirs = await repo.accountByOpenid(trx, token.openid);
    if (theirs && theirs.user_id !== user.id)
      throw conflict(
        '该微信已绑定另一个账户。 This WeChat user is already linked to another account; sign in with WeChat to use it.',
      );
    if (!mine) {
      const ok = await repo.insertAccount(trx, {
        openid: token.openid,
        unionid: token.unionid,
        user_id: user.id,
        created_at: iso(deps.clock.now()),
      });
      if (!ok)
        throw conflict('This WeChat user or account was linked a moment ago; sign in again.');
    }
    return signedIn(deps, await openSession(deps, trx, user.id), user);
  };
  if ('phoneCode' in input) {
    const phone = normalizePhone(await gatewayOf(deps).phoneNumber(input.phoneCode));
    return deps.db.transaction().execute((trx) => bind(trx, phone));
  }
  return checkOtp(deps, { phone: input.phone, code: input.otp }, bind);
}
