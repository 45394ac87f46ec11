/**
 * BOLA/BFLA generated over every route of the OpenAPI document (OWASP API1 and API5):
 * each path parameter is filled with a REAL object of the victim community (sx), and
 * every actor without a place there — qsh staff, qsh residents, other carriers' couriers —
 * calls it with a schema-derived valid body. Each must get 403 or 404 and change nothing.
 * The victim community's own staff reach the same objects (so the ids are real and a 404
 * means "refused", not "mistyped"). test/access-matrix.test.ts keeps the hand-written rows
 * and the function-level matrix; this file needs no edit when a module adds a route.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../harness.ts';
import { apiOperations, fillPath, type Op, routePattern, sample } from './openapi.ts';
import { type AbuseWorld, type Actor, buildAbuseWorld, OUTSIDERS, settle } from './world.ts';
import { rowCounts } from './counts.ts';

const FAKE_ID = '0190f5c2-dead-7000-8000-00000000beef';

/**
 * Routes an outsider may use on another community's object ON PURPOSE, with the reason.
 * Anything else that lets an outsider through fails the suite.
 */
const CROSS_TENANT_BY_DESIGN: Record<string, { who: Actor[]; why: string }> = {
  'POST /api/v1/lockers/{lockerId}/deposits': {
    who: ['courier.sf', 'courier.meituan'],
    why: 'a courier delivers to any locker (parcels are addressed to a locker, not a flat)',
  },
  'GET /api/v1/kiosk/halls/{hallId}': {
    who: OUTSIDERS,
    why: "a hall's name, hours and the notices posted for its place are its public board: the kiosk shows them before anyone signs in",
  },
  'POST /api/v1/couriers/consent-requests': {
    who: ['courier.sf', 'courier.meituan'],
    why: 'a courier asks consent for the locker they stand at',
  },
  'GET /api/v1/public/communities/{communityId}/fund': {
    who: [...OUTSIDERS],
    why: 'the community development fund is published to everyone, no login (issue 17)',
  },
  'GET /api/v1/public/fund/receipts/{receiptId}': {
    who: [...OUTSIDERS],
    why: "the fund's receipt files are published with its payments, no login (issue 17)",
  },
};

/**
 * Parameters that name no tenant's object: the one shared subdistrict, a dashboard's chart. A route
 * whose parameters are all of these has no tenant boundary to cross.
 */
const SHARED = new Set(['subdistrictId', 'chart']);

