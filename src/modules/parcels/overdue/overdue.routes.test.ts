/**
 * The overdue routes over HTTP, mounted alone on a small app with the same access
 * control and error handling as the server (the full app is covered by test/).
 */
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { auth, seedWorld, type World } from '../../../../test/factories.ts';
import { buildTestApp, describeEachDialect, type TestApp } from '../../../../test/harness.ts';
import { identityGrantsLoader } from '../../identity/index.ts';
import { placeResolvers } from '../../places/index.ts';
import { accessControl } from '../../../platform/auth/access.ts';
import { installErrorHandlers } from '../../../platform/http/error-handler.ts';
import { overdueRoutes } from './overdue.routes.ts';

describeEachDialect('overdue routes', (dialect) => {
  let t: TestApp;
  let w: World;
  let app: FastifyInstance;

  beforeEach(async () => {
    t = await buildTestApp(dialect);
    w = await seedWorld(t);
    app = Fastify({ ajv: { customOptions: { removeAdditional: false } } });
    app.setValidatorCompiler(TypeBoxValidatorCompiler);
    installErrorHandlers(app);
    await app.register(accessControl, {
      tokens: t.deps.tokens,
      loadGrants: identityGrantsLoader(t.deps.db),
      sessionLive: async () => true,
      resolvers: placeResolvers(t.deps.db),
    });
    await app.register(overdueRoutes, { prefix: '/api/v1', deps: t.deps });
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
    await t.close();
  });

  const policy = {
    freeHours: 24,
    reminderHoursBefore: 4,
    action: 'capped_fee',
    feePerDayFen: 100,
    feeCapFen: 300,
    retentionDays: 14,
  };

  it('lets staff read and admins replace a community policy, inside their places only', async () => {
    const url = `/api/v1/communities/${w.community1}/overdue-policy`;
    const get = await app.inject({ method: 'GET', url, headers: auth(w, 'officer') });
    expect(get.statusCode).toBe(200);
    expect(get.json()).toMatchObject({
      communityId: w.community1,
      action: 'move_to_hall',
      updatedAt: null,
    });

    // A grid worker's grant covers a grid, not the whole community.
    expect(
      (await app.inject({ method: 'GET', url, headers: auth(w, 'gridWorker1') })).statusCode,
    ).toBe(404);
    expect(
      (await app.inject({ method: 'PUT', url, headers: auth(w, 'hallStaff1'), payload: policy }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await app.inject({
          method: 'PUT',
          url,
          headers: auth(w, 'communityWorker2'),
          payload: policy,
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await app.inject({ method: 'PUT', url, headers: auth(w, 'residentA'), payload: policy }))
        .statusCode,
    ).toBe(403);
    const bad = await app.inject({
      method: 'PUT',
      url,
      headers: auth(w, 'communityWorker1'),
      payload: { ...policy, feeCapFen: -1 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toHaveProperty('error.code');
    const put = await app.inject({
      method: 'PUT',
      url,
      headers: auth(w, 'communityWorker1'),
      payload: policy,
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ ...policy, communityId: w.community1 });
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
  });

  it("shows a hall's shelf to its staff only", async () => {
    const mine = await app.inject({
      method: 'GET',
      url: `/api/v1/halls/${w.hall1}/shelf?status=to_move`,
      headers: auth(w, 'hallStaff1'),
    });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toEqual([]);
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/api/v1/halls/${w.hall2}/shelf`,
          headers: auth(w, 'hallStaff1'),
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/api/v1/halls/${w.hall1}/shelf`,
          headers: auth(w, 'partner1'),
        })
      ).statusCode,
    ).toBe(403);
    const missing = await app.inject({
      method: 'POST',
      url: `/api/v1/halls/${w.hall1}/shelf/${w.hall2}/shelve`,
      headers: auth(w, 'hallStaff1'),
      payload: { slot: 'A-01' },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
  });

  it("tells hall staff their community's policy, and nobody else's", async () => {
    const mine = await app.inject({
      method: 'GET',
      url: `/api/v1/halls/${w.hall1}/overdue-policy`,
      headers: auth(w, 'hallStaff1'),
    });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({
      communityId: w.community1,
      freeHours: expect.any(Number),
      action: expect.any(String),
    });
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/api/v1/halls/${w.hall2}/overdue-policy`,
          headers: auth(w, 'hallStaff1'),
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await app.inject({
          method: 'GET',
          url: `/api/v1/halls/${w.hall1}/overdue-policy`,
          headers: auth(w, 'residentA'),
        })
      ).statusCode,
    ).toBe(403);
  });
});
