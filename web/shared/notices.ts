/** Shapes and helpers the apps share for notices and activities (types taken from the server's schemas). */
import type { ActivityView, NoticeView, SignupResult } from '../../src/web-types.ts';

export type { ActivityView, NoticeView, SignupResult };

/** Chinese label of the place a notice addresses (translated with t()). */
export const AUDIENCE_LABEL: Record<NoticeView['audience']['kind'], string> = {
  subdistrict: '街道',
  community: '社区',
  compound: '小区',
};

/** "余 3 个名额" / "已满，候补 2 人" for an activity. */
export function seatsText(
  a: ActivityView,
  t: (k: string, v?: Record<string, unknown>) => string,
): string {
  const left = a.capacity - a.confirmed;
  return left > 0 ? t('余 {{n}} 个名额', { n: left }) : t('已满，候补 {{n}} 人', { n: a.waiting });
}
