/** Serving the built web apps: SPA fallback, cache headers, no path escapes, a clear page before the build. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { webApps } from './static.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-web-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function app() {
  const a = Fastify();
  await a.register(webApps, { root });
  return a;
}

describe('web apps', () => {
  it('explains the missing build instead of a blank page', async () => {
    const a = await app();
    const r = await a.inject('/app/resident/');
    expect(r.statusCode).toBe(503);
    expect(r.body).toContain('npm run build:web');
    expect((await a.inject('/')).body).toContain('/app/resident/');
    await a.close();
  });

  it('links the locker screens it is given on the start page, escaped', async () => {
    const a = Fastify();
    const links = [{ href: 'http://127.0.0.1:4100/', title: '清淳家园 1栋1单元门口 <柜机>' }];
    await a.register(webApps, { root, startLinks: () => links });
    const body = (await a.inject('/')).body;
    expect(body).toContain('href="http://127.0.0.1:4100/"');
    expect(body).toContain('清淳家园 1栋1单元门口 &#60;柜机&#62;');
    await a.close();
  });

  it('serves each app with an SPA fallback, caches hashed assets for a year and refuses escapes', async () => {
    for (const name of ['resident', 'courier', 'staff', 'kiosk']) {
      fs.mkdirSync(path.join(root, name), { recursive: true });
      fs.writeFileSync(path.join(root, name, 'index.html'), `<html>${name}</html>`);
    }
    fs.writeFileSync(path.join(root, 'resident', 'manifest.webmanifest'), '{}');
    fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(root, 'assets', 'app-abc123.js'), 'console.log(1)');
    const a = await app();
    const deep = await a.inject('/app/resident/parcels/123');
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toBe('<html>resident</html>');
    expect(deep.headers['cache-control']).toBe('no-cache');
    expect((await a.inject('/app/resident/manifest.webmanifest')).body).toBe('{}');
    expect((await a.inject('/app/staff')).headers.location).toBe('/app/staff/');
    expect((await a.inject('/app/unknown/')).statusCode).toBe(404);
    const asset = await a.inject('/app/assets/app-abc123.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await a.inject('/app/assets/..%2F..%2Fetc%2Fpasswd')).statusCode).toBe(404);
    expect((await a.inject('/app/resident/..%2F..%2Fetc%2Fpasswd')).body).toBe(
      '<html>resident</html>',
    );
    await a.close();
  });
});
