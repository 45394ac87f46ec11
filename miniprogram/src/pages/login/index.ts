/**
 * Sign-in: one tap with WeChat (wx.login → the server's code2session). A WeChat user the
 * server does not know yet proves a phone — WeChat's phone button, or an SMS code — and is
 * bound to that phone's account. Without WeChat's phone button (a personal AppID) the SMS code
 * does the same.
 */
import {
  type PendingBind,
  bindPhone,
  elder,
  normalizePhone,
  sendSmsCode,
  signInBySms,
  signInWithWechat,
  strings,
  t,
} from '../../lib/index.ts';

const S = {
  welcome: '蚁巢社区',
  lead: '快递、服务馆和社区事务，一个小程序办完',
  wechat: '微信一键登录',
  bindTitle: '首次使用，请验证手机号',
  bindLead: '验证后，您的微信将与该手机号的账号绑定',
  phoneButton: '微信手机号快捷验证',
  orSms: '或使用短信验证码',
  phone: '手机号',
  code: '验证码',
  send: '获取验证码',
  submit: '验证并登录',
  smsOnly: '使用手机号登录',
};

Component({
  options: { styleIsolation: 'apply-shared' },
  data: {
    s: S,
    elder: false,
    step: 'start' as 'start' | 'bind' | 'sms',
    bind: null as PendingBind | null,
    phone: '',
    code: '',
    sentTo: '',
    busy: false,
    error: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      this.setData({
        s: strings(S),
        elder: elder(),
        // Sent here by the API client when the server no longer takes the session.
        error: query['expired'] ? t('登录已过期，请重新登录') : '',
      });
    },
    onPhone(e: WechatMiniprogram.Input) {
      this.setData({ phone: e.detail.value });
    },
    onCode(e: WechatMiniprogram.Input) {
      this.setData({ code: e.detail.value });
    },
    async run(work: () => Promise<void>) {
      if (this.data.busy) return;
      this.setData({ busy: true, error: '' });
      try {
        await work();
      } catch (e) {
        this.setData({ error: (e as Error).message });
      } finally {
        this.setData({ busy: false });
      }
    },
    done() {
      void wx.reLaunch({ url: '/pages/index/index' });
    },
    wechat() {
      return this.run(async () => {
        const r = await signInWithWechat();
        if (r === true) this.done();
        else this.setData({ step: 'bind', bind: r });
      });
    },
    smsOnly() {
      this.setData({ step: 'sms', bind: null, error: '' });
    },
    /** WeChat's phone button: its code goes to the server, which asks WeChat for the number. */
    onPhoneNumber(e: WechatMiniprogram.ButtonGetPhoneNumber) {
      const code = (e.detail as { code?: string }).code;
      const bind = this.data.bind;
      if (!code || !bind) {
        this.setData({ error: t('未获得手机号授权，请使用短信验证码') });
        return;
      }
      return this.run(async () => {
        await bindPhone(bind.bindToken, { phoneCode: code });
        this.done();
      });
    },
    send() {
      const phone = normalizePhone(this.data.phone);
      if (!phone) {
        this.setData({ error: t('请输入正确的手机号') });
        return;
      }
      return this.run(async () => {
        await sendSmsCode(phone);
        this.setData({ sentTo: phone });
      });
    },
    submit() {
      const { sentTo, code, bind } = this.data;
      if (!sentTo || !/^\d{6}$/.test(code.trim())) {
        this.setData({ error: t('请输入短信中的 6 位验证码') });
        return;
      }
      return this.run(async () => {
        if (bind) await bindPhone(bind.bindToken, { phone: sentTo, otp: code.trim() });
        else await signInBySms(sentTo, code.trim());
        this.done();
      });
    },
  },
});
