/**
 * Signing in: residents by phone + SMS one-time code, staff by username + password.
 * Both end in a session: a short-lived access token and a rotating refresh token.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Executor } from '../../db/database.ts';
import { verifyPassword } from '../../platform/auth/passwords.ts';
import { sha256 } from '../../platform/auth/tokens.ts';
import { iso, newId } from '../../platform/clock.ts';
import { normalizePhone, type Phone } from '../../platform/crypto/phone.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { LIMITS, limit } from '../../platform/limits.ts';
import { hitLimits } from '../../platform/rate-limit.ts';
import {
  claimOtpAttempt,
  consumeOtp,
  findSessionByRefreshHash,
  insertOtp,
  insertSession,
  latestLiveOtp,
  revokeAllSessions,
  revokeSession,
} from './session.repository.ts';
import {
  findUserByPhoneHash,
  findUserByUsername,
  insertUser,
  type UserRow,
} from './user.repository.ts';
import { emitIdentityEvent } from './identity.events.ts';
import { accountDisabled } from './user.policy.ts';

// The numbers live in platform/limits.ts; these names stay for the code and tests that read them.
export const OTP = {
  digits: 6,
  ttlSeconds: 300,
  maxAttempts: LIMITS.otpGuessesPerCode.max,
  resendSeconds: LIMITS.otpSendPerPhoneMinute.windowSeconds,
  perPhonePerHour: LIMITS.otpSendPerPhoneHour.max,
  perIpPerHour: LIMITS.otpSendPerAddressHour.max,
} as const;
export const LOGIN = {
  perUserPer15Min: LIMITS.loginPerAccount.max,
  perIpPer15Min: LIMITS.loginPerAddress.max,
} as const;

export interface Session {
  userId: string;
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
}

function otpHash(deps: AppDeps, challengeId: string, code: string): string {
  return createHmac('sha256', deps.config.secrets.tokenKey)
    .update(`otp:${challengeId}:${code}`)
    .digest('base64url');
}

/** Send a sign-in code by SMS. Rate-limited per phone and per client address. */
export async function requestOtp(
  deps: AppDeps,
  input: { phone: string; ip: string },
): Promise<{ expiresInSeconds: number; resendAfterSeconds: number }> {
  const phone = normalizePhone(input.phone);
  const phoneHash = deps.vault.hash(phone);
  await hitLimits(deps.db, deps.clock, [
    limit('otpSendPerPhoneMinute', phoneHash),
    limit('otpSendPerPhoneHour', phoneHash),
    limit('otpSendPerAddressHour', input.ip),
  ]);
  const now = deps.clock.now();
  const id = newId(deps.clock, deps.random);
  const code = String(deps.random.int(10 ** OTP.digits)).padStart(OTP.digits, '0');
  await insertOtp(deps.db, {
    id,
    phone_hash: phoneHash,
    code_hash: otpHash(deps, id, code),
    attempts: 0,
    expires_at: iso(now + OTP.ttlSeconds * 1000),
    consumed_at: null,
    created_at: iso(now),
  });
  await deps.sms.send(
    phone,
    `【蚁巢】您的登录验证码是 ${code}，${OTP.ttlSeconds / 60} 分钟内有效。请勿把验证码告诉任何人。`,
  );
  return { expiresInSeconds: OTP.ttlSeconds, resendAfterSeconds: OTP.resendSeconds };
}

/** Check a sign-in code; on success find or create the resident account and open a session. */
export async function verifyOtp(
  deps: AppDeps,
  input: { phone: string; code: string },
): Promise<Session & { newAccount: boolean }> {
  return checkOtp(deps, input, async (trx, phone) => {
    const { user, newAccount } = await residentForPhone(deps, trx, phone);
    return { ...(await openSession(deps, trx, user.id)), newAccount };
  });
}

/**
 * Check an SMS code and consume it; `then` runs in the same transaction as the consumption
 * (so a code proves one thing once). Wrong, expired and used codes get the same answer.
 */
