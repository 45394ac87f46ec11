/** Display helpers: times in Asia/Shanghai whatever the device's zone; the phone rule. */
import { parsePhone } from '../../src/kernel/phone.ts';

const fmt = (opts: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, ...opts });
const dateTime = fmt({ month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
const timeOnly = fmt({ hour: '2-digit', minute: '2-digit' });

/** "11/26 14:05" in Beijing time; "—" for null. */
export function when(isoTime: string | null | undefined): string {
  return isoTime ? dateTime.format(new Date(isoTime)) : '—';
}

/** "14:05" in Beijing time. */
export function clock(isoTime: string | null | undefined): string {
  return isoTime ? timeOnly.format(new Date(isoTime)) : '—';
}

/**
 * Mainland mobile number check: the server's own rule (src/kernel/phone.ts, pure, no Node), so
 * the apps accept exactly what the API accepts (+86, spaces and dashes allowed). A binding of
 * this module rather than a re-export, so the bundler keeps the rule in this module's chunk.
 */
export const normalizePhone = parsePhone;

/** The resident's delivery preference choices (the server's DELIVERY_MODES), with their labels (t() keys). */
export const DELIVERY_MODE_OPTIONS = [
  { value: 'locker', label: '放楼下智能柜' },
  { value: 'ask_first', label: '每次先问我' },
  { value: 'door', label: '送货上门' },
  { value: 'hall', label: '放服务馆' },
] as const;
