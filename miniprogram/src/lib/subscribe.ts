/**
 * Subscribe messages (订阅消息): WeChat lets a mini-program message a user once per tap of
 * consent per template. The server names its templates (parcel arrived, overdue, order
 * ready, request replied); wx.requestSubscribeMessage asks the resident, and its answer goes
 * back as it is (POST /me/wechat/subscriptions). Without consent the server sends SMS.
 */
import { api } from './api.ts';

/** GET /me/wechat/subscriptions: each template with the messages still allowed. */
export interface Subscriptions {
  templates: { topic: string; templateId: string; remaining: number }[];
}

/** Ask for every template (WeChat shows at most 3 at once) and record the answers. */
export async function subscribeAll(): Promise<Subscriptions> {
  const mine = await api.get<Subscriptions>('/me/wechat/subscriptions');
  const ids = mine.templates.map((x) => x.templateId).slice(0, 3);
  if (!ids.length) return mine;
  const results = (await wx.requestSubscribeMessage({
    tmplIds: ids,
  })) as unknown as Record<string, string>;
  return api.post<Subscriptions>('/me/wechat/subscriptions', { results });
}
