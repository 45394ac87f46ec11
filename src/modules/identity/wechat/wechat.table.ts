/**
 * WeChat sign-in and subscribe messages (issue 20, ADR 0033). An openid belongs to at most
 * one account and an account to at most one openid; the pair is only written after the
 * resident proved their phone (getPhoneNumber or an SMS code).
 */

export interface WechatAccountTable {
  /** The user's id inside our mini-program (code2session's openid). */
  openid: string;
  unionid: string | null;
  user_id: string;
  created_at: string;
}

/** Every wx.login code once: a replayed code is refused even if the provider would take it. */
export interface WechatLoginCodeTable {
  /** SHA-256 of the code (the code itself is a short-lived credential). */
  code_hash: string;
  used_at: string;
}

/** A signed-in openid with no account yet: proves the openid for the phone check that follows. */
export interface WechatBindTokenTable {
  token_hash: string;
  openid: string;
  unionid: string | null;
  expires_at: string;
  consumed_at: string | null;
  created_at: string;
}

/** One-time subscribe-message grants left per topic (each wx.requestSubscribeMessage accept adds one). */
export interface WechatSubscriptionTable {
  user_id: string;
  topic: string;
  remaining: number;
  updated_at: string;
}

export interface WechatTables {
  wechat_accounts: WechatAccountTable;
  wechat_login_codes: WechatLoginCodeTable;
  wechat_bind_tokens: WechatBindTokenTable;
  wechat_subscriptions: WechatSubscriptionTable;
}
