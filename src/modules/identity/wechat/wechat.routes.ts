/** WeChat sign-in (code2session, then a phone check to bind) and the resident's subscribe-message grants. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../../../platform/auth/access.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { errorResponses } from '../../../platform/http/schemas.ts';
import { mySubscriptions, recordSubscriptions } from './wechat-subscription.service.ts';
import { type SignedIn, wechatBind, wechatSession } from './wechat-signin.service.ts';
import * as x from './wechat.schemas.ts';

const tags = ['auth'];
const security = [{ bearer: [] }];

/** The wire shape of a signed-in answer. */
function presentSignedIn(s: SignedIn) {
  return {
    status: s.status,
    token: s.accessToken,
    tokenExpiresAt: s.accessTokenExpiresAt,
    refreshToken: s.refreshToken,
    refreshTokenExpiresAt: s.refreshTokenExpiresAt,
    user: s.user,
  };
}

/** POST /auth/wechat/session, POST /auth/wechat/bind, GET|POST /me/wechat/subscriptions. */
export async function wechatRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.post('/auth/wechat/session', {
    config: { access: { public: true } },
    schema: {
      tags,
      summary:
        'Sign in with a wx.login code: signed in when this WeChat user is bound, else a bind token for the phone check',
      body: x.WechatSessionRequest,
      response: { 200: x.WechatSessionResponse, ...errorResponses },
    },
    handler: async (req) => {
      const r = await wechatSession(deps, { code: req.body.code, ip: req.ip });
      return r.status === 'signed_in' ? presentSignedIn(r) : r;
    },
  });

  app.post('/auth/wechat/bind', {
    config: { access: { public: true } },
    schema: {
      tags,
      summary:
        'Bind the WeChat user to the account of a proven phone (getPhoneNumber code or SMS code) and sign in',
      body: x.WechatBindRequest,
      response: { 200: x.WechatSignedIn, ...errorResponses },
    },
    handler: async (req) => presentSignedIn(await wechatBind(deps, req.body)),
  });

  app.get('/me/wechat/subscriptions', {
    config: { access: { roles: ['resident'] } },
    schema: {
      tags,
      security,
      summary: 'Subscribe-message templates and the one-time grants I have left for each',
      response: { 200: x.SubscriptionsView, ...errorResponses },
    },
    handler: async (req) => mySubscriptions(deps, principalOf(req).userId),
  });

  app.post('/me/wechat/subscriptions', {
    config: { access: { roles: ['resident'] } },
    schema: {
      tags,
      security,
      summary: 'Report what wx.requestSubscribeMessage returned; each accept adds one grant',
      body: x.SubscriptionResults,
      response: { 200: x.SubscriptionsView, ...errorResponses },
    },
    handler: async (req) => recordSubscriptions(deps, principalOf(req).userId, req.body.results),
  });
}
