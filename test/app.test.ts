import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessControl } from '../src/platform/auth/access.ts';
import { TokenService } from '../src/platform/auth/tokens.ts';
import { systemClock } from '../src/platform/clock.ts';
import { buildTestApp, type TestApp } from './harness.ts';

describe('server skeleton', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp('sqlite');
  });
  afterAll(async () => t.close());

  it('answers /healthz and /readyz', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject('/readyz')).json()).toEqual({ status: 'ready' });
  });

  it('exposes Prometheus metrics including request durations', async () => {
    await t.app.inject('/healthz');
    const m = await t.app.inject('/metrics');
    expect(m.statusCode).toBe(200);
    expect(m.body).toContain('antnest_http_request_duration_seconds_bucket');
    expect(m.body).toContain('route="/healthz"');
  });

  it('publishes an OpenAPI document listing the API routes, and the UI at /docs', async () => {
    const doc = (await t.app.inject('/docs/json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    const paths = Object.keys(doc.paths);
    for (const p of [
      '/api/v1/auth/otp',
      '/api/v1/auth/login',
      '/api/v1/me',
      '/api/v1/users',
      '/api/v1/units/{unitId}',
    ])
      expect(paths).toContain(p);
    const ui = await t.app.inject('/docs');
    expect([200, 302]).toContain(ui.statusCode);
  });

  it('answers unknown routes with the error shape', async () => {
    const r = await t.app.inject('/api/v1/nope');
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe('not_found');
  });

  it('does not expose the demo SMS inbox outside demo mode', async () => {
    expect((await t.app.inject('/api/v1/dev/sms')).statusCode).toBe(404);
  });

  it('refuses to start with an API route that declares no access', async () => {
    const app = Fastify();
    await app.register(accessControl, {
      tokens: new TokenService(Buffer.alloc(32), 60, systemClock),
      loadGrants: async () => [],
      sessionLive: async () => true,
      resolvers: {},
    });
    expect(() => app.get('/api/v1/forgotten', async () => ({ oops: true }))).toThrow(
      /declares no access/,
    );
    app.get('/api/v1/declared', { config: { access: { public: true } } }, async () => ({
      ok: true,
    }));
    expect((await app.inject('/api/v1/declared')).statusCode).toBe(200);
  });
});
