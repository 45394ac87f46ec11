/**
 * What WeChat DevTools checks when it opens the project, checked without it: app.json's pages
 * exist with all four files and are built as components (what miniprogram-simulate renders),
 * sitemap.json and project.config.json are well formed, and the build output is a closed
 * world: every require() resolves to a file inside it (WeChat cannot load anything outside
 * the mini-program root), no Node built-in or browser-only API slipped in through the shared
 * code, and WeChat's WXML compiler (wcc) accepts every page.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMiniprogram } from '../../scripts/build-miniprogram.ts';
import { MINIPROGRAM_PAGES, miniprogramPage } from '../../src/kernel/miniprogram-pages.ts';
import { EN } from '../../web/shared/locales/en.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SRC = path.join(ROOT, 'src');
const json = (p: string) => JSON.parse(fs.readFileSync(p, 'utf8')) as Record<string, any>;
const app = json(path.join(SRC, 'app.json'));
const SERVER = path.resolve(import.meta.dirname, '../../src');
const pages = app['pages'] as string[];

describe('mini-program project files', () => {
  it('lists pages that exist, each a component page with its .ts, .wxml, .wxss and .json', () => {
    expect(pages[0]).toBe('pages/index/index');
    expect(new Set(pages).size).toBe(pages.length);
    for (const p of pages) {
      for (const ext of ['ts', 'wxml', 'wxss', 'json'])
        expect(fs.existsSync(path.join(SRC, `${p}.${ext}`)), `${p}.${ext}`).toBe(true);
      expect(json(path.join(SRC, `${p}.json`))['component'], p).toBe(true);
    }
    // Every page folder is listed (a page left out of app.json cannot be opened).
    const folders = fs.readdirSync(path.join(SRC, 'pages')).map((f) => `pages/${f}/index`);
    expect(folders.sort()).toEqual([...pages].sort());
  });

  it('registers every page a subscribe message from the server opens, and the server names no other', () => {
    for (const page of Object.values(MINIPROGRAM_PAGES)) expect(pages, page).toContain(page);
    expect(miniprogramPage('parcels', 'p-1')).toBe('pages/parcels/index?id=p-1');
    // A page path typed anywhere else on the server would escape this check.
    const typed: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const f = path.join(dir, e.name);
        if (e.isDirectory()) walk(f);
        else if (f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('/kernel/'))
          for (const m of fs.readFileSync(f, 'utf8').matchAll(/['`]pages\/[\w/-]+/g))
            typed.push(`${path.relative(SERVER, f)}: ${m[0]}`);
      }
    };
    walk(SERVER);
    expect(typed).toEqual([]);
  });

  it('has a sitemap that keeps every page out of WeChat search, and the app.json points at it', () => {
    expect(app['sitemapLocation']).toBe('sitemap.json');
    const sitemap = json(path.join(SRC, 'sitemap.json'));
    expect(sitemap['rules']).toEqual([{ action: 'disallow', page: '*' }]);
  });

  it('has a project.config.json that DevTools opens: miniprogram type, dist/ as root, a tourist AppID', () => {
    const cfg = json(path.join(ROOT, 'project.config.json'));
    expect(cfg).toMatchObject({
      compileType: 'miniprogram',
      miniprogramRoot: 'dist/',
      appid: expect.stringMatching(/^(touristappid|wx[0-9a-f]{16})$/),
    });
    expect(cfg['setting']).toMatchObject({ urlCheck: false, es6: true });
  });
});

describe('mini-program strings', () => {
  it('has an English text for every Chinese string in its code (web/shared/locales)', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true }))
        if (e.isDirectory()) walk(path.join(d, e.name));
        else if (e.name.endsWith('.ts')) files.push(path.join(d, e.name));
    };
    walk(SRC);
    const missing = files.flatMap((f) =>
      [...fs.readFileSync(f, 'utf8').matchAll(/'([^'\n]*[\u4e00-\u9fff][^'\n]*)'/g)]
        .map((m) => m[1]!)
        .filter((k) => !(k in EN))
        .map((k) => `${path.relative(SRC, f)}: ${k}`),
    );
    expect(missing).toEqual([]);
  });
});

describe('mini-program build', () => {
  let out: string;
  let files: string[];
  beforeAll(async () => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'antnest-mp-build-'));
    files = await buildMiniprogram({ outDir: out, api: 'https://node.example.cn' });
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('writes every page and the app, with the server address it was given', () => {
    for (const p of pages)
      for (const ext of ['js', 'wxml', 'wxss', 'json']) expect(files).toContain(`${p}.${ext}`);
    for (const f of ['app.js', 'app.json', 'app.wxss', 'sitemap.json', 'lib/index.js'])
      expect(files).toContain(f);
    const lib = fs.readFileSync(path.join(out, 'lib/index.js'), 'utf8');
    expect(lib).toContain('"https://node.example.cn"');
    expect(files.some((f) => f.endsWith('.ts'))).toBe(false);
  });

  it('requires nothing outside its root, no Node built-in and no browser-only API', () => {
    for (const f of files.filter((x) => x.endsWith('.js'))) {
      const code = fs.readFileSync(path.join(out, f), 'utf8');
      for (const [, spec] of code.matchAll(/require\("([^"]+)"\)/g)) {
        expect(spec, `${f} requires ${spec}`).toMatch(/^\.\.?\//);
        const target = path.resolve(path.dirname(path.join(out, f)), spec!);
        expect(target.startsWith(out + path.sep), `${f} → ${spec}`).toBe(true);
        expect(fs.existsSync(target), `${f} → ${spec}`).toBe(true);
      }
      expect(code, f).not.toMatch(/\blocalStorage\b|\bdocument\.\w|\bwindow\.\w|\bfetch\(|"node:/);
    }
  });

  it("compiles every page's WXML with WeChat's own compiler (wcc)", () => {
    const wcc = createRequire(import.meta.url)('miniprogram-compiler') as {
      wxmlToJs(root: string): string;
    };
    const js = wcc.wxmlToJs(out);
    for (const p of pages) expect(js).toContain(`${p}.wxml`);
  });
});
