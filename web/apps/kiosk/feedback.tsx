/** The big one-line answer the locker screen gives, and what each screen reply says. */
import { useT } from '../../shared/i18n.ts';
import type { RequestState, ScreenReply } from './screen-api.ts';

export type Feedback = { text: string; tone: 'ok' | 'bad' | 'busy' };

const DENIED: Record<string, string> = {
  wrong_code: '取件码不正确',
  throttled: '尝试过多，请稍后再试',
  no_free_compartment: '暂无合适的空闲格口，请换其他柜或送服务馆',
  not_allowed: '无法办理，请使用快递员 App 投递',
  session_expired: '登录已失效，请用快递员 App 重新扫码登录',
  consent_needed: '收件人要求先征得同意：请在快递员 App 发起同意请求',
  recipient_prefers_door: '收件人要求送货上门，请勿投柜',
  recipient_prefers_hall: '收件人要求放服务馆，请勿投柜',
  invalid_request: '信息有误，请检查运单号和手机号',
  fee_owed: '该包裹有超时保管费未缴，请在蚁巢 App 缴费后取件',
};

const INVALID: Record<string, string> = {
  waybill: '请输入或扫描正确的运单号',
  recipientPhone: '请输入收件人 11 位手机号',
  size: '请选择格口大小',
};

/** Turn a screen reply (or the cloud's decision) into what the screen says. */
export function useDescribe(): (r: ScreenReply | RequestState, opened?: string) => Feedback {
  const { t } = useT();
  type Keypad = { attemptsLeft?: number; retryAfterSeconds?: number; keypad?: 'slowed' | 'locked' };
  const wrongCode = (r: Keypad) => {
    const left =
      r.attemptsLeft !== undefined
        ? t('取件码不正确，还可尝试 {{n}} 次', { n: r.attemptsLeft })
        : t('取件码不正确');
    return r.retryAfterSeconds
      ? `${left}${t('，请 {{n}} 秒后再输入', { n: r.retryAfterSeconds })}`
      : left;
  };
  const held = (r: Keypad) =>
    r.keypad === 'slowed'
      ? t('请 {{n}} 秒后再输入取件码', { n: r.retryAfterSeconds ?? 0 })
      : t('错误次数过多，键盘锁定 {{n}} 秒；App 远程开柜不受影响', {
          n: r.retryAfterSeconds ?? 60,
        });
  return (r, opened = '{{n}} 号格口已打开，取件后请关门') => {
    const kind = 'result' in r ? r.result : r.state;
    const n = 'compartment' in r ? r.compartment : 0;
    switch (kind) {
      case 'opened':
        return { text: t(opened, { n }), tone: 'ok' };
      case 'already_open':
        return { text: t('{{n}} 号格口门未关，请直接取件', { n }), tone: 'ok' };
      case 'door_jammed':
        return { text: t('{{n}} 号格口门未弹开，请轻拉柜门或联系服务馆', { n }), tone: 'bad' };
      case 'unknown_outcome':
        return { text: t('{{n}} 号格口状态未知，请查看柜门', { n }), tone: 'bad' };
      case 'wrong_code':
        return { text: wrongCode(r as Keypad), tone: 'bad' };
      case 'locked':
        return { text: held(r as Keypad), tone: 'bad' };
      case 'invalid':
        return {
          text: t(
            'field' in r && r.field && r.field !== 'code'
              ? INVALID[r.field]!
              : '请输入完整的 8 位数字取件码',
          ),
          tone: 'bad',
        };
      case 'signed_out':
        return { text: t('请先用快递员 App 扫码登录'), tone: 'bad' };
      case 'denied':
        // A wrong code online: the agent adds the tries left and any wait, as offline.
        if ('outcome' in r && r.outcome === 'wrong_code')
          return { text: r.keypad === 'locked' ? held(r) : wrongCode(r), tone: 'bad' };
        return { text: t(DENIED['outcome' in r ? r.outcome : ''] ?? '无法办理'), tone: 'bad' };
      case 'expired':
        return { text: t('网络繁忙，请重试'), tone: 'bad' };
      default:
        return { text: t('暂时无法服务，请稍后再试或联系服务馆'), tone: 'bad' };
    }
  };
}

export function FeedbackLine({ fb, color }: { fb: Feedback | null; color?: string }) {
  const tone = color ?? (fb?.tone === 'ok' ? '#3ddc84' : fb?.tone === 'bad' ? '#ff8a8a' : '#fff');
  return (
    <div
      role="alert"
      aria-live="assertive"
      data-testid="feedback"
      data-tone={fb?.tone ?? ''}
      style={{
        minHeight: '8vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        textAlign: 'center',
        fontSize: 'clamp(22px, 3.4vh, 52px)',
        color: tone,
        fontWeight: 700,
      }}
    >
      {fb?.text ?? ''}
    </div>
  );
}
