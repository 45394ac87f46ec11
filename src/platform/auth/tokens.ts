/**
 * Access tokens: short-lived JWTs signed with HS256 (the only algorithm accepted), with
 * issuer, audience and expiry always checked. Refresh tokens are opaque random strings
 * stored hashed in the sessions table (identity module).
 */
import { createHash } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { Clock } from '../clock.ts';
import { AppError } from '../errors.ts';
import { setBounded } from '../../kernel/bounded.ts';

export const TOKEN_ISSUER = 'antnest';
export const TOKEN_AUDIENCE = 'antnest-api';
const ALG = 'HS256';
/** Verified access tokens remembered per node: about 300 bytes each. */
export const VERIFIED_TOKENS_KEPT = 10_000;

export interface AccessClaims {
  /** User id. */
  sub: string;
  /** Session id (refresh family), so a logout can be traced. */
  sid: string;
}

export class TokenService {
  constructor(
    private readonly key: Buffer,
    private readonly ttlSeconds: number,
    private readonly clock: Clock,
  ) {}

  /** Sign an access token for a user session; returns the token and its expiry (ms). */
  async issue(claims: AccessClaims): Promise<{ token: string; expiresAt: number }> {
    const now = Math.floor(this.clock.now() / 1000);
    const exp = now + this.ttlSeconds;
    const token = await new SignJWT({ sid: claims.sid })
      .setProtectedHeader({ alg: ALG, typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: exp * 1000 };
  }

  /**
   * Tokens whose signature and fixed claims were checked, with the claims they carry: a client
   * sends the same token with every request for its lifetime, and the HMAC check through Web
   * Crypto costs about 100 µs a request. Only the time checks depend on the moment, so a
   * token found here is checked against the clock again; one that no longer passes them is
   * dropped and verified in full, which throws the error it deserves.
   */
  readonly #verified = new Map<string, { claims: AccessClaims; iat: number; exp: number }>();

  /** How many verified tokens are remembered (tests; never more than VERIFIED_TOKENS_KEPT). */
  get rememberedTokens(): number {
    return this.#verified.size;
  }

  /** Verify a bearer token or throw 401 with a reason a client can act on. */
  async verify(token: string): Promise<AccessClaims> {
    const known = this.#verified.get(token);
    if (known) {
      const now = Math.floor(this.clock.now() / 1000);
      // jose's time checks: expired at exp, too old past the lifetime, not yet valid before iat.
      if (now < known.exp && now - known.iat <= this.ttlSeconds && now >= known.iat)
        return known.claims;
      this.#verified.delete(token);
    }
    return this.#verify(token);
  }

  async #verify(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [ALG],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        currentDate: new Date(this.clock.now()),
        requiredClaims: ['sub', 'exp', 'iat'],
        // A token older than its lifetime, or issued in the future, is refused whatever its `exp` says.
        maxTokenAge: this.ttlSeconds,
      });
      if (typeof payload.sub !== 'string' || typeof payload['sid'] !== 'string')
        throw new errors.JWTInvalid('claims');
      if (payload.exp! - payload.iat! > this.ttlSeconds)
        throw new errors.JWTInvalid('lifetime longer than issued tokens have');
      const claims: AccessClaims = Object.freeze({ sub: payload.sub, sid: payload['sid'] });
      // Bounded: past the limit the oldest entries go first.
      setBounded(
        this.#verified,
        token,
        { claims, iat: payload.iat!, exp: payload.exp! },
        VERIFIED_TOKENS_KEPT,
      );
      return claims;
    } catch (e) {
      if (e instanceof errors.JWTExpired)
        throw new AppError('unauthenticated', 'Your session has expired; sign in again.');
      throw new AppError('unauthenticated', 'The access token is not valid; sign in again.');
    }
  }
}

/**
 * Short-lived tokens for one narrow purpose (e.g. a courier's sign-in at one locker
 * screen, ADR 0018): the same HS256 key, issuer and checks as access tokens, but their own
 * audience, so an access token is never one of these and the other way round.
 */
export class ScopedTokens {
  constructor(
    private readonly key: Buffer,
    private readonly audience: string,
    private readonly ttlSeconds: number,
    private readonly clock: Clock,
  ) {}

  /** Sign `claims` for `sub`; returns the token and its expiry (ms). */
  async issue(
    sub: string,
    claims: Record<string, string>,
  ): Promise<{ token: string; expiresAt: number }> {
    const now = Math.floor(this.clock.now() / 1000);
    const exp = now + this.ttlSeconds;
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: ALG, typ: 'JWT' })
      .setSubject(sub)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(this.audience)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: exp * 1000 };
  }

  /** The subject and claims of a genuine, current token of this audience, or null. */
  async verify(token: string): Promise<{ sub: string; claims: Record<string, unknown> } | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [ALG],
        issuer: TOKEN_ISSUER,
        audience: this.audience,
        currentDate: new Date(this.clock.now()),
        requiredClaims: ['sub', 'exp', 'iat'],
        maxTokenAge: this.ttlSeconds,
      });
      return typeof payload.sub === 'string' ? { sub: payload.sub, claims: payload } : null;
    } catch (e) {
      if (e instanceof errors.JOSEError) return null;
      throw e;
    }
  }
}

/** SHA-256 of a high-entropy secret (refresh tokens, OTP codes with pepper) for storage. */
export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('base64url');
}
