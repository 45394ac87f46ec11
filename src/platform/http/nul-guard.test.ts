/**
 * The text rule at the HTTP door on a real app (issue 13): deeply nested JSON is a 400
 * before anything walks it (finding 6), and bidi controls and control characters in free
 * text are a 400 naming the field, with nothing written (finding 10).
 */
import { beforeAll, expect, it } from 'vitest';
import { activeLocker, auth } from '../../../test/factories.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';

const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describeEachDialect('HTTP text guard', (dialect) => {
  const { t, w } = useWorld(dialect);
  beforeAll(async () => {
    await activeLocker(t, w, 'txt-0001', '文字柜', 24);
  });

  const send = (
    method: 'POST' | 'PATCH',
    url: string,
    payload: string | object,
    headers: Record<string, string> = {},
  ) =>
    t.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { 'content-type': 'application/json', ...headers },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  it('finding 6: ~7,000 levels of JSON on anonymous sign-in and other JSON routes is a 400 naming the limit, not a 500', async () => {
    const body = `{"phone":${deep(7000)}}`;
    for (const [url, headers] of [
      ['/auth/otp', {}],
      ['/auth/login', {}],
      ['/auth/otp/verify', {}],
      [`/users/${w.users.residentA.id}`, auth(w, 'admin')],
    ] as const) {
      const r = await send(url.startsWith('/users') ? 'PATCH' : 'POST', url, body, headers);
      expect(r.statusCode, `${url}: ${r.body.slice(0, 200)}`).toBe(400);
      expect(r.json().error).toEqual({
        code: 'validation_failed',
        message:
          'The request body is JSON nested deeper than 32 levels; flatten it and send again.',
      });
    }
    // 100,000 levels inside a string are only text, and 32 levels are still parsed (then judged by the schema).
    expect((await send('POST', '/auth/otp', { phone: '['.repeat(100_000) })).statusCode).toBe(400);
    const ok = await send('POST', '/auth/otp', `{"phone":${deep(31)}}`);
    expect(ok.statusCode).toBe(400);
    expect(ok.json().error.message).not.toMatch(/nested/);
  });

  it('finding 10: a bidi override in a display name is a 400 naming the field, and the name is unchanged', async () => {
    const before = await t.database.db
      .selectFrom('users')
      .select('display_name')
      .where('id', '=', w.users.residentA.id)
      .executeTakeFirstOrThrow();
    for (const name of [
      '张三\u202egnp.exe',
      '\u2066李四\u2069',
      '王五\u200f',
      'bell\u0007',
      'c1\u0085',
      'two\nlines',
    ]) {
      const r = await send(
        'PATCH',
        `/users/${w.users.residentA.id}`,
        { displayName: name },
        auth(w, 'admin'),
      );
      expect(r.statusCode, JSON.stringify(name)).toBe(400);
      expect(r.json().error.message).toMatch(
        /^The body field "displayName" contains a (bidirectional-text control|control) character/,
      );
    }
    const after = await t.database.db
      .selectFrom('users')
      .select('display_name')
      .where('id', '=', w.users.residentA.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual(before);
  });

  it('finding 10: a remote-open reason with a bidi override or a control character is refused before any command is queued', async () => {
    const count = async () =>
      Number(
        (
          await t.database.db
            .selectFrom('locker_commands')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    for (const reason of ['住户求助\u202e开门', '住户求助\u0000', '住户\u001b[31m求助']) {
      const r = await send(
        'POST',
        '/lockers/txt-0001/compartments/1/open',
        { reason },
        auth(w, 'admin'),
      );
      expect(r.statusCode, JSON.stringify(reason)).toBe(400);
      expect(r.json().error.message).toMatch(/^The body field "reason" contains/);
    }
    expect(await count()).toBe(before);
  });

  it('keeps line breaks where text is multi-line (a note), refuses them in one-line fields, and checks keys and queries', async () => {
    const note = await send(
      'POST',
      '/lockers/txt-0001/neighbour-deposits',
      { recipientPhone: '13800000002', size: 'S', note: '钥匙在袋子里\n谢谢' },
      auth(w, 'residentA'),
    );
    expect(note.statusCode, note.body).toBe(201);
    const bidiNote = await send(
      'POST',
      '/lockers/txt-0001/neighbour-deposits',
      { recipientPhone: '13800000002', size: 'S', note: '谢谢\u202e' },
      auth(w, 'residentA'),
    );
    expect(bidiNote.json().error.message).toMatch(
      /"note" contains a bidirectional-text control character/,
    );
    const key = await send('POST', '/auth/otp', { ['phone\u202e']: '13800000001' });
    expect(key.statusCode).toBe(400);
    expect(key.json().error.message).toMatch(/bidirectional/);
    const query = await t.app.inject({
      method: 'GET',
      url: `/api/v1/users?role=${encodeURIComponent('resident\u202e')}`,
      headers: auth(w, 'admin'),
    });
    expect(query.statusCode).toBe(400);
    expect(query.json().error.message).toMatch(
      /^The query field "role" contains a bidirectional-text control character/,
    );
  });
});
