/**
 * Access tokens: a token verified once is remembered, and what it is remembered for is only
 * what never changes (signature, issuer, audience, subject). Every time check still runs on
 * every request, so a remembered token expires exactly when a fresh verification says so.
 */
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../kernel/clock.ts';
import { TOKEN_AUDIENCE, TOKEN_ISSUER, TokenService, VERIFIED_TOKENS_KEPT } from './tokens.ts';

const KEY = Buffer.alloc(32, 7);
const TTL = 900;

const setup = () => {
  const clock = new ManualClock();
  return { clock, tokens: new TokenService(KEY, TTL, clock) };
};

const message = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  return 'accepted';
};

describe('TokenService.verify', () => {
  it('accepts its own token, again and again, with the same claims', async () => {
    const { tokens } = setup();
    const { token } = await tokens.issue({ sub: 'u-1', sid: 's-1' });
    expect(await tokens.verify(token)).toEqual({ sub: 'u-1', sid: 's-1' });
    expect(await tokens.verify(token)).toEqual({ sub: 'u-1', sid: 's-1' });
  });

  it('expires a remembered token at its exp, as a first verification would', async () => {
    const { clock, tokens } = setup();
    const { token, expiresAt } = await tokens.issue({ sub: 'u-1', sid: 's-1' });
    await tokens.verify(token);
    clock.advance(expiresAt - clock.now() - 1000);
    expect(await message(tokens.verify(token))).toBe('accepted');
    clock.advance(1000);
    expect(await message(tokens.verify(token))).toBe('Your session has expired; sign in again.');
    // Still refused afterwards: the expired token was dropped, not kept as valid.
    expect(await message(tokens.verify(token))).toBe('Your session has expired; sign in again.');
  });

  it('refuses a remembered token when the clock stands before its iat', async () => {
    const { clock, tokens } = setup();
    const { token } = await tokens.issue({ sub: 'u-1', sid: 's-1' });
    await tokens.verify(token);
    clock.advance(-5000);
    expect(await message(tokens.verify(token))).toBe(
      'The access token is not valid; sign in again.',
    );
  });

  it('remembers nothing a changed token could borrow', async () => {
    const { tokens } = setup();
    const { token } = await tokens.issue({ sub: 'u-1', sid: 's-1' });
    await tokens.verify(token);
    const [h, p, sig] = token.split('.');
    const other = Buffer.from(p!, 'base64url').toString().replace('u-1', 'u-2');
    const forged = `${h}.${Buffer.from(other).toString('base64url')}.${sig}`;
    expect(await message(tokens.verify(forged))).toBe(
      'The access token is not valid; sign in again.',
    );
    expect(await message(tokens.verify(`${token}x`))).toBe(
      'The access token is not valid; sign in again.',
    );
  });

  it('refuses a token signed with another key or for another audience', async () => {
    const { clock, tokens } = setup();
    const now = Math.floor(clock.now() / 1000);
    const sign = (key: Buffer, audience: string) =>
      new SignJWT({ sid: 's-1' })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject('u-1')
        .setIssuer(TOKEN_ISSUER)
        .setAudience(audience)
        .setIssuedAt(now)
        .setExpirationTime(now + TTL)
        .sign(key);
    expect(await message(tokens.verify(await sign(Buffer.alloc(32, 8), TOKEN_AUDIENCE)))).toBe(
      'The access token is not valid; sign in again.',
    );
    expect(await message(tokens.verify(await sign(KEY, 'elsewhere')))).toBe(
      'The access token is not valid; sign in again.',
    );
    expect(await message(tokens.verify(await sign(KEY, TOKEN_AUDIENCE)))).toBe('accepted');
  });

  it('keeps at most VERIFIED_TOKENS_KEPT tokens, and one it let go still verifies in full', async () => {
    const { tokens } = setup();
    const first = (await tokens.issue({ sub: 'u-0', sid: 's-0' })).token;
    await tokens.verify(first);
    for (let i = 1; i <= VERIFIED_TOKENS_KEPT; i++)
      await tokens.verify((await tokens.issue({ sub: `u-${i}`, sid: `s-${i}` })).token);
    expect(tokens.rememberedTokens).toBe(VERIFIED_TOKENS_KEPT);
    expect(await tokens.verify(first)).toEqual({ sub: 'u-0', sid: 's-0' });
  });
});
