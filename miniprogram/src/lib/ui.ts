/** Small wx UI helpers the pages share. */
import { t } from './i18n.ts';

/** A short toast; `fail` shows the message with no icon so long texts are not cut. */
export function toast(title: string, kind: 'success' | 'fail' = 'success'): void {
  wx.showToast({ title, icon: kind === 'success' ? 'success' : 'none', duration: 2500 });
}

/** Ask before doing something; resolves true when confirmed. */
export function confirm(content: string, confirmText = t('确定')): Promise<boolean> {
  return new Promise((resolve) =>
    wx.showModal({
      content,
      confirmText,
      cancelText: t('取消'),
      success: (r) => resolve(r.confirm),
      fail: () => resolve(false),
    }),
  );
}

/** Yuan from fen, "12.50". */
export function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

/** The next `n` calendar days in Beijing time, "2026-12-05" first (the hall's day pickers). */
export function nextDays(n = 7): string[] {
  return Array.from({ length: n }, (_, i) =>
    new Date(Date.now() + 8 * 3_600_000 + i * 86_400_000).toISOString().slice(0, 10),
  );
}
