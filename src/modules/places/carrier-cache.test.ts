/**
 * A carrier read once is kept for good (a deposit reads its courier's carrier every time).
 * That is exact only while carriers are never changed or removed: the second test fails the
 * day a write other than the insert appears, so its author invalidates the kept rows.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, openTestDatabase } from '../../../test/harness.ts';
import { filesMatching, tableWrite } from '../../../test/sources.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { findCarrier, insertCarriers } from './site.repository.ts';

describeEachDialect('carriers kept in memory', (dialect) => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await openTestDatabase(dialect);
  });
  afterAll(async () => h?.destroy());

  it('reads a carrier once, shares it frozen, and does not keep one that is missing', async () => {
    expect(await findCarrier(h.db, 'cr-kept')).toBeUndefined();
    await insertCarriers(h.db, {
      id: 'cr-kept',
      code: 'kept',
      name: '留存快递',
      kind: 'express',
      created_at: '2026-12-06T00:00:00.000Z',
    });
    // Missing a moment ago, found now: a miss is never kept.
    const first = await findCarrier(h.db, 'cr-kept');
    expect(first).toMatchObject({ id: 'cr-kept', kind: 'express' });
    const before = h.counts?.statements;
    const again = await findCarrier(h.db, 'cr-kept');
    expect(again).toBe(first);
    if (h.counts) expect(h.counts.statements).toBe(before);
    expect(Object.isFrozen(again)).toBe(true);
  });
});

it('no code changes or removes a carrier (the kept rows would go stale)', () => {
  expect(filesMatching(tableWrite('carriers', ['update', 'delete']))).toEqual([]);
});
