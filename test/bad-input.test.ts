/**
 * Every route, generated from the OpenAPI document: malformed JSON, wrong types, unknown
 * fields, oversize bodies, wrong content types and bad tokens give 4xx with the error
 * shape, never a 5xx, and change nothing. test/abuse/fuzz.test.ts goes further: valid
 * bodies derived from each route's schema and seeded mutations of them, on real objects.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mqttHookSecret } from '../src/modules/lockers/mqtt-auth.routes.ts';
import { auth } from './factories.ts';
import { describeEachDialect, type TestApp } from './harness.ts';
import { useWorld } from './world.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
interface Op {
  method: Method;
  path: string;
  url: string;
  hasBody: boolean;
  /** The body schema refuses unknown fields (a few broker hooks accept extra template fields on purpose). */
  closedBody: boolean;
  isPublic: boolean;
}

const FAKE_ID = '0190f5c2-dead-7000-8000-00000000beef';

type OpenApiOp = {
  security?: unknown[];
  requestBody?: { content?: Record<string, { schema?: { additionalProperties?: unknown } }> };
};

function operations(doc: { paths: Record<string, Record<string, OpenApiOp>> }): Op[] {
  const ops: Op[] = [];
  for (const [path, byMethod] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/') || path.startsWith('/api/v1/dev/')) continue;
    for (const [m, op] of Object.entries(byMethod)) {
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      ops.push({
        method: m.toUpperCase() as Method,
        path,
        url: path.replace(/\{[^}]+\}/g, FAKE_ID),
        hasBody: op.requestBody !== undefined,
        closedBody: bodySchema?.additionalProperties === false,
        isPublic: !op.security,
      });
    }
  }
  return ops;
}

async function tableCounts(t: TestApp): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of [
    'users',
    'role_grants',
    'communities',
    'compounds',
    'buildings',
    'units',
    'halls',
    'grids',
    'locker_sites',
    'carriers',
    'sessions',
    'audit_events',
  ] as const) {
    const r = await t.database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(r.n);
  }
  return out;
}

/**
 * Signed provider callbacks check the signature over the raw bytes before they parse anything
 * (ADR 0022), so an unsigned body of any shape is a 401 — the refusal comes first, as a 403 does.
 */
const SIGNED_CALLBACKS = new Set([
  '/api/v1/payments/local/callback',
  '/api/v1/payments/local/parcel-fee-callback',
  '/api/v1/payments/local/sending-callback',
]);

describeEachDialect('bad input on every route', (dialect) => {
  const { t, w } = useWorld(dialect);
  let ops: Op[];
  let before: Record<string, number>;
  beforeAll(async () => {
    ops = operations((await t.app.inject('/docs/json')).json());
    before = await tableCounts(t);
  });

  /** Staff routes get an admin token; broker hooks get the hook secret; public routes nothing. */
  function credentialsFor(op: Op): Record<string, string> {
    if (op.path.startsWith('/api/v1/mqtt/'))
      return { authorization: `Bearer ${mqttHookSecret(t.deps.config.secrets.tokenKey)}` };
    return op.isPublic ? {} : auth(w, 'admin');
  }

  function expectClientError(r: { statusCode: number; json(): any }, what: string) {
    expect(r.statusCode, what).toBeGreaterThanOrEqual(400);
    expect(r.statusCode, what).toBeLessThan(500);
    const body = r.json();
    expect(typeof body.error?.code, what).toBe('string');
    expect(body.error.message.length, what).toBeGreaterThan(5);
  }

  it('covers a meaningful number of routes', () => {
    expect(ops.length).toBeGreaterThanOrEqual(20);
    expect(ops.filter((o) => o.hasBody).length).toBeGreaterThanOrEqual(10);
  });

  it('protected routes refuse a missing or bad token with 401', async () => {
    for (const op of ops.filter((o) => !o.isPublic)) {
      for (const headers of [
        {},
        { authorization: 'Bearer abc.def.ghi' },
        { authorization: 'Basic YWRtaW46YWRtaW4=' },
      ]) {
        const r = await t.app.inject({
          method: op.method,
          url: op.url,
          headers,
          ...(op.hasBody ? { payload: {} } : {}),
        });
        expect(r.statusCode, `${op.method} ${op.path}`).toBe(401);
        expectClientError(r, `${op.method} ${op.path}`);
      }
    }
  });

  it('malformed JSON, wrong content type, oversize and non-object bodies get 4xx', async () => {
    for (const op of ops.filter((o) => o.hasBody)) {
      const headers = credentialsFor(op);
      const what = `${op.method} ${op.path}`;
      const cases = [
        { payload: '{"broken": ', ct: 'application/json', expected: 400 },
        { payload: 'phone=1', ct: 'application/x-www-form-urlencoded', expected: 415 },
        {
          payload: JSON.stringify({ pad: 'x'.repeat(t.deps.config.bodyLimit + 10) }),
          ct: 'application/json',
          expected: 413,
        },
        { payload: '[1,2,3]', ct: 'application/json', expected: 400 },
        { payload: 'null', ct: 'application/json', expected: 400 },
      ];
      for (const c of cases) {
        const r = await t.app.inject({
          method: op.method,
          url: op.url,
          headers: { ...headers, 'content-type': c.ct },
          payload: c.payload,
        });
        expectClientError(r, `${what} ${c.ct} ${c.payload.slice(0, 20)}`);
        if (SIGNED_CALLBACKS.has(op.path) && c.expected === 400)
          expect(r.json().error.code, what).toBe('unauthenticated');
        else if (r.statusCode !== 403)
          expect(r.statusCode, `${what} ${c.payload.slice(0, 20)}`).toBe(c.expected);
      }
    }
  });

  it('unknown fields and wrong types are rejected as validation_failed', async () => {
    for (const op of ops.filter((o) => o.hasBody)) {
      const headers = credentialsFor(op);
      for (const payload of [
        { surprise: true },
        { phone: 12345, code: [], username: {}, password: 7, displayName: 42, name: false },
      ]) {
        const r = await t.app.inject({ method: op.method, url: op.url, headers, payload });
        expectClientError(r, `${op.method} ${op.path}`);
        if (SIGNED_CALLBACKS.has(op.path)) expect(r.json().error.code).toBe('unauthenticated');
        else if (r.statusCode !== 403 && (op.closedBody || 'phone' in payload))
          expect(r.json().error.code, `${op.method} ${op.path} ${JSON.stringify(payload)}`).toBe(
            'validation_failed',
          );
      }
    }
  });

  it('malformed path ids and query values are 400, not 500', async () => {
    for (const op of ops.filter((o) => o.path.includes('{'))) {
      const r = await t.app.inject({
        method: op.method,
        url: op.path.replace(/\{[^}]+\}/g, 'not-an-id%00'),
        headers: auth(w, 'admin'),
        ...(op.hasBody ? { payload: {} } : {}),
      });
      expectClientError(r, `${op.method} ${op.path}`);
    }
    const q = await t.app.inject({ url: '/api/v1/users?limit=lots', headers: auth(w, 'admin') });
    expect(q.statusCode).toBe(400);
  });

  it('none of the rejected requests changed anything', async () => {
    expect(await tableCounts(t)).toEqual(before);
  });
});

describe('bad input: operations() parses the document', () => {
  it('finds path params', () => {
    const ops = operations({ paths: { '/api/v1/units/{unitId}': { get: { security: [] } } } });
    expect(ops[0]).toMatchObject({ url: `/api/v1/units/${FAKE_ID}`, isPublic: false });
  });
});
