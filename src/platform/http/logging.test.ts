/**
 * Issue 13, finding 4: the access log kept a staff search by phone (`?q=13800000001`) in
 * clear. The request serializer now redacts every query value that is not known harmless and
 * masks phones written into paths; this reads the real log output of a real app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedWorld, type World } from '../../../test/factories.ts';
import { CapturingSms, openTestDatabase, TEST_ENV } from '../../../test/harness.ts';
import { buildApp, type BuiltApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { ManualClock } from '../clock.ts';
import { redactUrl } from './logging.ts';

describe('redactUrl', () => {
  it('redacts query values except known harmless ones, and masks phones in paths', () => {
    expect(redactUrl('/api/v1/communities/c1/parcels?q=13800000001&limit=20')).toBe(
      '/api/v1/communities/c1/parcels?q=[redacted]&limit=20',
    );
    expect(redactUrl('/api/v1/dev/sms?phone=%2B86%20138%200000%200002')).toBe(
      '/api/v1/dev/sms?phone=[redacted]',
    );
    expect(redactUrl('/x?status=stored&role=resident&name=%E5%BC%A0%E4%B8%89&flag')).toBe(
      '/x?status=stored&role=resident&name=[redacted]&flag',
    );
    expect(redactUrl('/x?limit=13800000001')).toBe('/x?limit=[redacted]');
    expect(redactUrl('/api/v1/users/13800000003/grants')).toBe('/api/v1/users/[phone]/grants');
    expect(redactUrl('/api/v1/users/+86-138-0000-0003')).toBe('/api/v1/users/[phone]');
    // Ids that merely contain digits stay readable.
    expect(redactUrl('/api/v1/parcels/0190f5c2-dead-7000-8000-00000000beef')).toBe(
      '/api/v1/parcels/0190f5c2-dead-7000-8000-00000000beef',
    );
  });
});

describe('the access log on a real app', () => {
  const lines: string[] = [];
  let h: DatabaseHandle;
  let built: BuiltApp;
  let w: World;
  beforeAll(async () => {
    h = await openTestDatabase('sqlite');
    const config = loadConfig({ ...TEST_ENV, LOG_LEVEL: 'info' }, {});
    const clock = new ManualClock();
    const sms = new CapturingSms();
    built = await buildApp({
      config,
      database: h,
      clock,
      sms,
      logStream: { write: (l) => void lines.push(l) },
    });
    await built.app.ready();
    w = await seedWorld({
      ...built,
      database: h,
      clock,
      sms,
      dialect: 'sqlite',
      close: async () => {},
    });
  });
  afterAll(async () => {
    await built?.app.close();
    await h?.destroy();
  });

  it('logs no phone digits for searches by phone in a query, a phone in a path or a body', async () => {
    const headers = { authorization: `Bearer ${w.users.communityWorker1.token}` };
    // The staff search moved its phone into a POST body; an old client (or anyone) may still put one in a query.
    await built.app.inject({
      method: 'GET',
      url: `/api/v1/communities/${w.community1}/parcels?q=13800000001&limit=5`,
      headers,
    });
    await built.app.inject({
      method: 'GET',
      url: '/api/v1/users?role=resident&q=13800000001',
      headers,
    });
    await built.app.inject({
      method: 'POST',
      url: `/api/v1/communities/${w.community1}/parcels/search`,
      headers,
      payload: { q: '13800000001' },
    });
    await built.app.inject({
      method: 'GET',
      url: '/api/v1/dev/sms?phone=138%200000%200002',
      headers,
    });
    await built.app.inject({ method: 'GET', url: '/api/v1/users/13800000003', headers });
    await built.app.inject({
      method: 'POST',
      url: '/api/v1/users/lookup',
      headers,
      payload: { phone: '13800000004' },
    });
    const log = lines.join('');
    expect(log).toContain('"url":"/api/v1/communities/');
    expect(log).toContain('parcels?q=[redacted]&limit=5"');
    expect(log).toContain('"url":"/api/v1/users/[phone]"');
    expect(log).toContain(
      '"url":"/api/v1/users?role=resident&q=[redacted]","route":"/api/v1/users"',
    );
    // No phone in any form: whole, split by encoded spaces, or its last eight digits as a run of their own.
    expect(log).not.toMatch(/1380000000[1-4]/);
    expect(log).not.toMatch(/138(%20| )0000/);
    expect(log).not.toMatch(/(?<![\d.])0000000[1-4](?!\d)/);
  });
});
