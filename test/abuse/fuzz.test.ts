/**
 * Fuzzing every route with a body, generated from the OpenAPI document: the body derived
 * from the route's schema, then seeded mutations of it (fields dropped, retyped, swapped
 * for random JSON, huge or hostile strings, unknown fields). Sent by a caller who is
 * allowed to use the route on a real object. No answer may be a 5xx or take more than
 * 5 s, and a refused request may change no row. FUZZ_SEED replays a run; FUZZ_RUNS
 * sets mutations per route (default 4).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../harness.ts';
import { rowCounts } from './counts.ts';
import { apiOperations, fillPath, type Op, routePattern, sample } from './openapi.ts';
import { type AbuseWorld, type Actor, buildAbuseWorld, settle } from './world.ts';

// A fixed seed by default, so `npm test` and CI are repeatable; FUZZ_SEED=random explores (and
// every seed that ever failed becomes the default or a case here). 1160008095 found a refusal
// that looked like a write: a remote open's door closing seconds later started its UV cycle.
const SEED =
  process.env['FUZZ_SEED'] === 'random'
    ? Date.now() % 2 ** 31
    : Number(process.env['FUZZ_SEED'] ?? 1160008095);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 4);
const HOSTILE = [
  "' OR 1=1 --",
  '"; drop table parcels; --',
  '../../../etc/passwd',
  '<script>alert(1)</script>',
  '\u0000\u0001\u001f',
  '𠜎𠜱𠝹'.repeat(50),
  'x'.repeat(20_000),
  '${jndi:ldap://x}',
  '%00',
  '13800000001',
];

type Body = Record<string, unknown>;
/** A mutation of the schema-derived body. */
function mutations(base: unknown): fc.Arbitrary<unknown> {
  const obj = (base && typeof base === 'object' && !Array.isArray(base) ? base : {}) as Body;
  const keys = Object.keys(obj);
  const key = keys.length ? fc.constantFrom(...keys) : fc.constant('x');
  return fc.oneof(
    key.map((k) => Object.fromEntries(Object.entries(obj).filter(([kk]) => kk !== k))),
    fc.tuple(key, fc.jsonValue({ maxDepth: 2 })).map(([k, v]) => ({ ...obj, [k]: v })),
    fc.tuple(key, fc.constantFrom(...HOSTILE)).map(([k, v]) => ({ ...obj, [k]: v })),
    fc
      .tuple(key, fc.constantFrom(-1, 0, 1e308, -1e308, 2 ** 53, 0.5, true, null, [], {}))
      .map(([k, v]) => ({ ...obj, [k]: v })),
    fc
      .tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 1 }))
      .map(([k, v]) => ({ ...obj, [k]: v })),
    fc.jsonValue({ maxDepth: 3 }),
    fc.string({ unit: 'binary', maxLength: 200 }).map((s) => ({ ...obj, [keys[0] ?? 'x']: s })),
  );
}

type Counts = Record<string, number>;

/**
 * Tables a refused call changed, and the counts it leaves (the next call's "before": nothing else
 * writes in between, so each call costs one count of every table, not two). The reference agents
 * act on their own time (a door opened by an earlier call closes seconds later and starts its UV
 * cycle), so a change seen after a refusal is checked again on a settled database by repeating
 * the call: the call's own write shows again, an agent's does not.
 */
async function changedBy(
  w: AbuseWorld,
  before: Counts,
  call: () => Promise<{ statusCode: number }>,
  status: number,
): Promise<{ changed: string[]; now: Counts }> {
  const db = w.server.database.db;
  const diff = (a: Counts, b: Counts) => Object.keys(b).filter((t) => b[t] !== a[t]);
  const after = await rowCounts(db);
  if (!diff(before, after).length) return { changed: [], now: after };
  const settled = await settle(db);
  const again = await call();
  const now = await rowCounts(db);
  const changed = diff(settled, now);
  return {
    changed: again.statusCode === status ? changed : [`(repeat answered ${again.statusCode})`],
    now,
  };
}

