/** Types and small helpers the needs screens share (types come from the server's schemas). */
import type { Api } from '../api.ts';
import { API } from '../api.ts';
import type { NeedView, ServiceView, StaffNeedView } from '../../../src/web-types.ts';

export type { NeedView, ServiceView, StaffNeedView };
export type NeedStatus = NeedView['status'];

/** Status labels (Chinese source; English in en.needs.ts) and tag colours. */
export const STATUS_LABEL: Record<NeedStatus, { text: string; color: string }> = {
  received: { text: '待派单', color: 'default' },
  dispatched: { text: '已派单', color: 'primary' },
  in_progress: { text: '处理中', color: 'primary' },
  replied: { text: '已答复', color: 'success' },
  closed: { text: '已办结', color: 'success' },
  declined: { text: '不予受理', color: 'danger' },
  reopened: { text: '已重新打开', color: 'warning' },
};

/** History actions in words. */
export const ACTION_LABEL: Record<string, string> = {
  received: '已受理',
  dispatched: '已派单',
  accepted: '承办人已接单',
  forwarded: '已转交',
  returned: '已退回社区',
  replied: '已答复',
  closed: '已办结',
  declined: '不予受理',
  visited: '已回访',
  rated: '已评价',
  reopened: '重新打开',
  escalated: '已提醒社区督办',
};

/** Upload one photo (raw image body); resolves to its id. */
export async function uploadPhoto(api: Api, file: Blob): Promise<string> {
  const token = api.sessions.get()?.accessToken;
  const res = await fetch(`${API}/needs/photos`, {
    method: 'POST',
    headers: {
      'content-type': file.type || 'image/jpeg',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: file,
  });
  const data = (await res.json().catch(() => null)) as {
    id?: string;
    error?: { message: string };
  } | null;
  if (!res.ok || !data?.id) throw new Error(data?.error?.message ?? `上传失败（${res.status}）`);
  return data.id;
}

/** An object URL for a photo the caller may see (img tags cannot send the token). */
export async function photoUrl(api: Api, photoId: string): Promise<string> {
  const token = api.sessions.get()?.accessToken;
  const res = await fetch(`${API}/needs/photos/${photoId}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (!res.ok) throw new Error(`photo ${res.status}`);
  return URL.createObjectURL(await res.blob());
}

/** A short local date-time (Asia/Shanghai), e.g. 2026/12/05 13:18. */
export function localTime(iso: string | null): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    hour12: false,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}
