/** Types and small helpers the needs screens share (types come from the server's schemas). */
import type { Api } from '../api.ts';
import { API } from '../api.ts';
export {
  ACTION_LABEL,
  type NeedStatus,
  type NeedView,
  type ServiceView,
  type StaffNeedView,
  STATUS_LABEL,
} from './needs-labels.ts';

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