describeEachDialect('abuse: object-level access generated over every route', (dialect) => {
  let w: AbuseWorld;
  let ops: Op[];
  beforeAll(async () => {
    w = await buildAbuseWorld(dialect);
    // The server's scheduled jobs (sweeps, outboxes) run on a real clock and write on their own
    // schedule; on PostgreSQL this suite runs for minutes, so one landed mid-probe and looked
    // like a refused call's write. Jobs are tested in their modules; here only requests write.
    await settle(w.server.database.db);
    await w.server.jobs.stop();
    // Streams (text/event-stream) never end, so inject cannot probe them: the hall kiosk's
    // public board stream is checked in src/modules/notices/notice.live.test.ts and what
    // streams carry in test/privacy/privacy-scan.test.ts.
    ops = apiOperations((await w.api(null, 'GET', '/docs/json')).json()).filter(
      (o) => !o.streaming,
    );
  }, 180_000);
  afterAll(async () => w?.close());

  const idFor = (param: string, path: string): string => {
    if (param === 'orderId' && path.includes('/sending/'))
      return w.victim['sendingOrderId'] ?? FAKE_ID;
    if (param === 'parcelId' && path.includes('/outgoing/'))
      return w.victim['outgoingParcelId'] ?? FAKE_ID;
    if (
      param === 'requestId' &&
      (path.includes('/household-requests/') || path.includes('/homes/'))
    )
      return w.victim['householdRequestId'] ?? FAKE_ID;
    if (param === 'requestId') return w.victim['id'] ?? FAKE_ID;
    return w.victim[param] ?? FAKE_ID;
  };
  const bodyFor = (op: Op) =>
    sample(
      op.body,
      (field) =>
        (
          ({
            lockerId: w.victim['lockerId'],
            recipientPhone: '13800000006',
            phone: '13800000006',
            reason: '滥用测试',
            scopeId: w.victim['unitId'],
            scopeKind: 'unit',
            role: 'resident',
            period: '2026-01',
            startedOn: '2026-01-01',
          }) as Record<string, unknown>
        )[field],
    );

  it('every route with a path parameter is probed with a real victim object; no outsider gets through or changes anything', async () => {
    const probed = ops.filter((o) => o.params.length > 0 && !o.params.every((p) => SHARED.has(p)));
    expect(probed.length).toBeGreaterThanOrEqual(40);
    const leaks: string[] = [];
    const unreal: string[] = [];
    let refused = 0;
    const db = w.server.database.db;
    // The counts after one probe are the counts before the next: nothing else writes in between
    // (jobs are stopped; a change an agent makes meanwhile shows as a change and is re-checked
    // below), so each probe costs one count of every table, not two.
    let before = await rowCounts(db);
    for (const op of probed) {
      const url = fillPath(op, idFor);
      const key = `${op.method} ${op.path}`;
      const body = op.body ? bodyFor(op) : undefined;
      if (op.params.some((p) => idFor(p, op.path) === FAKE_ID)) unreal.push(key);
      for (const who of OUTSIDERS) {
        const call = () =>
          w.api(
            who,
            op.method,
            url,
            body,
            op.method === 'GET' || op.method === 'DELETE'
              ? {}
              : { 'idempotency-key': `bola-${who}-${refused}-${Math.random()}` },
          );
        const r = await call();
        if (r.statusCode < 300 && CROSS_TENANT_BY_DESIGN[key]?.who.includes(who)) {
          before = await settle(db);
          continue;
        }
        if (![403, 404].includes(r.statusCode)) {
          // 400 before the object check would hide a missing scope: count it as a leak of coverage.
          leaks.push(`${who} ${key} → ${r.statusCode} ${r.body.slice(0, 120)}`);
          before = await settle(db);
          continue;
        }
        expect(r.json().error.code, `${who} ${key}`).toBe(
          r.statusCode === 403 ? 'forbidden' : 'not_found',
        );
        const after = await rowCounts(db);
        if (JSON.stringify(after) !== JSON.stringify(before)) {
          // The server's jobs (SMS outbox, sweeps) run meanwhile on a real clock and may have
          // written: let them settle and repeat the same refused call. A write the call itself
          // makes shows again; a job's write does not (seen on a loaded PostgreSQL run).
          const settled = await settle(db);
          expect((await call()).statusCode, `${who} ${key} again`).toBe(r.statusCode);
          before = await rowCounts(db);
          expect(before, `${who} ${key} changed rows`).toEqual(settled);
        } else before = after;
        refused++;
      }
    }
    expect(leaks, leaks.join('\n')).toEqual([]);
    expect(refused).toBeGreaterThan(probed.length * OUTSIDERS.length * 0.9);
    // Coverage is honest: say which routes had no real victim object to probe.
    expect(
      unreal.length,
      `routes probed with a made-up id: ${unreal.join(', ')}`,
    ).toBeLessThanOrEqual(4);
  }, 600_000);

  it('the victim community reaches the same objects (the ids are real), so the 404s above are refusals', async () => {
    const gets = ops.filter(
      (o) =>
        o.method === 'GET' &&
        o.params.length > 0 &&
        o.params.every((p) => idFor(p, o.path) !== FAKE_ID) &&
        !o.path.startsWith('/api/v1/me/') &&
        !o.path.startsWith('/api/v1/courier'),
    );
    expect(gets.length).toBeGreaterThanOrEqual(15);
    for (const op of gets) {
      const policy = w.server.app.accessPolicies.find(
        (p) => p.method === 'GET' && p.url === routePattern(op.path),
      )!;
      const roles = 'public' in policy.access ? 'any' : policy.access.roles;
      const who: Actor =
        roles === 'any' || roles.includes('community_worker')
          ? 'sx.worker'
          : roles.includes('hall_staff')
            ? 'sx.hall'
            : 'admin';
      const r = await w.api(who, 'GET', fillPath(op, idFor));
      expect(r.statusCode, `${who} GET ${op.path}: ${r.body.slice(0, 200)}`).toBe(200);
    }
    // And the recipient and the depositing courier reach the victim parcel.
    expect(
      (await w.api('sx5', 'GET', `/api/v1/me/parcels/${w.victim['parcelId']}`)).statusCode,
    ).toBe(200);
    expect(
      (await w.api('courier.zto', 'GET', `/api/v1/courier/parcels/${w.victim['parcelId']}`))
        .statusCode,
    ).toBe(200);
  }, 600_000);
});
