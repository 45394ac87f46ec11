/**
 * Serves the built web apps (web/dist, made by `npm run build:web`) at /app/{resident,
 * courier, staff, kiosk}/ with an SPA fallback: any path inside an app that is not a file
 * gets the app's index.html. Hashed assets under /app/assets/ are cached for a year
 * (immutable); the HTML and the service worker are revalidated on every load, so a new
 * build shows on the next load. The build writes .br and .gz beside each text file; they
 * are sent as they are (`preCompressed`) instead of compressing on every request.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where `npm run build:web` writes the apps. */
export const WEB_DIST = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../web/dist',
);

/** The apps the build produces, in the order the index page lists them. */
export const WEB_APPS = [
  { name: 'resident', title: '居民 · 我的快递' },
  { name: 'courier', title: '快递员 · 投递' },
  { name: 'staff', title: '管理后台 · 智能柜与告警' },
  // The locker screen is served by each locker's agent (it must work with the cloud down); listed here for the build only.
  { name: 'kiosk', title: '柜机屏幕' },
  { name: 'hall-kiosk', title: '服务馆自助机 · 社保查询、网格员、活动' },
] as const;

const NOT_BUILT = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>antnest</title>
<p>网页应用尚未构建。请运行 <code>npm run build:web</code>（npm start 会自动构建）。</p>
<p>The web apps are not built yet: run <code>npm run build:web</code>.</p></html>`;

/** An extra link on the start page (the demo's locker screens, which live on their own ports). */
export interface StartLink {
  href: string;
  title: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function indexPage(extra: readonly StartLink[]): string {
  const links = WEB_APPS.filter((a) => a.name !== 'kiosk')
    .map((a) => `<li><a href="/app/${a.name}/">${a.title}</a></li>`)
    .join('');
  const screens = extra.length
    ? `<h2>柜机屏幕 Locker screens</h2><ul>${extra.map((l) => `<li><a href="${escapeHtml(l.href)}" data-testid="screen-link">${escapeHtml(l.title)}</a></li>`).join('')}</ul>`
    : '';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>蚁巢 antnest</title>
<style>body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;max-width:560px;margin:10vh auto;padding:0 20px;line-height:1.7}a{color:#0a7a5a;font-size:1.15em}</style></head>
<body><h1>蚁巢 antnest</h1><ul>${links}</ul>${screens}<p><a href="/docs">API 文档 (OpenAPI)</a></p></body></html>`;
}

/** A file inside `root`, or null when the path escapes it or names no file. */
function fileUnder(root: string, rel: string): string | null {
  const full = path.resolve(root, rel);
  if (!full.startsWith(root + path.sep)) return null;
  try {
    return statSync(full).isFile() ? path.relative(root, full) : null;
  } catch {
    return null;
  }
}

/** Register the web app routes (plain routes, so the API's access rules do not apply). */
export async function webApps(
  app: FastifyInstance,
  opts: { root?: string; startLinks?: () => readonly StartLink[] } = {},
): Promise<void> {
  const root = opts.root ?? WEB_DIST;
  await app.register(fastifyStatic, { root, serve: false, preCompressed: true });
  const names = new Set<string>(WEB_APPS.map((a) => a.name));
  const built = () => existsSync(path.join(root, 'resident', 'index.html'));
  const html = (reply: FastifyReply, body: string, status = 200) =>
    reply
      .status(status)
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(body);
  const hide = { schema: { hide: true } };

  app.get('/', hide, async (_req, reply) => html(reply, indexPage(opts.startLinks?.() ?? [])));
  app.get('/app', hide, async (_req, reply) => reply.redirect('/app/resident/'));
  app.get('/app/assets/*', hide, async (req, reply) => {
    const rel = fileUnder(root, `assets/${(req.params as { '*': string })['*']}`);
    if (!rel) return reply.status(404).type('text/plain').send('Not found');
    return reply.sendFile(rel, root, { maxAge: '365d', immutable: true });
  });
  const serveApp = async (name: string, rest: string, reply: FastifyReply) => {
    if (!names.has(name)) return reply.status(404).type('text/plain').send('Not found');
    if (!built()) return html(reply, NOT_BUILT, 503);
    const file = rest ? fileUnder(root, `${name}/${rest}`) : null;
    // Files beside index.html (manifest, icons) are served as they are; every other path is a client-side route.
    if (file)
      return reply
        .sendFile(file, root, { cacheControl: false })
        .header('cache-control', 'no-cache');
    return reply
      .header('cache-control', 'no-cache')
      .sendFile(`${name}/index.html`, root, { cacheControl: false });
  };
  app.get('/app/:name', hide, async (req, reply) =>
    reply.redirect(`/app/${(req.params as { name: string }).name}/`),
  );
  app.get('/app/:name/*', hide, async (req, reply) => {
    const p = req.params as { name: string; '*': string };
    return serveApp(p.name, p['*'], reply);
  });
}

/**
 * `npm start` on a fresh clone: build the web apps in the background when web/dist is
 * missing, so the API (and /healthz) answers at once and /app/ shows a "not built yet"
 * page for the few seconds the build takes. Returns the child process, or null.
 */
export function buildWebAppsIfMissing(
  say: (line: string) => void,
  root = WEB_DIST,
): ChildProcess | null {
  if (existsSync(path.join(root, 'resident', 'index.html'))) return null;
  const repo = path.resolve(root, '../..');
  const vite = path.join(repo, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) {
    say('web apps: not built and Vite is not installed (npm install, then npm run build:web).\n');
    return null;
  }
  const started = Date.now();
  say(
    'web apps: web/dist is missing; building them in the background (npm run build:web, about 10 s)…\n',
  );
  const child = spawn(
    process.execPath,
    [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
    { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // A shutdown mid-build leaves no orphan behind.
  const stop = () => child.kill();
  process.once('exit', stop);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  child.on('exit', (code) => {
    process.off('exit', stop);
    if (code === 0)
      say(
        `web apps: built in ${((Date.now() - started) / 1000).toFixed(1)} s.${output.match(/first-load JavaScript[\s\S]*?\n\n/)?.[0] ? `\n${output.match(/first-load JavaScript[\s\S]*?\n\n/)![0].trimEnd()}` : ''}\n`,
      );
    else if (code !== null)
      say(
        `web apps: the build failed (exit ${code}); run npm run build:web to see why.\n${output.slice(-2000)}\n`,
      );
  });
  return child;
}
