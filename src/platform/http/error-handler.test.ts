/**
 * Errors the database raises about a value (PostgreSQL class 22) are the caller's
 * mistake: 400 with an actionable message, and the transaction they broke wrote nothing.
 * Other database errors stay 500s that reveal nothing.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, pgEnabled } from '../../../test/harness.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { installErrorHandlers } from './error-handler.ts';
import { installNulGuard } from './nul-guard.ts';

describe.skipIf(!pgEnabled)('error handler on PostgreSQL data exceptions', () => {
  let h: DatabaseHandle;
  let app: FastifyInstance;
  beforeAll(async () => {
    h = await openTestDatabase('postgres');
    await sql`create table scratch (n int4 not null)`.execute(h.db);
    app = Fastify({ logger: false });
    installErrorHandlers(app);
    const write = (cast: () => Promise<unknown>) => () =>
      h.db.transaction().execute(async (trx) => {
        await sql`insert into scratch (n) values (1)`.execute(trx);
        await cast();
        return { ok: true };
      });
    app.post(
      '/int',
      write(() => sql`select ${'9999999999'}::int4`.execute(h.db)),
    );
    app.post(
      '/uuid',
      write(() => sql`select ${'not-a-uuid'}::uuid`.execute(h.db)),
    );
    app.post(
      '/nul',
      write(() => sql`select ${'a\u0000b'}::text`.execute(h.db)),
    );
    app.post(
      '/syntax',
      write(() => sql.raw('selec 1').execute(h.db)),
    );
    await app.ready();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await h?.destroy();
  });

  it('answers a value the database refuses with 400 and leaves nothing written', async () => {
    for (const url of ['/int', '/uuid', '/nul']) {
      const r = await app.inject({ method: 'POST', url });
      expect(r.statusCode, url).toBe(400);
      expect(r.json().error.message).toMatch(/cannot be stored.*\/docs/);
    }
    const { rows } = await sql<{ n: string }>`select count(*) as n from scratch`.execute(h.db);
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it('keeps other database errors as a 500 that names nothing internal', async () => {
    const r = await app.inject({ method: 'POST', url: '/syntax' });
    expect(r.statusCode).toBe(500);
    expect(r.body).not.toMatch(/selec|syntax/);
  });
});

describe('NUL guard', () => {
  it('refuses U+0000 in the body, query or path with 400 naming the field', async () => {
    const app = Fastify({ logger: false });
    installErrorHandlers(app);
    installNulGuard(app);
    let reached = 0;
    app.post('/things/:id', async () => ({ reached: ++reached }));
    await app.ready();
    const body = await app.inject({
      method: 'POST',
      url: '/things/1',
      payload: { note: { text: 'a\u0000' } },
    });
    expect(body.statusCode).toBe(400);
    expect(body.json().error.message).toMatch(/body field "note\.text".*NUL/);
    const query = await app.inject({ method: 'POST', url: '/things/1?q=%00', payload: {} });
    expect(query.json().error.message).toMatch(/query field "q"/);
    const path = await app.inject({ method: 'POST', url: '/things/%00', payload: {} });
    expect(path.json().error.message).toMatch(/path field "id"/);
    expect(reached).toBe(0);
    expect(
      (await app.inject({ method: 'POST', url: '/things/1', payload: { note: 'fine' } })).json(),
    ).toEqual({ reached: 1 });
    await app.close();
  });
});
