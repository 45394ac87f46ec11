/**
 * Server errors as text a person can act on, for any app: the web apps bind it to i18next
 * (messages.ts), the mini-program to its own translator. The server answers in English for
 * developers; the apps show these (Chinese first, translated for English readers).
 */

/** Translate a Chinese source text. */
export type Translate = (key: string) => string;

const CJK = /[\u4e00-\u9fff]/;

/**
 * A bilingual server message ("柜子离线…。X is offline: …") in the reader's language: its
 * Chinese sentences, or the others for English readers; null when it has no Chinese. Such
 * messages name what to do instead (the hall, the other cabinets), which a fixed text cannot.
 */
export function inLanguage(serverMessage: string, lang: 'zh-CN' | 'en'): string | null {
  if (!CJK.test(serverMessage)) return null;
  // Sentences end at 。 or at ". "; an English sentence starts with a Latin letter (names inside may be Chinese).
  const parts = serverMessage
    .split(/(?<=。)|(?<=[.!?])\s+/)
    .map((x) => x.trim())
    .filter(Boolean);
  const zh = parts.filter((x) => CJK.test(x) && !/^[A-Za-z]/.test(x));
  const en = parts.filter((x) => !zh.includes(x));
  const pick = lang === 'en' ? en : zh;
  return pick.length ? pick.join(lang === 'en' ? ' ' : '') : null;
}

const BY_CODE: Record<string, string> = {
  network: '网络连接失败，请检查网络后重试',
  unauthenticated: '登录已过期，请重新登录',
  forbidden: '您的账号没有权限办理此项',
  not_found: '没有找到相关记录',
  conflict: '操作冲突，请刷新后重试',
  idempotency_key_reused: '请求重复，请刷新后重试',
  rate_limited: '操作太频繁，请稍后再试',
  otp_invalid: '验证码不正确或已过期',
  login_failed: '用户名或密码不正确',
  payload_too_large: '内容太长',
  internal: '系统繁忙，请稍后再试',
  unavailable: '服务暂时不可用，请稍后再试',
};

/** The message to show for an error code (the server's English text picks finer cases). */
export function errorText(
  t: Translate,
  lang: 'zh-CN' | 'en',
  code: string,
  status: number,
  serverMessage: string,
  path: string,
): string {
  const m = serverMessage.toLowerCase();
  if (code === 'validation_failed' || code === 'bad_request') {
    if (path.startsWith('/auth/otp/verify')) return t('请输入短信中的 6 位验证码');
    if (m.includes('phone')) return t('请输入正确的手机号');
    if (m.includes('waybill')) return t('运单号为 4–40 位字母或数字');
    if (m.includes('reason')) return t('请填写开门原因（至少 4 个字）');
    // A rule's own bilingual message (an impossible date, a month not over yet) says what to fix.
    return inLanguage(serverMessage, lang) ?? t('输入有误，请检查后重试');
  }
  if (code === 'conflict') {
    const own = inLanguage(serverMessage, lang);
    if (own) return own;
    if (m.includes('free compartment') || m.includes('no free'))
      return t('该柜暂无合适的空闲格口，请换一个柜或尺寸');
    if (m.includes('offline')) return t('柜机离线，请稍后再试');
  }
  if (code === 'forbidden' && m.includes('consent')) return t('收件人未同意投柜，请先征求同意');
  return t(BY_CODE[code] ?? (status >= 500 ? BY_CODE['internal']! : '操作失败，请重试'));
}
