/** The key a locker's screen signs its pickup QR codes with, derived per locker from the cloud's secret. */
import { createHmac } from 'node:crypto';
import type { Config } from '../../../config.ts';

/** The key a locker's screen QR is signed with (sent to the locker in every sync). */
export function screenKeyFor(config: Pick<Config, 'secrets'>, lockerId: string): string {
  return createHmac('sha256', config.secrets.tokenKey)
    .update(`screen-qr:v1:${lockerId}`)
    .digest('base64url');
}
