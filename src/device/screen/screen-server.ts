/**
 * The locker's touchscreen: one static page plus a tiny JSON API on a local port
 * (node:http; the kiosk browser on the cabinet is the only client, so it binds to
 * 127.0.0.1 by default).
 *   GET  /                    the page
 *   GET  /api/status          { lockerId, online }
 *   POST /api/code            { code } → ScreenReply
 *   POST /api/deposit         → ScreenReply
 *   GET  /api/requests/:id    → ScreenRequestState (poll while the cloud decides)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ScreenReply } from '../use-cases/pickup-code.ts';
import type { ScreenRequestState } from '../use-cases/screen-requests.ts';
import { SCREEN_PAGE } from './page.ts';

/** What the screen needs from the agent. */
export interface ScreenBackend {
  port: number;
  host: string;
  lockerId: string;
  enterCode(code: string): Promise<ScreenReply>;
  requestDeposit(): Promise<ScreenReply>;
  request(id: string): ScreenRequestState | undefined;
  online(): boolean;
}

/** A listening screen server. */
export interface ScreenServer {
  readonly url: string;
  close(): Promise<void>;
}

const MAX_BODY = 1024;

function send(res: http.ServerResponse, status: number, body: unknown, type = 'application/json; charset=utf-8'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
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

/** Start serving the touchscreen. */
export async function startScreenServer(b: ScreenBackend): Promise<ScreenServer> {
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://screen');
      if (req.method === 'GET' && url.pathname === '/') return send(res, 200, SCREEN_PAGE, 'text/html; charset=utf-8');
      if (req.method === 'GET' && url.pathname === '/api/status') return send(res, 200, { lockerId: b.lockerId, online: b.online() });
      if (req.method === 'POST' && url.pathname === '/api/code') {
        const body = await readJson(req);
        const code = (body as { code?: unknown } | undefined)?.code;
        if (typeof code !== 'string') return send(res, 400, error('bad_request', 'Send {"code": "12345678"}.'));
        return send(res, 200, await b.enterCode(code));
      }
      if (req.method === 'POST' && url.pathname === '/api/deposit') return send(res, 200, await b.requestDeposit());
      const m = /^\/api\/requests\/([A-Za-z0-9._:-]{8,64})$/.exec(url.pathname);
      if (req.method === 'GET' && m) {
        const state = b.request(m[1]!);
        return state ? send(res, 200, state) : send(res, 404, error('not_found', 'No such request (they are forgotten after a few minutes).'));
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
