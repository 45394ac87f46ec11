/** The key store on a real database: one winner among racing claims, fenced completion, expiry, sweeping; and the fingerprint. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/database.ts';
import { describeEachDialect, openTestDatabase } from '../../../test/harness.ts';
import { ManualClock } from '../clock.ts';
import { canonicalJson, requestFingerprint } from './fingerprint.ts';
import {
  claimKey,
  completeKey,
  findKey,
  type KeyRef,
  releaseKey,
  sweepIdempotencyKeys,
} from './idempotency.repository.ts';

const times = { ttlMs: 24 * 3600_000, leaseMs: 60_000 };
const ref = (key: string): KeyRef => ({ caller: 'user:u1', route: 'POST /api/v1/things', key });
const ok = { statusCode: 201, contentType: 'application/json; charset=utf-8', body: '{"id":"1"}' };

describeEachDialect('idempotency key store', (dialect) => {
  let h: DatabaseHandle;
  const clock = new ManualClock();
  beforeAll(async () => {
    h = await openTestDatabase(dialect);
  });
  afterAll(async () => h?.destroy());

  it('lets exactly one of many concurrent claims win; the others see its row', async () => {
    const claims = await Promise.all(
      Array.from({ length: 10 }, () => claimKey(h.db, clock, ref('race'), 'fp', times)),
    );
    expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(1);
    for (const c of claims)
      if (c.kind === 'existing')
        expect(c.row).toMatchObject({ state: 'in_flight', fingerprint: 'fp' });
  });

  it('stores the response once completed and hands it to later claims', async () => {
    const first = await claimKey(h.db, clock, ref('done'), 'fp', times);
    if (first.kind !== 'claimed') throw new Error('expected a claim');
    expect(await completeKey(h.db, clock, ref('done'), first.claimedAt, ok)).toBe(true);
    const later = await claimKey(h.db, clock, ref('done'), 'fp', times);
    expect(later).toMatchObject({
      kind: 'existing',
      row: { state: 'completed', status_code: 201, content_type: ok.contentType, body: ok.body },
    });
    // A completed key is final: only its 24 hours end it, not the lease.
    clock.advance(times.leaseMs + 1);
    expect((await claimKey(h.db, clock, ref('done'), 'fp', times)).kind).toBe('existing');
  });

  it('fences an abandoned claim: after a takeover the old owner can neither complete nor release it', async () => {
    const old = await claimKey(h.db, clock, ref('slow'), 'fp', times);
    if (old.kind !== 'claimed') throw new Error('expected a claim');
    clock.advance(times.leaseMs + 1);
    const next = await claimKey(h.db, clock, ref('slow'), 'fp2', times);
    if (next.kind !== 'claimed') throw new Error('expected a takeover');
    expect(await completeKey(h.db, clock, ref('slow'), old.claimedAt, ok)).toBe(false);
    await releaseKey(h.db, ref('slow'), old.claimedAt);
    expect(await findKey(h.db, ref('slow'))).toMatchObject({
      state: 'in_flight',
      fingerprint: 'fp2',
    });
    await releaseKey(h.db, ref('slow'), next.claimedAt);
    expect(await findKey(h.db, ref('slow'))).toBeUndefined();
  });

  it('ignores keys after their time to live and sweeps them', async () => {
    const c = await claimKey(h.db, clock, ref('aged'), 'fp', times);
    if (c.kind !== 'claimed') throw new Error('expected a claim');
    await completeKey(h.db, clock, ref('aged'), c.claimedAt, ok);
    clock.advance(times.ttlMs);
    expect((await claimKey(h.db, clock, ref('aged'), 'other', times)).kind).toBe('claimed');
    clock.advance(1);
    const swept = await sweepIdempotencyKeys(h.db, clock, times.ttlMs);
    expect(swept).toBeGreaterThan(0);
    const left = await h.db.selectFrom('idempotency_keys').select('key').execute();
    expect(left.map((r) => r.key)).toEqual(['aged']);
  });
});

describe('request fingerprint', () => {
  it('ignores key order and whitespace but not values, URL or method', () => {
    expect(canonicalJson({ b: [1, { d: 'é', c: null }], a: 'x' })).toBe(
      '{"a":"x","b":[1,{"c":null,"d":"é"}]}',
    );
    const base = requestFingerprint('POST', '/api/v1/x?a=1', { a: 1, b: 2 });
    expect(requestFingerprint('post', '/api/v1/x?a=1', { b: 2, a: 1 })).toBe(base);
    expect(requestFingerprint('POST', '/api/v1/x?a=1', { a: 1, b: 3 })).not.toBe(base);
    expect(requestFingerprint('POST', '/api/v1/x?a=2', { a: 1, b: 2 })).not.toBe(base);
    expect(requestFingerprint('PUT', '/api/v1/x?a=1', { a: 1, b: 2 })).not.toBe(base);
    expect(requestFingerprint('DELETE', '/api/v1/x', undefined)).toMatch(/^[0-9a-f]{64}$/);
  });
});