describeEachDialect('abuse: fuzzing every route with a body', (dialect) => {
  let w: AbuseWorld;
  let ops: Op[];
  beforeAll(async () => {
    w = await buildAbuseWorld(dialect);
    // The server's scheduled jobs (sweeps, outboxes) run on a real clock and write on their own
    // schedule; on PostgreSQL this suite runs for minutes, so one landed mid-probe and looked
    // like a refused call's write. Jobs are tested in their modules; here only requests write.
    await settle(w.server.database.db);
    await w.server.jobs.stop();
    ops = apiOperations((await w.api(null, 'GET', '/docs/json')).json()).filter(
      (o) => o.body && !o.isPublic,
    );
  }, 420_000);
  afterAll(async () => w?.close());

  /** Someone allowed to call the route on the victim community's objects. */
  const callerFor = (op: Op): Actor => {
    const policy = w.server.app.accessPolicies.find(
      (p) => p.method === op.method && p.url === routePattern(op.path),
    );
    const roles = !policy || 'public' in policy.access ? 'any' : policy.access.roles;
    if (roles === 'any' || roles.includes('operator_admin'))
      return op.path.startsWith('/api/v1/me/') ? 'sx5' : 'admin';
    if (roles.includes('resident')) return 'sx5';
    if (roles.includes('courier')) return 'courier.zto';
    if (roles.includes('hall_staff')) return 'sx.hall';
    return 'sx.worker';
  };

  it(`no 5xx, no hang, no change on refusal (seed ${SEED}, ${RUNS} mutations per route; replay with FUZZ_SEED=${SEED})`, async () => {
    expect(ops.length).toBeGreaterThanOrEqual(25);
    const problems: string[] = [];
    let sent = 0;
    let refused = 0;
    let before = await rowCounts(w.server.database.db);
    for (const [i, op] of ops.entries()) {
      const who = callerFor(op);
      const url = fillPath(
        op,
        (p, path) =>
          (p === 'parcelId' && path.includes('/outgoing/')
            ? w.victim['outgoingParcelId']
            : w.victim[p === 'requestId' ? 'id' : p]) ?? '0190f5c2-dead-7000-8000-00000000beef',
      );
      const base = sample(
        op.body,
        (f) =>
          (({ lockerId: w.victim['lockerId'], reason: '模糊测试' }) as Record<string, unknown>)[f],
      );
      const bodies = [base, ...fc.sample(mutations(base), { seed: SEED + i, numRuns: RUNS })];
      for (const body of bodies) {
        const started = Date.now();
        const call = () =>
          w.api(who, op.method, url, body === undefined ? null : body, {
            'idempotency-key': `fuzz-${SEED}-${sent++}`,
          });
        const r = await call();
        const what = `${who} ${op.method} ${op.path} ${JSON.stringify(body)?.slice(0, 120)}`;
        if (r.statusCode >= 500)
          problems.push(`${r.statusCode} ← ${what}: ${r.body.slice(0, 200)}`);
        if (Date.now() - started > 5000)
          problems.push(`slow (${Date.now() - started} ms) ← ${what}`);
        if (r.statusCode >= 400) {
          refused++;
          if (typeof r.json().error?.code !== 'string') problems.push(`no error shape ← ${what}`);
          const { changed, now } = await changedBy(w, before, call, r.statusCode);
          before = now;
          if (changed.length)
            problems.push(`refused (${r.statusCode}) but changed ${changed.join(', ')} ← ${what}`);
        } else {
          before = await settle(w.server.database.db);
        }
      }
    }
    expect(problems, `seed ${SEED}:\n${problems.join('\n')}`).toEqual([]);
    expect(refused).toBeGreaterThan(sent / 2);
  }, 420_000);

  // PostgreSQL refuses U+0000 in text; bidi controls make text read differently from what is
  // stored (issue 13, finding 10). Every route must turn both away as the caller's mistake.
  for (const [what, suffix, expected] of [
    ['a NUL character', '\u0000', /NUL/],
    ['a bidi override (U+202E)', '\u202e', /bidirectional-text control/],
  ] as const) {
    it(`${what} in any text field is refused with 400, nothing changed`, async () => {
      const problems: string[] = [];
      let tried = 0;
      let before = await rowCounts(w.server.database.db);
      for (const op of ops) {
        const url = fillPath(
          op,
          (p, path) =>
            (p === 'parcelId' && path.includes('/outgoing/')
              ? w.victim['outgoingParcelId']
              : w.victim[p === 'requestId' ? 'id' : p]) ?? '0190f5c2-dead-7000-8000-00000000beef',
        );
        const base = sample(
          op.body,
          (f) =>
            (({ lockerId: w.victim['lockerId'], reason: '模糊测试' }) as Record<string, unknown>)[
              f
            ],
        ) as Body | undefined;
        const field =
          base && typeof base === 'object'
            ? Object.keys(base).find((k) => typeof base[k] === 'string')
            : undefined;
        if (!field) continue;
        tried++;
        let n = 0;
        const call = () =>
          w.api(
            callerFor(op),
            op.method,
            url,
            { ...base, [field]: `${String(base![field])}${suffix}` },
            { 'idempotency-key': `text-${suffix.charCodeAt(0)}-${tried}-${n++}` },
          );
        const r = await call();
        const { changed, now } = await changedBy(w, before, call, r.statusCode);
        before = now;
        if (
          r.statusCode !== 400 ||
          !expected.test(r.json().error?.message ?? '') ||
          changed.length
        ) {
          problems.push(
            `${r.statusCode} ${op.method} ${op.path} .${field}: ${r.body.slice(0, 160)}${changed.length ? ` changed ${changed.join(', ')}` : ''}`,
          );
        }
      }
      expect(tried).toBeGreaterThanOrEqual(15);
      expect(problems).toEqual([]);
    }, 120_000);
  }

  // Issue 13, finding 6: ~7,000 levels of JSON overflowed the stack (500) on every JSON route.
  it('JSON nested 7,000 levels deep is a 400 on every route with a body, nothing changed', async () => {
    const problems: string[] = [];
    const deep = `{"x":${'['.repeat(7000)}${']'.repeat(7000)}}`;
    let before = await rowCounts(w.server.database.db);
    for (const op of ops) {
      const url = fillPath(
        op,
        (p) => w.victim[p === 'requestId' ? 'id' : p] ?? '0190f5c2-dead-7000-8000-00000000beef',
      );
      const call = () =>
        w.api(callerFor(op), op.method, url, deep, { 'content-type': 'application/json' });
      const r = await call();
      const { changed, now } = await changedBy(w, before, call, r.statusCode);
      before = now;
      if (
        r.statusCode !== 400 ||
        !/nested deeper than 32 levels/.test(r.json().error?.message ?? '') ||
        changed.length
      )
        problems.push(
          `${r.statusCode} ${op.method} ${op.path}: ${r.body.slice(0, 160)}${changed.length ? ` changed ${changed.join(', ')}` : ''}`,
        );
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
