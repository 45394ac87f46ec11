/** Request and response shapes of WeChat sign-in and subscribe messages (the mini-program's types come from here). */
import { Type } from 'typebox';
import { Id, Obj, Timestamp } from '../../../platform/http/schemas.ts';
import { PhoneInput } from '../identity.schemas.ts';

// Any length up to the cap reaches the service, so a mangled token gets the bind token's own
// 401 ("unknown, used or expired") rather than the union's complaint about the other branch.
const BindToken = Type.String({ minLength: 1, maxLength: 100 });

export const WechatSessionRequest = Obj({
  code: Type.String({
    minLength: 1,
    maxLength: 128,
    description: 'The code from wx.login (local adapter: demo:<name>)',
  }),
});

export const WechatUser = Obj({
  id: Id,
  displayName: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()], { description: 'Masked (138****1234)' }),
});

export const WechatSignedIn = Obj({
  status: Type.Literal('signed_in'),
  token: Type.String({ description: 'The access token (Authorization: Bearer …)' }),
  tokenExpiresAt: Timestamp,
  refreshToken: Type.String({ description: 'For POST /auth/refresh' }),
  refreshTokenExpiresAt: Timestamp,
  user: WechatUser,
});

export const WechatNeedsPhone = Obj({
  status: Type.Literal('needs_phone'),
  bindToken: Type.String({ description: 'Single use; send it to POST /auth/wechat/bind' }),
  expiresAt: Timestamp,
});

export const WechatSessionResponse = Type.Union([WechatSignedIn, WechatNeedsPhone]);

export const WechatBindRequest = Type.Union([
  Obj({
    bindToken: BindToken,
    phoneCode: Type.String({
      minLength: 1,
      maxLength: 128,
      description:
        'The code from <button open-type="getPhoneNumber"> (local adapter: demo-phone:<11 digits>)',
    }),
  }),
  Obj({
    bindToken: BindToken,
    phone: PhoneInput,
    otp: Type.String({ pattern: '^\\d{6}$', description: 'The code from POST /auth/otp' }),
  }),
]);

/** The subscribe-message topics (WECHAT_TOPICS in platform/wechat/wechat.port.ts; a test holds them equal). */
export const WechatTopicSchema = Type.Enum([
  'parcel_arrived',
  'overdue_reminder',
  'order_ready',
  'need_replied',
]);

export const SubscriptionsView = Obj({
  templates: Type.Array(
    Obj({ topic: WechatTopicSchema, templateId: Type.String(), remaining: Type.Integer() }),
  ),
});

export const SubscriptionResults = Obj({
  results: Type.Record(Type.String({ maxLength: 128 }), Type.String({ maxLength: 64 }), {
    maxProperties: 20,
    description:
      "What wx.requestSubscribeMessage resolved with: { [templateId]: 'accept'|'reject'|'ban'|'filter', errMsg }",
  }),
});
