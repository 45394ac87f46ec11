/**
 * The locker agent's local screen API (same origin as this page, served by the agent on
 * the cabinet, so it works while the cloud is down): status, code entry, the courier's
 * sign-in and deposit, and polling a request the cloud is deciding.
 */

import type {
  ScreenCourier,
  ScreenDepositInput,
  ScreenReply,
  ScreenRequestState as RequestState,
  ScreenStatus,
} from '../../../src/contract/screen-wire.ts';

export type { RequestState, ScreenCourier, ScreenDepositInput, ScreenReply, ScreenStatus };

async function post(path: string, body: unknown): Promise<ScreenReply> {
  const r = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await r.json()) as ScreenReply;
}

/** Where the cabinet stands, online state and the keypad's throttle. */
export async function status(): Promise<ScreenStatus> {
  return (await fetch('/api/status')).json() as Promise<ScreenStatus>;
}

/** The QR text for app pickup, refreshed by the agent; null until the agent offers it. */
export async function qr(): Promise<{ text: string; expiresAt?: string } | null> {
  const r = await fetch('/api/qr').catch(() => null);
  const body = r && r.ok ? ((await r.json()) as { text: string | null; expiresAt?: string }) : null;
  return body?.text
    ? { text: body.text, ...(body.expiresAt ? { expiresAt: body.expiresAt } : {}) }
    : null;
}

/** Enter a code; follows the cloud's decision when the agent passed it on. */
export async function enterCode(code: string): Promise<ScreenReply | RequestState> {
  return follow(await post('/api/code', { code }));
}

/** Who is signed in for deposits (ADR 0018). */
export async function courier(): Promise<ScreenCourier> {
  return (await fetch('/api/courier')).json() as Promise<ScreenCourier>;
}

/** Sign the courier out on this screen. */
export async function signOut(): Promise<void> {
  await fetch('/api/courier/logout', { method: 'POST' });
}

/** A signed-in courier's deposit; follows the cloud's decision. */
export async function requestDeposit(
  input: ScreenDepositInput,
): Promise<ScreenReply | RequestState> {
  return follow(await post('/api/deposit', input));
}

async function follow(reply: ScreenReply): Promise<ScreenReply | RequestState> {
  if (reply.result !== 'sent') return reply;
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 300));
    const r = await fetch(`/api/requests/${reply.requestId}`)
      .then((x) =>
        x.ok ? (x.json() as Promise<RequestState>) : ({ state: 'expired' } as RequestState),
      )
      .catch(() => ({ state: 'pending' }) as RequestState);
    if (r.state !== 'pending') return r;
  }
  return { state: 'expired' };
}
