/**
 * The rotating pickup QR the screen shows (contract/screen-qr.ts): made from the screen
 * key the cloud sent in the last `sync`. Without a key yet (a new locker that never
 * synced) or while offline there is no QR; keypad pickup works regardless.
 */
import { screenQrText } from '../../contract/index.ts';
import type { AgentContext } from '../context.ts';

/** Where the agent keeps the screen key (store meta). */
export const SCREEN_KEY_META = 'screenKey';
/** Where the agent keeps the place name the cloud sent for the screen header (store meta). */
export const PLACE_META = 'place';

/**
 * The QR text to show now, or null until the cloud has sent a screen key — and null while
 * offline: both uses of this QR (app pickup, the courier's sign-in) go through the cloud.
 */
export function screenQrPayload(
  ctx: Pick<AgentContext, 'store' | 'clock' | 'lockerId' | 'link'>,
): string | null {
  if (!ctx.link.connected()) return null;
  const key = ctx.store.getMeta<string>(SCREEN_KEY_META);
  return key ? screenQrText(Buffer.from(key, 'base64url'), ctx.lockerId, ctx.clock.now()) : null;
}

/** The place name for the screen header, or null until the cloud has sent one. */
export function screenPlace(ctx: Pick<AgentContext, 'store'>): string | null {
  return ctx.store.getMeta<string>(PLACE_META) ?? null;
}
