/**
 * The locker's touchscreen: the kiosk web app (web/dist/kiosk, built by
 * `npm run build:web`) or, when it is not built, the plain page, plus a tiny JSON API
 * on a local port (node:http; the kiosk browser on the cabinet is the only client, so it
 * binds to 127.0.0.1 by default). Everything is local: the screen works with the cloud down.
 *   GET  /                    the kiosk app (or the plain page)
 *   GET  /basic               the plain page (no JavaScript framework; fallback)
 *   GET  /app/assets/*        the kiosk app's hashed assets
 *   GET  /api/status          ScreenStatus: { lockerId, place, online, keypad }
 *   GET  /api/qr              { text } for app pickup and courier sign-in ({ text: null } until
 *                             the agent provides one, and while offline: both need the cloud)
 *   POST /api/code            { code } → ScreenReply
 *   GET  /api/courier         → ScreenCourier (who is signed in for deposits, ADR 0018)
 *   POST /api/courier/logout  → { courier: null }
 *   POST /api/deposit         { waybill, recipientPhone, size } → ScreenReply
 *   GET  /api/requests/:id    → ScreenRequestState (poll while the cloud decides)
 */
import { readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  ScreenCourier,
  ScreenDepositInput,
  ScreenKeypad,
  ScreenReply,
  ScreenRequestState,
  ScreenStatus,
} from '../../contract/screen-wire.ts';
import { SCREEN_PAGE } from './page.ts';

/** What the screen needs from the agent. */
export interface ScreenBackend {
  port: number;
  host: string;
  lockerId: string;
  enterCode(code: string): Promise<ScreenReply>;
  requestDeposit(input: ScreenDepositInput): Promise<ScreenReply>;
  courier(): ScreenCourier;
  signOut(): void;
  request(id: string): ScreenRequestState | undefined;
  online(): boolean;
  /** Where the cabinet stands, for the header (null until the cloud named it). */
  place?(): string | null;
  /** The keypad's throttle now; absent: always open. */
  keypad?(): ScreenKeypad;
  /** The QR text for pickup from the resident app (screenQrPayload, refreshed by the agent); absent until wired. */
  qr?(): { text: string; expiresAt?: string } | null;
}

/** A listening screen server. */
export interface ScreenServer {
  readonly url: string;
  close(): Promise<void>;
}

const MAX_BODY = 1024;

function send(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  type = 'application/json; charset=utf-8',
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {});
      } catch {
        resolve(undefined);
      }
    });
    req.on('error', () => resolve(undefined));
  });
}

const error = (code: string, message: string) => ({ error: { code, message } });

/** The web build the kiosk app comes from. */
const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** The kiosk app's index.html, or null when the web apps are not built. */
function kioskPage(dist: string): string | null {
  try {
    return readFileSync(path.join(dist, 'kiosk', 'index.html'), 'utf8');
  } catch {
    return null;
  }
}

/** Serve one hashed asset of the build (cached for a year), refusing paths outside assets/. */
function sendAsset(res: http.ServerResponse, dist: string, rel: string): void {
  const root = path.join(dist, 'assets');
  const full = path.resolve(root, rel);
  let ok = false;
  try {
    ok = full.startsWith(root + path.sep) && statSync(full).isFile();
  } catch {
    ok = false;
  }
  if (!ok) return send(res, 404, error('not_found', 'Not found.'));
  res.writeHead(200, {
    'content-type': TYPES[path.extname(full)] ?? 'application/octet-stream',
    'cache-control': 'public, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
  });
  res.end(readFileSync(full));
}

/** Start serving the touchscreen. */
export async function startScreenServer(
  b: ScreenBackend & { webDist?: string },
): Promise<ScreenServer> {
  const dist = b.webDist ?? WEB_DIST;
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://screen');
      if (req.method === 'GET' && url.pathname === '/')
        return send(res, 200, kioskPage(dist) ?? SCREEN_PAGE, 'text/html; charset=utf-8');
      if (req.method === 'GET' && url.pathname === '/basic')
        return send(res, 200, SCREEN_PAGE, 'text/html; charset=utf-8');
      if (req.method === 'GET' && url.pathname.startsWith('/app/assets/'))
        return sendAsset(res, dist, decodeURIComponent(url.pathname.slice('/app/assets/'.length)));
      if (req.method === 'GET' && url.pathname === '/api/status') {
        const status: ScreenStatus = {
          lockerId: b.lockerId,
          place: b.place?.() ?? null,
          online: b.online(),
          keypad: b.keypad?.() ?? { state: 'open', retryAfterSeconds: 0, attemptsLeft: 0 },
        };
        return send(res, 200, status);
      }
      if (req.method === 'GET' && url.pathname === '/api/qr')
        return send(res, 200, b.qr?.() ?? { text: null });
      if (req.method === 'POST' && url.pathname === '/api/code') {
        const body = await readJson(req);
        const code = (body as { code?: unknown } | undefined)?.code;
        if (typeof code !== 'string')
          return send(res, 400, error('bad_request', 'Send {"code": "12345678"}.'));
        return send(res, 200, await b.enterCode(code));
      }
      if (req.method === 'GET' && url.pathname === '/api/courier')
        return send(res, 200, b.courier());
      if (req.method === 'POST' && url.pathname === '/api/courier/logout') {
        b.signOut();
        return send(res, 200, { courier: null });
      }
      if (req.method === 'POST' && url.pathname === '/api/deposit') {
        const body = await readJson(req);
        if (!body || typeof body !== 'object')
          return send(
            res,
            400,
            error('bad_request', 'Send {"waybill", "recipientPhone", "size"}.'),
          );
        const { waybill, recipientPhone, size } = body as Record<string, unknown>;
        return send(
          res,
          200,
          await b.requestDeposit({
            waybill: String(waybill ?? ''),
            recipientPhone: String(recipientPhone ?? ''),
            size: String(size ?? '') as ScreenDepositInput['size'],
          }),
        );
      }
      const m = /^\/api\/requests\/([A-Za-z0-9._:-]{8,64})$/.exec(url.pathname);
      if (req.method === 'GET' && m) {
        const state = b.request(m[1]!);
        return state
          ? send(res, 200, state)
          : send(
              res,
              404,
              error('not_found', 'No such request (they are forgotten after a few minutes).'),
            );
      }
      return send(res, 404, error('not_found', 'Not found.'));
    })().catch(() => send(res, 500, error('internal', 'The screen service failed; please retry.')));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(b.port, b.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${b.host}:${addr.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
