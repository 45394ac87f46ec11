/** Display helpers: times in Asia/Shanghai whatever the device's zone. */

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

/** Mainland mobile number check, as the server accepts it (+86, spaces and dashes allowed). */
export function normalizePhone(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '').replace(/^\+?86/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}
