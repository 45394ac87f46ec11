/** The demo holds requests in every state in both communities, with rates to show. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, describeEachDialect, type TestApp } from '../../test/harness.ts';
import { needRates } from '../modules/needs/index.ts';
import { seedDemo } from './seed.ts';

describeEachDialect('demo needs', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    t.clock.advance(10 * 86_400_000);
    await seedDemo(t.deps);
  }, 60_000);
  afterAll(async () => t?.close());

  it('every state in both communities, escalations and ratings included', async () => {
    const rows = await t.database.db
      .selectFrom('needs')
      .select(['community_id', 'status', 'channel', 'escalated_at', 'rating'])
      .execute();
    const communities = [...new Set(rows.map((r) => r.community_id))];
    expect(communities).toHaveLength(2);
    for (const c of communities) {
      const states = new Set(rows.filter((r) => r.community_id === c).map((r) => r.status));
      expect([...states].sort()).toEqual(
        [
          'closed',
          'declined',
          'dispatched',
          'in_progress',
          'received',
          'reopened',
          'replied',
        ].sort(),
      );
    }
    expect(new Set(rows.map((r) => r.channel))).toEqual(new Set(['app', 'desk', 'kiosk']));
    expect(rows.some((r) => r.escalated_at !== null)).toBe(true);
    const rates = await needRates(t.database.db, {
      communityIds: null,
      from: new Date(t.clock.now() - 60 * 86_400_000).toISOString(),
      to: new Date(t.clock.now() + 1).toISOString(),
      by: 'community',
      now: t.clock.now(),
    });
    expect(rates).toHaveLength(2);
    expect(rates.every((r) => r.satisfactionRate !== null && r.overdue > 0)).toBe(true);
  });
});
