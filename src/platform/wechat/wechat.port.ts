/**
 * The WeChat seam (ADR 0033, docs/wechat.md): sign-in (code2session), the phone a resident
 * proves with getPhoneNumber, and one-time subscribe messages. The server alone talks to
 * WeChat; the AppSecret and the access token never leave it and never reach a log.
 *
 * A real adapter calls `GET https://api.weixin.qq.com/sns/jscode2session` (appid, secret,
 * js_code, grant_type=authorization_code), `POST /wxa/business/getuserphonenumber` and
 * `POST /cgi-bin/message/subscribe/send` with a cached access token; the local one (the
 * demo and the tests) accepts demo codes and records what it would send.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import type { Config } from '../../config.ts';
import { AppError } from '../errors.ts';

/** The subscribe-message topics a resident may opt in to, one template each. */
export const WECHAT_TOPICS = [
  'parcel_arrived',
  'overdue_reminder',
  'order_ready',
  'need_replied',
] as const;
export type WechatTopic = (typeof WECHAT_TOPICS)[number];

/** Who a login code belongs to. */
export interface WechatIdentity {
  openid: string;
  unionid: string | null;
}

/** One subscribe message: a template, the page it opens and its fields (WeChat caps each value). */
export interface SubscribeMessage {
  openid: string;
  topic: WechatTopic;
  templateId: string;
  page: string;
  data: Record<string, { value: string }>;
}

export interface WechatGateway {
  readonly name: string;
  /** The template id of each topic (set per mini-program in the WeChat console). */
  readonly templates: Readonly<Record<WechatTopic, string>>;
  /** Exchange a wx.login code; throws AppError('unauthenticated') for a forged or used code. */
  code2session(code: string): Promise<WechatIdentity>;
  /** The phone a getPhoneNumber code proves (11 digits); throws AppError('unauthenticated') when WeChat refuses it. */
  phoneNumber(phoneCode: string): Promise<string>;
  /** Send one subscribe message; throws when WeChat refuses it (no grant left, blocked). */
  send(message: SubscribeMessage): Promise<void>;
}

/**
 * The local WeChat adapter (demo and tests). Login codes are `demo:<name>`: the openid is
 * a keyed hash of the name, so the same name is the same WeChat user across restarts of
 * one data directory. getPhoneNumber codes are `demo-phone:<11 digits>`. Subscribe
 * messages land in an in-memory inbox that GET /api/v1/dev/wechat shows in demo mode.
 * It must never run where real residents sign in: anyone can type a demo code.
 */
/** A subscribe message the local adapter "sent". */
export interface WechatInboxMessage extends SubscribeMessage {
  sentAt: string;
}

const forged = () =>
  new AppError(
    'unauthenticated',
    '微信登录凭证无效，请重新打开小程序。 The WeChat login code is not valid; call wx.login again for a fresh code.',
  );

/** Demo names: letters, digits, _ and -, up to 32; an optional nonce after a second colon. */
const DEMO_CODE = /^demo:([A-Za-z0-9_-]{1,32})(?::[A-Za-z0-9_-]{1,64})?$/;
const DEMO_PHONE = /^demo-phone:(1[3-9]\d{9})$/;

export class LocalWechatGateway implements WechatGateway {
  readonly name = 'local';
  readonly templates: Readonly<Record<WechatTopic, string>> = Object.freeze(
    Object.fromEntries(WECHAT_TOPICS.map((t) => [t, `local-${t}`])) as Record<WechatTopic, string>,
  );
  private readonly key: Buffer;
  private readonly messages: WechatInboxMessage[] = [];
  /** Sends to these openids fail, as WeChat answers 43101 when a grant is gone (tests). */
  readonly refuse = new Set<string>();

  constructor(
    secret: Buffer,
    private readonly capacity = 500,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'antnest/wechat-local', 32));
  }

  async code2session(code: string): Promise<WechatIdentity> {
    const m = DEMO_CODE.exec(code);
    if (!m) throw forged();
    const h = createHmac('sha256', this.key).update(`openid:${m[1]}`).digest('base64url');
    return { openid: `o-local-${h.slice(0, 22)}`, unionid: null };
  }

  async phoneNumber(phoneCode: string): Promise<string> {
    const m = DEMO_PHONE.exec(phoneCode);
    if (!m)
      throw new AppError(
        'unauthenticated',
        '手机号授权凭证无效，请重新授权。 The getPhoneNumber code is not valid; ask the resident to tap the phone button again.',
      );
    return m[1]!;
  }

  async send(message: SubscribeMessage): Promise<void> {
    if (this.refuse.has(message.openid))
      throw new Error('43101: user refuse to accept the msg (local adapter)');
    this.messages.push({ ...message, sentAt: new Date().toISOString() });
    if (this.messages.length > this.capacity) this.messages.shift();
  }

  /** What was "sent", newest first; to one openid or all. */
  inbox(openid?: string): WechatInboxMessage[] {
    return this.messages.filter((m) => !openid || m.openid === openid).reverse();
  }
}

const gateways = new WeakMap<Config, WechatGateway | null>();

/** The configured gateway: the local one in demo mode or with WECHAT_PROVIDER=local; null when WeChat is off. */
export function wechatGateway(config: Config): WechatGateway | null {
  let g = gateways.get(config);
  if (g === undefined) {
    g = config.wechatProvider === 'local' ? new LocalWechatGateway(config.secrets.tokenKey) : null;
    gateways.set(config, g);
  }
  return g;
}
