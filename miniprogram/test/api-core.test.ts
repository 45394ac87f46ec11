/**
 * The API client core the web apps and the mini-program share (web/shared/api-core.ts, api-client.ts), over
 * a scripted transport: what it sends (token, idempotency key, JSON or raw bytes), the one
 * refresh on 401, and the error a person reads (error-text.ts).
 */
import { describe, expect, it } from 'vitest';
import { ApiClient, type HttpRequest, type HttpResponse } from '../../web/shared/api-client.ts';
import type { Session } from '../../web/shared/api-core.ts';
import { errorText } from '../../web/shared/error-text.ts';

const session = (n: number): Session => ({
  userId: 'u1',
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  accessTokenExpiresAt: '2026-12-05T12:00:00.000Z',
});

function client(answers: ((req: HttpRequest) => HttpResponse | Error)[], start: Session | null) {
  const sent: HttpRequest[] = [];
  let current = start;
  const ended: string[] = [];
  const api = new ApiClient(
    async (req) => {
      sent.push(req);
      const next = answers.shift();
      if (!next) throw new Error(`unexpected ${req.method} ${req.url}`);
      const a = next(req);
      if (a instanceof Error) throw a;
      return a;
    },
    {
      get: () => current,
      set: (s, reason) => {
        current = s;
        if (!s) ended.push(reason ?? 'logout');
      },
    },
    (code, status, message, path) => errorText((k) => k, 'zh-CN', code, status, message, path),
  );
  return { api, sent, ended, session: () => current };
}

describe('server errors as text a person can act on', () => {
  const zh = (code: string, message: string) =>
    errorText((k) => k, 'zh-CN', code, 400, message, '/halls/h1/employees');
  it('a rule’s bilingual message is shown in the reader’s language; a schema error keeps the fixed text', () => {
    const rule = '入职日期须写成 YYYY-MM-DD。 Write the start date as YYYY-MM-DD.';
    expect(zh('bad_request', rule)).toBe('入职日期须写成 YYYY-MM-DD。');
    expect(errorText((k) => k, 'en', 'bad_request', 400, rule, '/halls/h1/employees')).toBe(
      'Write the start date as YYYY-MM-DD.',
    );
    expect(zh('validation_failed', 'body/startedOn must match pattern')).toBe(
      '输入有误，请检查后重试',
    );
    expect(zh('bad_request', 'Unknown field foo; remove it')).toBe('输入有误，请检查后重试');
    expect(zh('validation_failed', 'body/phone must match pattern')).toBe('请输入正确的手机号');
  });
});

describe('the shared API client core', () => {
  it('sends the Bearer token, JSON, and a fresh idempotency key on every mutation but none on a read', async () => {
    const ok = () => ({ status: 200, data: { ok: true } });
    const c = client([ok, ok, ok], session(1));
    await c.api.get('/me');
    await c.api.post('/me/needs', { a: 1 });
    await c.api.post('/me/needs', { a: 1 });
    expect(c.sent.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/v1/me',
      'POST /api/v1/me/needs',
      'POST /api/v1/me/needs',
    ]);
    expect(c.sent[0]!.headers).toEqual({ authorization: 'Bearer access-1' });
    expect(c.sent[1]!.headers['content-type']).toBe('application/json');
    expect(c.sent[1]!.body).toBe('{"a":1}');
    const keys = c.sent.slice(1).map((r) => r.headers['idempotency-key']);
    expect(keys[0]).toBeTruthy();
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('sends bytes as they are with their content type (a photo)', async () => {
    const c = client([() => ({ status: 201, data: { id: 'p1' } })], session(1));
    const bytes = new Uint8Array([0xff, 0xd8, 0xff]).buffer;
    expect(await c.api.call('POST', '/needs/photos', bytes, { contentType: 'image/jpeg' })).toEqual(
      { id: 'p1' },
    );
    expect(c.sent[0]!.body).toBe(bytes);
    expect(c.sent[0]!.headers['content-type']).toBe('image/jpeg');
  });

  it('refreshes once on 401 and repeats the call with the new token', async () => {
    const c = client(
      [
        () => ({ status: 401, data: { error: { code: 'unauthenticated', message: 'expired' } } }),
        (r) => {
          expect(JSON.parse(r.body as string)).toEqual({ refreshToken: 'refresh-1' });
          return { status: 200, data: session(2) };
        },
        (r) => {
          expect(r.headers['authorization']).toBe('Bearer access-2');
          return { status: 200, data: [] };
        },
      ],
      session(1),
    );
    expect(await c.api.get('/me/parcels')).toEqual([]);
    expect(c.sent.map((r) => r.url)).toEqual([
      '/api/v1/me/parcels',
      '/api/v1/auth/refresh',
      '/api/v1/me/parcels',
    ]);
    expect(c.session()?.accessToken).toBe('access-2');
  });

  it('ends the session as expired when the refresh is refused, and says so in words', async () => {
    const refused = () => ({ status: 401, data: { error: { code: 'unauthenticated' } } });
    const c = client([refused, refused], session(1));
    await expect(c.api.get('/me')).rejects.toMatchObject({
      status: 401,
      code: 'unauthenticated',
      message: '登录已过期，请重新登录',
    });
    expect(c.session()).toBeNull();
    expect(c.ended).toEqual(['expired']);
  });

  it('turns failures into texts a person can act on', async () => {
    const c = client(
      [
        () => ({
          status: 400,
          data: { error: { code: 'validation_failed', message: 'phone is invalid' } },
        }),
        () => ({
          status: 409,
          data: {
            error: {
              code: 'conflict',
              message: '柜机离线，请到服务馆取件。 The locker is offline.',
            },
          },
        }),
        () => new Error('socket hang up'),
        () => ({ status: 502, data: null }),
      ],
      null,
    );
    await expect(c.api.post('/auth/otp', {})).rejects.toMatchObject({
      message: '请输入正确的手机号',
    });
    await expect(c.api.post('/me/parcels/x/open')).rejects.toMatchObject({
      message: '柜机离线，请到服务馆取件。',
    });
    await expect(c.api.get('/me')).rejects.toMatchObject({ code: 'network', status: 0 });
    await expect(c.api.get('/me')).rejects.toMatchObject({
      code: 'internal',
      message: '系统繁忙，请稍后再试',
    });
  });
});
