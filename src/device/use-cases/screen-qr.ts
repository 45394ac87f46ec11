/**
 * The rotating pickup QR the screen shows (contract/screen-qr.ts): made from the screen
 * key the cloud sent in the last `sync`. Without a key yet (a new locker that never
 * synced) there is no QR; keypad pickup works regardless.
 */
import { screenQrText } from '../../contract/index.ts';
import type { AgentContext } from '../context.ts';

/** Where the agent keeps the screen key (store meta). */
export const SCREEN_KEY_META = 'screenKey';

/** The QR text to show now, or null until the cloud has sent a screen key. */
export function screenQrPayload(ctx: Pick<AgentContext, 'store' | 'clock' | 'lockerId'>): string | null {
  const key = ctx.store.getMeta<string>(SCREEN_KEY_META);
  return key ? screenQrText(Buffer.from(key, 'base64url'), ctx.lockerId, ctx.clock.now()) : null;
}