export async function checkOtp<T>(
  deps: AppDeps,
  input: { phone: string; code: string },
  then: (trx: Executor, phone: Phone) => Promise<T>,
): Promise<T> {
  const phone = normalizePhone(input.phone);
  const phoneHash = deps.vault.hash(phone);
  const nowIso = iso(deps.clock.now());
  const challenge = await latestLiveOtp(deps.db, phoneHash, nowIso);
  const invalid = new AppError(
    'otp_invalid',
    'The code is wrong or has expired; check the SMS or request a new code.',
  );
  // The guess is counted before it is checked, atomically: 40 parallel guesses still check at most maxAttempts codes.
  if (!challenge || !(await claimOtpAttempt(deps.db, challenge.id, OTP.maxAttempts))) throw invalid;
  const expected = Buffer.from(challenge.code_hash);
  const given = Buffer.from(otpHash(deps, challenge.id, input.code));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid;
  return deps.db.transaction().execute(async (trx) => {
    if (!(await consumeOtp(trx, challenge.id, nowIso))) throw invalid;
    return then(trx, phone);
  });
}

/** The active resident account of a proven phone, created on first use. */
export async function residentForPhone(
  deps: AppDeps,
  trx: Executor,
  phone: Phone,
): Promise<{ user: UserRow; newAccount: boolean }> {
  const phoneHash = deps.vault.hash(phone);
  const nowIso = iso(deps.clock.now());
  let user = await findUserByPhoneHash(trx, phoneHash);
  const newAccount = !user;
  if (!user) {
    user = {
      id: newId(deps.clock, deps.random),
      display_name: `居民${phone.slice(7)}`,
      phone_hash: phoneHash,
      phone_cipher: deps.vault.encrypt(phone),
      username: null,
      password_hash: null,
      status: 'active',
      created_at: nowIso,
      updated_at: nowIso,
    };
    await insertUser(trx, user);
    // Parcels that arrived for this phone before the account existed become theirs (parcels subscribes).
    await emitIdentityEvent(trx, 'user.registered', { userId: user.id, phoneHash });
  }
  if (user.status !== 'active') throw accountDisabled();
  return { user, newAccount };
}

/** Staff sign-in. The same message for an unknown user and a wrong password. */
export async function loginWithPassword(
  deps: AppDeps,
  input: { username: string; password: string; ip: string },
): Promise<Session> {
  const username = input.username.trim().toLowerCase();
  await hitLimits(deps.db, deps.clock, [
    limit('loginPerAccount', username),
    limit('loginPerAddress', input.ip),
  ]);
  const user = await findUserByUsername(deps.db, username);
  const ok = await verifyPassword(user?.password_hash ?? null, input.password);
  if (!user || !ok || user.status !== 'active')
    throw new AppError('login_failed', 'Wrong username or password.');
  return openSession(deps, deps.db, user.id);
}

/** Exchange a refresh token for a new pair. Reusing a rotated token revokes every session of that user. */
export async function refreshSession(deps: AppDeps, refreshToken: string): Promise<Session> {
  const nowIso = iso(deps.clock.now());
  const session = await findSessionByRefreshHash(deps.db, sha256(refreshToken));
  const invalid = new AppError('unauthenticated', 'The refresh token is not valid; sign in again.');
  if (!session || session.expires_at <= nowIso) throw invalid;
  if (session.revoked_at !== null) {
    await revokeAllSessions(deps.db, session.user_id, nowIso);
    throw invalid;
  }
  return deps.db.transaction().execute(async (trx) => {
    if (!(await revokeSession(trx, session.id, nowIso))) throw invalid;
    return openSession(deps, trx, session.user_id);
  });
}

/** End the session the access token belongs to. */
export async function logout(deps: AppDeps, sessionId: string): Promise<void> {
  await revokeSession(deps.db, sessionId, iso(deps.clock.now()));
}

/** Open a session (access + refresh token) for a user, in the caller's transaction. */
export async function openSession(deps: AppDeps, db: Executor, userId: string): Promise<Session> {
  const now = deps.clock.now();
  const id = newId(deps.clock, deps.random);
  const refreshToken = deps.random.bytes(32).toString('base64url');
  const refreshExpires = now + deps.config.refreshTokenTtl * 1000;
  await insertSession(db, {
    id,
    user_id: userId,
    refresh_hash: sha256(refreshToken),
    expires_at: iso(refreshExpires),
    revoked_at: null,
    created_at: iso(now),
  });
  const access = await deps.tokens.issue({ sub: userId, sid: id });
  return {
    userId,
    accessToken: access.token,
    accessTokenExpiresAt: iso(access.expiresAt),
    refreshToken,
    refreshTokenExpiresAt: iso(refreshExpires),
  };
}
