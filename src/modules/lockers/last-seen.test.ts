/** Sightings written behind (last-seen.service.ts), on both dialects. */
import { pino } from 'pino';
import { beforeAll, expect, it } from 'vitest';
import { heartbeatMessage } from '../../../test/factories.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import { lockerTopic } from '../../contract/index.ts';
import { demoLayout } from '../../demo/lockers.ts';
import { iso } from '../../platform/clock.ts';
import { ingest } from './ingest.service.ts';
import { writeSightingsBehind } from './last-seen.service.ts';
import { markSeen } from './locker.repository.ts';
import { createLocker } from './locker.service.ts';
import { LAST_SEEN_RESOLUTION_MS } from './signals.service.ts';

const L = 'seen-0001';

describeEachDialect('last seen, written behind', (dialect) => {
  const { t, w } = useWorld(dialect);
  beforeAll(async () => {
    await createLocker(t.deps, null, w.siteA, {
      id: L,
      name: '心跳柜',
      compartments: demoLayout(8),
    });
  });
  const lastSeen = async (id = L) =>
    (
      await t.database.db
        .selectFrom('lockers')
        .select('last_seen_at')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).last_seen_at;
  const heartbeat = () => ingest(t.deps, {}, lockerTopic(L, 'evt'), heartbeatMessage(t.clock, L));

  it('holds a heartbeat’s sighting in memory and writes it with the next flush, in no transaction of its own', async () => {
    const writer = writeSightingsBehind(t.deps, pino({ level: 'silent' }), 3_600_000);
    try {
      t.clock.advance(LAST_SEEN_RESOLUTION_MS + 1);
      const before = await lastSeen();
      const commits = t.database.counts?.commits ?? 0;
      expect(await heartbeat()).toEqual({ applied: true, what: 'heartbeat' });
      expect(await lastSeen()).toBe(before);
      if (t.database.counts) expect(t.database.counts.commits).toBe(commits);
      await writer.flush();
      expect(await lastSeen()).toBe(iso(t.clock.now()));
    } finally {
      await writer.stop();
    }
    // With no writer running (tests, the CLI), a sighting is written at once.
    t.clock.advance(LAST_SEEN_RESOLUTION_MS + 1);
    await heartbeat();
    expect(await lastSeen()).toBe(iso(t.clock.now()));
  });

  it('never moves a locker’s last sighting back, and writes more than one statement’s worth', async () => {
    const newer = iso(t.clock.now() + 5_000);
    await markSeen(t.database.db, [{ id: L, at: newer }]);
    await markSeen(t.database.db, [{ id: L, at: iso(t.clock.now() - 5_000) }]);
    expect(await lastSeen()).toBe(newer);
    // 600 sightings (two statements), all but one of them for lockers that do not exist.
    const many = Array.from({ length: 599 }, (_, i) => ({ id: `ghost-${i}`, at: newer }));
    const later = iso(t.clock.now() + 9_000);
    await markSeen(t.database.db, [...many, { id: L, at: later }]);
    expect(await lastSeen()).toBe(later);
  });
});
