import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { normalizePhone } from '../crypto/phone.ts';
import { Obj } from '../http/schemas.ts';
import type { DevInbox } from './sms.ts';
import { LocalWechatGateway, type WechatGateway } from '../wechat/wechat.port.ts';

/**
 * Demo mode only (never registered otherwise): the SMS the local adapter "sent", so a
 * newcomer can sign in as a demo resident without a phone.
 */
export async function devRoutes(
  root: FastifyInstance,
  { inbox, wechat }: { inbox: DevInbox; wechat: WechatGateway | null },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/dev/sms', {
    config: { access: { public: true } },
    schema: {
      tags: ['demo'],
      summary: 'Demo only: SMS sent by the local adapter, newest first',
      querystring: Obj({ phone: Type.Optional(Type.String({ maxLength: 20 })) }),
      response: {
        200: Type.Array(Obj({ to: Type.String(), text: Type.String(), sentAt: Type.String() })),
      },
    },
    handler: async (req) =>
      inbox.list(req.query.phone ? normalizePhone(req.query.phone) : undefined).slice(0, 50),
  });

  app.get('/dev/wechat', {
    config: { access: { public: true } },
    schema: {
      tags: ['demo'],
      summary: 'Demo only: subscribe messages the local WeChat adapter "sent", newest first',
      querystring: Obj({ openid: Type.Optional(Type.String({ maxLength: 64 })) }),
      response: {
        200: Type.Array(
          Obj({
            openid: Type.String(),
            topic: Type.String(),
            templateId: Type.String(),
            page: Type.String(),
            data: Type.Record(Type.String(), Obj({ value: Type.String() })),
            sentAt: Type.String(),
          }),
        ),
      },
    },
    handler: async (req) =>
      wechat instanceof LocalWechatGateway ? wechat.inbox(req.query.openid).slice(0, 50) : [],
  });
}
