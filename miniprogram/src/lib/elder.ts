/**
 * Elder mode (长辈模式): bigger type and buttons on every page. The account's setting
 * (GET/PUT /me/settings, the same one the web app uses), mirrored in wx storage so a page
 * can style itself before the server answers.
 */
import { api } from './api.ts';

const KEY = 'antnest.elder';

/** Whether elder mode is on (the last known value). */
export function elder(): boolean {
  return wx.getStorageSync(KEY) === true;
}

/** Read the account's setting into storage. */
export async function syncElder(): Promise<boolean> {
  const s = await api.get<{ elderMode: boolean }>('/me/settings');
  wx.setStorageSync(KEY, s.elderMode === true);
  return s.elderMode === true;
}

/** Turn elder mode on or off for this account. */
export async function setElder(on: boolean): Promise<void> {
  await api.put('/me/settings', { elderMode: on });
  wx.setStorageSync(KEY, on);
}
