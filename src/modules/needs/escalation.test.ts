/**
 * Escalation to the community office fires exactly once per request: two sweeps at once
 * (on PostgreSQL, two nodes with their own connection pools on one database) escalate each
 * request once, write one event and send one text.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../../db/database.ts';
import { databaseUrl } from '../../../test/templates.ts';
import { auth, signToken, type World } from '../../../test/factories.ts';
import { describeEachDialect, type TestApp } from '../../../test/harness.ts';
import { openWorld } from '../../../test/world.ts';
import { sweepEscalations } from './escalation.service.ts';

describeEachDialect('needs: escalation exactly once', (dialect) => {
  let t: TestApp;
  let w: World;
  let second: DatabaseHandle | null = null;
  beforeAll(async () => {
    ({ t, w } = await openWorld(dialect));
    if (dialect === 'postgres') {
      // The second node: its own pool on the same database (and schema, when the test has one).
      const { rows } = await sql<{ db: string }>`select current_database() as db`.execute(
        t.database.db,
      );
      second = await openDatabase({
        kind: 'postgres',
        url: databaseUrl(process.env['DATABASE_URL']!, rows[0]!.db),
        schema: t.database.schema,
        poolSize: 4,
      });
    }
  });
  afterAll(async () => {
    await second?.destroy();
    await t?.close();
  });

  it('two sweeps racing escalate each request once, with one event and one text', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/me/needs',
        headers: auth(w, i % 2 ? 'residentA' : 'residentB'),
        payload: {
          serviceCode: 'policy',
          description: Array.from({ length: 10 }, (_, k) =>
            String.fromCharCode(0x4e00 + i * 131 + k * 3),
          ).join(''),
        },
      });
      expect(r.statusCode, r.body).toBe(201);
      ids.push(r.json().id);
    }
    const node2 = { ...t.deps, db: second?.db ?? t.deps.db };
    // Not yet: nothing is near its deadline.
    expect(await sweepEscalations(t.deps)).toBe(0);
    // Past every warning time (3 working days plus weekends and a margin).
    t.clock.advance(9 * 86_400_000);
    t.sms.sent.length = 0;
    const [a, b] = await Promise.all([sweepEscalations(t.deps), sweepEscalations(node2)]);
    expect(a + b).toBe(12);
    const events = await t.database.db
      .selectFrom('need_events')
      .select(['need_id', 'note'])
      .where('action', '=', 'escalated')
      .execute();
    expect(events.map((e) => e.need_id).sort()).toEqual([...ids].sort());
    expect(events.every((e) => e.note === 'overdue')).toBe(true);
    // One text per request to the office (community worker 1 has a phone).
    expect(t.sms.sent.filter((s) => s.to === w.users.communityWorker1.phone)).toHaveLength(12);
    // Later sweeps find nothing more.
    expect(await sweepEscalations(node2)).toBe(0);
    expect(await sweepEscalations(t.deps)).toBe(0);
  });

  it('warns before the deadline: a request near its deadline is escalated as deadline_near', async () => {
    w.users.residentA.token = await signToken(t, w.users.residentA.id);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/needs',
      headers: auth(w, 'residentA'),
      payload: { serviceCode: 'public_order', description: '单元门口有可疑人员反复徘徊' },
    });
    expect(r.statusCode, r.body).toBe(201);
    // Urgent: 24 h, warned 4 h before.
    t.clock.advance(20 * 3600_000 + 1000);
    expect(await sweepEscalations(t.deps)).toBe(1);
    const e = await t.database.db
      .selectFrom('need_events')
      .select('note')
      .where('need_id', '=', r.json().id)
      .where('action', '=', 'escalated')
      .executeTakeFirstOrThrow();
    expect(e.note).toBe('deadline_near');
  });
});
