/**
 * Subscribe messages (订阅消息) as a notification channel (ADR 0033). WeChat's one-time
 * subscriptions allow one message per accept; we count the accepts per topic and take one
 * before each send. The client reports what wx.requestSubscribeMessage returned; a false
 * report only costs a refused send, after which the resident gets the SMS instead.
 */
import { iso } from '../../../platform/clock.ts';
import type { Phone } from '../../../platform/crypto/phone.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { AppError } from '../../../platform/errors.ts';
import {
  WECHAT_TOPICS,
  wechatGateway,
  type WechatTopic,
} from '../../../platform/wechat/wechat.port.ts';
import { findUserById } from '../user.repository.ts';
import * as repo from './wechat.repository.ts';

/** Grants kept per topic at most (a resident who taps "accept" every day does not bank years of messages). */
export const GRANT_CAP = 50;

export type SubscribeChoice = 'accept' | 'reject' | 'ban' | 'filter';

export interface TemplateGrants {
  templates: { topic: WechatTopic; templateId: string; remaining: number }[];
}

/** The topics, their template ids and the grants a resident has left. */
export async function mySubscriptions(deps: AppDeps, userId: string): Promise<TemplateGrants> {
  const g = wechatGateway(deps.config);
  const left = await repo.grantsOf(deps.db, userId);
  return {
    templates: g
      ? WECHAT_TOPICS.map((topic) => ({
          topic,
          templateId: g.templates[topic],
          remaining: left.get(topic) ?? 0,
        }))
      : [],
  };
}

/** Record what wx.requestSubscribeMessage returned: each accept adds one grant to its topic. */
export async function recordSubscriptions(
  deps: AppDeps,
  userId: string,
  results: Record<string, string>,
): Promise<TemplateGrants> {
  const g = wechatGateway(deps.config);
  if (!g)
    throw new AppError(
      'unavailable',
      'WeChat subscribe messages are not configured on this server.',
    );
  const byTemplate = new Map(WECHAT_TOPICS.map((t) => [g.templates[t], t]));
  const accepted: WechatTopic[] = [];
  for (const [templateId, choice] of Object.entries(results)) {
    if (templateId === 'errMsg') continue; // wx.requestSubscribeMessage's own status line
    const topic = byTemplate.get(templateId);
    if (!topic)
      throw new AppError(
        'validation_failed',
        `Unknown template id "${templateId.slice(0, 64)}"; ask GET /me/wechat/subscriptions for this server's template ids.`,
      );
    if (!['accept', 'reject', 'ban', 'filter'].includes(choice))
      throw new AppError(
        'validation_failed',
        `Template ${templateId}: expected accept, reject, ban or filter, got "${choice.slice(0, 20)}".`,
      );
    if (choice === 'accept') accepted.push(topic);
  }
  const at = iso(deps.clock.now());
  await deps.db.transaction().execute(async (trx) => {
    for (const topic of accepted)
      await repo.addGrants(trx, { userId, topic, n: 1, cap: GRANT_CAP, at });
  });
  return mySubscriptions(deps, userId);
}

/** A message for a resident: the SMS text, and the subscribe message's page and fields. */
export interface ResidentMessage {
  topic: WechatTopic;
  sms: string;
  wechat: { page: string; data: Record<string, { value: string }> };
}

/**
 * Tell a resident through WeChat when they have a grant left for the topic (taking exactly
 * one), else by SMS to `smsTo` (or their account's phone). A refused WeChat send falls back
 * to SMS; the grant stays used (WeChat refuses mostly because it is gone). 'none' when
 * neither channel is possible.
 */
export async function notifyResident(
  deps: AppDeps,
  userId: string | null,
  message: ResidentMessage,
  smsTo?: Phone | null,
): Promise<'wechat' | 'sms' | 'none'> {
  const g = wechatGateway(deps.config);
  if (g && userId) {
    const bound = await repo.accountOfUser(deps.db, userId);
    if (bound && (await repo.takeGrant(deps.db, userId, message.topic, iso(deps.clock.now())))) {
      try {
        await g.send({
          openid: bound.openid,
          topic: message.topic,
          templateId: g.templates[message.topic],
          ...message.wechat,
        });
        return 'wechat';
      } catch {
        // Fall through to SMS: the resident must still hear about it.
      }
    }
  }
  let to = smsTo ?? null;
  if (!to && userId) {
    const u = await findUserById(deps.db, userId);
    to = u?.phone_cipher ? (deps.vault.decrypt(u.phone_cipher) as Phone) : null;
  }
  if (!to) return 'none';
  await deps.sms.send(to, message.sms);
  return 'sms';
}
