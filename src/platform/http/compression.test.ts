/**
 * Light pages (issue 12): text responses are compressed (br for browsers, gzip for the
 * rest), tiny ones are not, the live stream is never compressed or buffered, built
 * assets are sent precompressed with a year's immutable caching and index.html is
 * revalidated on every load.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth } from '../../../test/factories.ts';
import { openTestDatabase, TEST_ENV } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { installCompression } from './compression.ts';
import { webApps } from './static.ts';

describe('compression of API responses', () => {
  const { t, w } = useWorld('sqlite');

  it('sends a JSON route brotli-compressed to a browser and gzip to a gzip-only client', async () => {
    const br = await t.app.inject({
      method: 'GET',
      url: '/docs/json',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['vary']).toMatch(/accept-encoding/i);
    const body = JSON.parse(brotliDecompressSync(br.rawPayload).toString('utf8'));
    expect(body.openapi).toBe('3.1.0');
    expect(br.rawPayload.length).toBeLessThan(JSON.stringify(body).length / 3);

    const gz = await t.app.inject({
      method: 'GET',
      url: '/docs/json',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.rawPayload).toString('utf8')).openapi).toBe('3.1.0');
    const none = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(none.headers['content-encoding']).toBeUndefined();
  });

  it('compresses the metrics page too', async () => {
    const m = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(m.statusCode).toBe(200);
    expect(m.headers['content-type']).toMatch(/^text\/plain/);
    expect(gunzipSync(m.rawPayload).toString('utf8')).toContain('# HELP');
  });

  it('compresses a signed-in API answer over the threshold and leaves a small one alone', async () => {
    const users = await t.app.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: { ...auth(w, 'admin'), 'accept-encoding': 'br' },
    });
    expect(users.statusCode).toBe(200);
    expect(users.headers['content-encoding']).toBe('br');
    expect(
      JSON.parse(brotliDecompressSync(users.rawPayload).toString('utf8')).length,
    ).toBeGreaterThan(3);
    const health = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'accept-encoding': 'br' },
    });
    expect(health.headers['content-encoding']).toBeUndefined();
  });

  it('never compresses or buffers the live stream (text/event-stream)', async () => {
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http
        .get(
          `${base}/api/v1/live`,
          { headers: { ...auth(w, 'residentA'), 'accept-encoding': 'br, gzip' } },
          resolve,
        )
        .on('error', reject);
    });
    try {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(res.headers['content-encoding']).toBeUndefined();
      // The ready frame arrives as plain text at once: nothing holds it back to fill a compression block.
      const first = await new Promise<string>((resolve) =>
        res.once('data', (c: Buffer) => resolve(c.toString('utf8'))),
      );
      expect(first).toContain('event: ready');
    } finally {
      res.destroy();
    }
  });
});

describe('compression and idempotent replays', () => {
  it('a large answer to a POST with an Idempotency-Key is stored before it is compressed, and replays the same', async () => {
    const database = await openTestDatabase('sqlite');
    const { app } = await buildApp({ config: loadConfig(TEST_ENV, {}), database, logger: false });
    let runs = 0;
    const big = { items: Array.from({ length: 200 }, (_, i) => ({ i, text: '蚁巢 antnest' })) };
    app.post('/api/v1/test-big', { config: { access: { public: true } } }, async () => {
      runs++;
      return big;
    });
    await app.ready();
    try {
      const send = () =>
        app.inject({
          method: 'POST',
          url: '/api/v1/test-big',
          payload: {},
          headers: { 'idempotency-key': 'compress-1', 'accept-encoding': 'br' },
        });
      const first = await send();
      expect(first.statusCode).toBe(200);
      expect(first.headers['content-encoding']).toBe('br');
      const again = await send();
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(JSON.parse(brotliDecompressSync(again.rawPayload).toString('utf8'))).toEqual(big);
      expect(runs).toBe(1);
    } finally {
      await app.close();
      await database.destroy();
    }
  });
});

describe('the built web apps', () => {
  let root: string;
  let app: FastifyInstance;
  const js = `export const big = ${JSON.stringify('蚁巢 antnest '.repeat(400))};\n`;
  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'antnest-dist-'));
    mkdirSync(path.join(root, 'assets'));
    mkdirSync(path.join(root, 'resident'));
    writeFileSync(path.join(root, 'assets', 'resident-AbC123.js'), js);
    // What the build writes: a br and a gz beside the file (web/build-report.ts).
    writeFileSync(path.join(root, 'assets', 'resident-AbC123.js.br'), brotliCompressSync(js));
    writeFileSync(path.join(root, 'assets', 'resident-AbC123.js.gz'), gzipSync(js));
    writeFileSync(path.join(root, 'assets', 'plain-XyZ789.css'), `body{color:red}\n`.repeat(200));
    writeFileSync(
      path.join(root, 'resident', 'index.html'),
      `<!doctype html><script type="module" src="/app/assets/resident-AbC123.js"></script>${'<!-- pad -->'.repeat(200)}`,
    );
    app = Fastify();
    await installCompression(app);
    await app.register(webApps, { root });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('sends a hashed asset precompressed, cached for a year and immutable', async () => {
    const r = await app.inject({
      method: 'GET',
      url: '/app/assets/resident-AbC123.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(r.headers['content-type']).toMatch(/javascript/);
    expect(r.rawPayload.equals(brotliCompressSync(js))).toBe(true);
    const gz = await app.inject({
      method: 'GET',
      url: '/app/assets/resident-AbC123.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(js);
  });

  it('compresses an asset with no precompressed file on the fly', async () => {
    const r = await app.inject({
      method: 'GET',
      url: '/app/assets/plain-XyZ789.css',
      headers: { 'accept-encoding': 'br' },
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(r.rawPayload).toString('utf8')).toBe(
      `body{color:red}\n`.repeat(200),
    );
  });

  it('revalidates index.html on every load (a new build shows at once), compressed', async () => {
    for (const url of ['/app/resident/', '/app/resident/parcels/123']) {
      const r = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br' } });
      expect(r.statusCode).toBe(200);
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(r.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(r.rawPayload).toString('utf8')).toContain('resident-AbC123.js');
    }
  });
});
