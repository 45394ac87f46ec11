/**
 * The locker agent's local screen API (same origin as this page, served by the agent on
 * the cabinet, so it works while the cloud is down): status, code entry, deposit, and
 * polling a request the cloud is deciding.
 */

import type { ScreenReply, ScreenRequestState as RequestState } from '../../../src/device/screen/screen-wire.ts';

export type { RequestState, ScreenReply };

async function post(path: string, body: unknown): Promise<ScreenReply> {
  const r = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await r.json()) as ScreenReply;
}

/** Online state and locker id. */
export async function status(): Promise<{ lockerId: string; online: boolean }> {
  return (await fetch('/api/status')).json() as Promise<{ lockerId: string; online: boolean }>;
}

/** The QR text for app pickup, refreshed by the agent; null until the agent offers it. */
export async function qr(): Promise<{ text: string; expiresAt?: string } | null> {
  const r = await fetch('/api/qr').catch(() => null);
  const body = r && r.ok ? ((await r.json()) as { text: string | null; expiresAt?: string }) : null;
  return body?.text ? { text: body.text, ...(body.expiresAt ? { expiresAt: body.expiresAt } : {}) } : null;
}

/** Enter a code; follows the cloud's decision when the agent passed it on. */
export async function enterCode(code: string): Promise<ScreenReply | RequestState> {
  return follow(await post('/api/code', { code }));
}

/** The courier's deposit button. */
export async function requestDeposit(): Promise<ScreenReply | RequestState> {
  return follow(await post('/api/deposit', {}));
}

async function follow(reply: ScreenReply): Promise<ScreenReply | RequestState> {
  if (reply.result !== 'sent') return reply;
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 300));
    const r = await fetch(`/api/requests/${reply.requestId}`).then((x) => (x.ok ? (x.json() as Promise<RequestState>) : ({ state: 'expired' } as RequestState))).catch(() => ({ state: 'pending' }) as RequestState);
    if (r.state !== 'pending') return r;
  }
  return { state: 'expired' };
}
