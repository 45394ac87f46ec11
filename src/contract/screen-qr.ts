/**
 * The rotating pickup QR on the locker screen. The resident's app scans it to prove they
 * stand at this locker now: the QR text carries the locker id, a 30-second window number
 * and an HMAC over both with a per-locker screen key the cloud hands the locker in
 * `sync`. A photo of the QR is worthless a minute later. The key opens nothing by itself:
 * the cloud still opens only the scanner's own parcels.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Seconds per QR window. */
export const SCREEN_QR_WINDOW_SECONDS = 30;
/** Windows either side of the cloud's clock that still count (device clock skew and scan time). */
export const SCREEN_QR_TOLERANCE = 2;
const PREFIX = 'antnest:pickup:v1';
const MAC_CHARS = 22;
const QR_RE = /^antnest:pickup:v1:([a-z0-9][a-z0-9-]{2,63}):(\d{1,12}):([A-Za-z0-9_-]{22})$/;

function mac(key: Buffer, lockerId: string, window: number): string {
  return createHmac('sha256', key)
    .update(`${PREFIX}:${lockerId}:${window}`)
    .digest('base64url')
    .slice(0, MAC_CHARS);
}

/** The QR text a locker shows at `nowMs`. */
export function screenQrText(key: Buffer, lockerId: string, nowMs: number): string {
  const window = Math.floor(nowMs / (SCREEN_QR_WINDOW_SECONDS * 1000));
  return `${PREFIX}:${lockerId}:${window}:${mac(key, lockerId, window)}`;
}

/** The locker id a QR text names, or null when it is not one of ours. */
export function screenQrLocker(text: string): string | null {
  return QR_RE.exec(text.trim())?.[1] ?? null;
}

/** Whether a QR text is genuine for this locker at `nowMs` (within the tolerance). */
export function screenQrValid(key: Buffer, lockerId: string, text: string, nowMs: number): boolean {
  const m = QR_RE.exec(text.trim());
  if (!m || m[1] !== lockerId) return false;
  const window = Number(m[2]);
  const current = Math.floor(nowMs / (SCREEN_QR_WINDOW_SECONDS * 1000));
  if (Math.abs(window - current) > SCREEN_QR_TOLERANCE) return false;
  return timingSafeEqual(Buffer.from(mac(key, lockerId, window)), Buffer.from(m[3]!));
}
