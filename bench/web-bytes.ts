/**
 * What each web app costs to download: gzip-9 sizes of the first-load JS and CSS in
 * web/dist, and the bytes the running node really sends (br and gzip) against the issue-12
 * budgets.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { r3 } from './stats.ts';

/** The built web apps. */
export const DIST = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../web/dist');

/** Gzipped and raw bytes of the JS an app's index.html loads up front. */
export function appBundles(dist = DIST) {
  const out: Record<
    string,
    { files: string[]; rawKiB: number; gzipKiB: number; cssGzipKiB: number }
  > = {};
  for (const app of fs.readdirSync(dist)) {
    const index = path.join(dist, app, 'index.html');
    if (!fs.existsSync(index)) continue;
    const html = fs.readFileSync(index, 'utf8');
    const refs = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    const files = [...new Set(refs)]
      .map((r) => path.join(dist, r.replace(/^\/app\//, '').replace(/^\//, '')))
      .filter((f) => fs.existsSync(f));
    const size = (f: string) => ({
      raw: fs.statSync(f).size,
      gz: zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length,
    });
    const js = files.filter((f) => f.endsWith('.js')).map(size);
    const css = files.filter((f) => f.endsWith('.css')).map(size);
    out[app] = {
      files: files.map((f) => path.relative(dist, f)),
      rawKiB: r3(js.reduce((n, s) => n + s.raw, 0) / 1024),
      gzipKiB: r3(js.reduce((n, s) => n + s.gz, 0) / 1024),
      cssGzipKiB: r3(css.reduce((n, s) => n + s.gz, 0) / 1024),
    };
  }
  return out;
}

/** First-load JavaScript budgets, KB (1024 bytes) on the wire, from issue 12 (web/build-report.ts enforces them at build time). */
export const WIRE_BUDGETS_KB: Record<string, number> = { resident: 150, courier: 150, staff: 300 };

/** GET a URL with a browser's Accept-Encoding; the body's bytes as they crossed the wire (not decoded). */
function rawGet(
  url: string,
  acceptEncoding: string,
): Promise<{ status: number; encoding: string; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            encoding: String(res.headers['content-encoding'] ?? 'identity'),
            bytes: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** Per app: the first-load JS as the server sends it (br and gzip), with the budget verdict. */
export async function wireBytes(baseUrl: string, apps = Object.keys(WIRE_BUDGETS_KB)) {
  const out: Record<
    string,
    {
      files: number;
      brKiB: number;
      gzipKiB: number;
      encodings: string[];
      budgetKiB: number | null;
      withinBudget: boolean | null;
    }
  > = {};
  for (const app of apps) {
    const index = await rawGet(`${baseUrl}/app/${app}/`, 'identity');
    if (index.status !== 200) throw new Error(`GET /app/${app}/ answered ${index.status}`);
    const refs = [
      ...new Set(
        [
          ...index.bytes.toString('utf8').matchAll(/(?:src|href)="(\/app\/assets\/[^"]+\.js)"/g),
        ].map((m) => m[1]!),
      ),
    ];
    let br = 0;
    let gz = 0;
    const encodings = new Set<string>();
    for (const ref of refs) {
      const b = await rawGet(`${baseUrl}${ref}`, 'br, gzip, deflate');
      const g = await rawGet(`${baseUrl}${ref}`, 'gzip, deflate');
      if (b.status !== 200 || g.status !== 200)
        throw new Error(`GET ${ref} answered ${b.status}/${g.status}`);
      encodings.add(b.encoding);
      br += b.bytes.length;
      gz += g.bytes.length;
    }
    const budget = WIRE_BUDGETS_KB[app] ?? null;
    out[app] = {
      files: refs.length,
      brKiB: r3(br / 1024),
      gzipKiB: r3(gz / 1024),
      encodings: [...encodings],
      budgetKiB: budget,
      withinBudget: budget === null ? null : br / 1024 <= budget,
    };
  }
  return out;
}
