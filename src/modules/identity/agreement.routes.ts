/**
 * The user agreement and privacy notice: the versions in force (public), my acceptances,
 * accepting them (recorded with version, language and time), my display settings; and
 * the texts as pages at /legal/{terms,privacy} (agreementPages, registered without the
 * API prefix).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../../platform/auth/access.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses, Obj, Timestamp } from '../../platform/http/schemas.ts';
import * as service from './agreement.service.ts';

const Doc = Type.Enum(['terms', 'privacy']);
const Lang = Type.Enum(['zh-CN', 'en']);
const Current = Obj({
  document: Doc,
  version: Type.String(),
  title: Type.String(),
  url: Type.String(),
});
const Mine = Obj({
  accepted: Type.Array(
    Obj({ document: Doc, version: Type.String(), lang: Type.String(), acceptedAt: Timestamp }),
  ),
  upToDate: Type.Boolean(),
});
const AcceptInput = Obj({
  accepted: Type.Array(Obj({ document: Doc, version: Type.String({ maxLength: 20 }) }), {
    minItems: 1,
    maxItems: 4,
  }),
  lang: Lang,
});
const Settings = Obj({
  elderMode: Type.Boolean({ description: '关怀模式: larger text and touch targets' }),
});

/** API routes (under /api/v1). */
export async function agreementRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['agreements'];
  const security = [{ bearer: [] }];

  app.get('/agreements', {
    config: { access: { public: true } },
    schema: {
      tags,
      summary: 'The user agreement and privacy notice in force (version, title, page)',
      querystring: Obj({ lang: Type.Optional(Lang) }),
      response: { 200: Type.Array(Current), ...errorResponses },
    },
    handler: async (req) => service.currentAgreements(req.query.lang ?? 'zh-CN'),
  });

  app.get('/me/agreements', {
    config: { access: { roles: 'any' } },
    schema: {
      tags,
      security,
      summary:
        'What I accepted and when; upToDate=false means a text changed and must be accepted again',
      response: { 200: Mine, ...errorResponses },
    },
    handler: async (req) => service.myAgreements(deps, principalOf(req).userId),
  });

  app.post('/me/agreements', {
    config: { access: { roles: 'any' } },
    schema: {
      tags,
      security,
      summary: 'Accept the current versions (recorded with version, language and time)',
      body: AcceptInput,
      response: { 200: Mine, ...errorResponses },
    },
    handler: async (req) => service.accept(deps, principalOf(req).userId, req.body),
  });

  app.get('/me/settings', {
    config: { access: { roles: 'any' } },
    schema: {
      tags: ['users'],
      security,
      summary: 'My display settings (elder mode)',
      response: { 200: Settings, ...errorResponses },
    },
    handler: async (req) => service.getSettings(deps, principalOf(req).userId),
  });

  app.put('/me/settings', {
    config: { access: { roles: 'any' } },
    schema: {
      tags: ['users'],
      security,
      summary: 'Save my display settings; they follow me to another phone',
      body: Settings,
      response: { 200: Settings, ...errorResponses },
    },
    handler: async (req) => service.saveSettings(deps, principalOf(req).userId, req.body),
  });
}

/** The texts as pages (no prefix): /legal/terms, /legal/privacy, ?lang=en for English. */
export async function agreementPages(app: FastifyInstance): Promise<void> {
  const hide = { schema: { hide: true } };
  for (const doc of ['terms', 'privacy'] as const) {
    app.get(`/legal/${doc}`, hide, async (req, reply) => {
      const lang = (req.query as { lang?: string }).lang === 'en' ? 'en' : 'zh-CN';
      return reply
        .header('cache-control', 'no-cache')
        .type('text/html; charset=utf-8')
        .send(service.agreementPage(doc, lang));
    });
  }
}
