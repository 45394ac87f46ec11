import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from '../../../platform/auth/access.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { AppError } from '../../../platform/errors.ts';
import { errorResponses } from '../../../platform/http/schemas.ts';
import {
  AliasInput,
  AliasView,
  ConsentAsk,
  ConsentListQuery,
  ConsentParams,
  ConsentRequestView,
  CourierConsentParams,
  CourierConsentView,
  Decision,
  PreferencesInput,
  PreferencesView,
  RecipientLookup,
  RecipientPreferenceView,
} from './consent.schemas.ts';
import * as service from './consent.service.ts';
import * as preferences from './preference.service.ts';
import * as aliases from './alias.service.ts';
import * as courierSide from './courier-consent.service.ts';

/** The courier and the one carrier they act for now: from their carrier grants, or the `carrierId` they name. */
function courierOf(req: FastifyRequest, named: string | undefined): courierSide.CourierActor {
  const carriers = [
    ...new Set(req.allowed.filter((g) => g.scopeKind === 'carrier').map((g) => g.scopeId)),
  ];
  const userId = principalOf(req).userId;
  if (named !== undefined) {
    if (!carriers.includes(named))
      throw new AppError('forbidden', 'You do not deliver for that carrier.');
    return { userId, carrierId: named };
  }
  if (carriers.length === 0)
    throw new AppError('forbidden', 'Your courier role is not tied to a carrier.');
  if (carriers.length > 1)
    throw new AppError(
      'validation_failed',
      'You deliver for several carriers: say which one with "carrierId".',
    );
  return { userId, carrierId: carriers[0]! };
}

/** Delivery preferences, consent requests and address aliases (ADR 0009), for residents and couriers. */
export async function consentRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['parcels'];
  const security = [{ bearer: [] }];
  // Anyone with an account can be a recipient; an alias names a home, so it needs a resident role.
  const recipient = { roles: 'any' as const };
  const resident = { roles: ['resident' as const] };
  const courier = { roles: ['courier' as const] };

  app.get('/me/delivery-preferences', {
    config: { access: recipient },
    schema: {
      tags,
      summary: 'How I want parcels delivered, by default and per carrier',
      security,
      response: { 200: PreferencesView, ...errorResponses },
    },
    handler: async (req) => preferences.getPreferences(deps, principalOf(req).userId),
  });

  app.put('/me/delivery-preferences', {
    config: { access: recipient },
    schema: {
      tags,
      summary: 'Replace my delivery preferences',
      security,
      body: PreferencesInput,
      response: { 200: PreferencesView, ...errorResponses },
    },
    handler: async (req) =>
      preferences.savePreferences(deps, principalOf(req).userId, principalOf(req).grants, req.body),
  });

  app.get('/me/consent-requests', {
    config: { access: recipient },
    schema: {
      tags,
      summary: 'Couriers asking to put my parcels in a locker',
      security,
      querystring: ConsentListQuery,
      response: { 200: Type.Array(ConsentRequestView), ...errorResponses },
    },
    handler: async (req) =>
      service.myConsentRequests(deps, principalOf(req).userId, {
        limit: req.query.limit ?? 50,
        ...(req.query.status ? { status: req.query.status } : {}),
      }),
  });

  app.post('/me/consent-requests/:requestId/decision', {
    config: { access: recipient },
    schema: {
      tags,
      summary: 'Answer a consent request (once, before it expires)',
      security,
      params: ConsentParams,
      body: Decision,
      response: { 200: ConsentRequestView, ...errorResponses },
    },
    handler: async (req) =>
      service.decideConsent(deps, principalOf(req).userId, req.params.requestId, req.body.accept),
  });

  app.get('/me/address-alias', {
    config: { access: resident },
    schema: {
      tags,
      summary: 'The address I give senders instead of my flat',
      security,
      response: { 200: AliasView, ...errorResponses },
    },
    handler: async (req) => aliases.getAlias(deps, principalOf(req).userId),
  });

  app.put('/me/address-alias', {
    config: { access: resident },
    schema: {
      tags,
      summary: 'Set my address alias (no flat number)',
      security,
      body: AliasInput,
      response: { 200: AliasView, ...errorResponses },
    },
    handler: async (req) =>
      aliases.setAlias(deps, principalOf(req).userId, req.allowed, req.body.text),
  });

  app.delete('/me/address-alias', {
    config: { access: resident },
    schema: {
      tags,
      summary: 'Remove my address alias',
      security,
      response: { 204: Type.Null(), ...errorResponses },
    },
    handler: async (req, reply) => {
      await aliases.removeAlias(deps, principalOf(req).userId);
      return reply.status(204).send(null);
    },
  });

  app.post('/couriers/recipient-preference', {
    config: { access: courier },
    schema: {
      tags,
      summary:
        "The recipient's delivery preference for my carrier (rate-limited; the phone is sent in the body)",
      security,
      body: RecipientLookup,
      response: { 200: RecipientPreferenceView, ...errorResponses },
    },
    handler: async (req) =>
      courierSide.recipientPreferenceForCourier(
        deps,
        courierOf(req, req.body.carrierId),
        req.body.recipientPhone,
      ),
  });

  app.post('/couriers/consent-requests', {
    config: { access: courier },
    schema: {
      tags,
      summary: 'Ask the recipient in the app before using a locker (409 when they have no account)',
      security,
      body: ConsentAsk,
      response: { 201: CourierConsentView, ...errorResponses },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(await courierSide.askRecipient(deps, courierOf(req, req.body.carrierId), req.body)),
  });

  app.get('/couriers/consent-requests/:id', {
    config: { access: courier },
    schema: {
      tags,
      summary: 'The answer to a consent request I sent',
      security,
      params: CourierConsentParams,
      response: { 200: CourierConsentView, ...errorResponses },
    },
    handler: async (req) =>
      courierSide.courierConsentStatus(deps, principalOf(req).userId, req.params.id),
  });
}
