/**
 * buildApp wires one antnest HTTP application: platform plugins first (errors, metrics,
 * OpenAPI, access control), then each domain module, registered explicitly.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db/database.ts';
import { identityGrantsLoader, identityResolvers } from './modules/identity/identity.scope.ts';
import { identityRoutes } from './modules/identity/identity.routes.ts';
import { agreementPages } from './modules/identity/agreement.routes.ts';
import { householdResolvers } from './modules/identity/household.scope.ts';
import { LiveSessions } from './modules/identity/session.cache.ts';
import { lockerRoutes } from './modules/lockers/locker.routes.ts';
import { OutboxRelay } from './modules/lockers/locker.runtime.ts';
import { CredentialRelay } from './modules/lockers/credentials.watch.ts';
import { lockerResolvers } from './modules/lockers/locker.scope.ts';
import { mqttAuthRoutes } from './modules/lockers/mqtt-auth.routes.ts';
import { provisioningRoutes } from './modules/lockers/provisioning.routes.ts';
import { placeResolvers } from './modules/places/place-path.repository.ts';
import { consentRoutes } from './modules/parcels/consent.routes.ts';
import { parcelExtrasRoutes } from './modules/parcels/extras.routes.ts';
import { overdueRoutes } from './modules/parcels/overdue.routes.ts';
import { parcelRoutes } from './modules/parcels/parcel.routes.ts';
import { shareRoutes } from './modules/parcels/share.routes.ts';
import { pickupRoutes } from './modules/parcels/pickup.routes.ts';
import { placesRoutes } from './modules/places/places.routes.ts';
import { kioskRoutes, noticeResolvers, noticeRoutes } from './modules/notices/index.ts';
import { ledgerRoutes } from './modules/ledger/ledger.routes.ts';
import { fundRoutes } from './modules/fund/fund.routes.ts';
import { accessControl } from './platform/auth/access.ts';
import { idempotency } from './platform/idempotency/idempotency.plugin.ts';
import { TokenService } from './platform/auth/tokens.ts';
import { type Clock, cryptoRandom, type Random, systemClock } from './platform/clock.ts';
import { PhoneVault } from './platform/crypto/phone.ts';
import type { AppDeps } from './platform/deps.ts';
import { installNulGuard } from './platform/http/nul-guard.ts';
import { installCompression } from './platform/http/compression.ts';
import { installErrorHandlers } from './platform/http/error-handler.ts';
import { installHealth } from './platform/http/health.ts';
import { installMetrics } from './platform/http/metrics.ts';
import { type LogStream, loggerOptions } from './platform/http/logging.ts';
import { DevInbox, LocalSmsSender, type SmsSender } from './platform/notify/sms.ts';
import { devRoutes } from './platform/notify/dev.routes.ts';
import { liveRoutes } from './platform/live/live.routes.ts';
import { lockerDirectoryRoutes } from './modules/lockers/directory.routes.ts';
import { parcelSearchRoutes } from './modules/parcels/search.routes.ts';
import { type StartLink, webApps } from './platform/http/static.ts';

export interface BuildOptions {
  config: Config;
  database: DatabaseHandle;
  clock?: Clock;
  random?: Random;
  /** Replace the SMS adapter (tests capture messages this way). */
  sms?: SmsSender;
  /** false silences request logs (tests). */
  logger?: boolean;
  /** Where log lines go instead of stdout (tests that read the access log). */
  logStream?: LogStream;
  /** Extra links for the start page at / (the demo's locker screens, known once the fleet runs). */
  startLinks?: () => readonly StartLink[];
}

export interface BuiltApp {
  app: FastifyInstance;
  deps: AppDeps;
  /** The demo inbox of sent SMS; null outside demo mode. */
  inbox: DevInbox | null;
  /** Forwards outbox kicks to the command dispatcher once the locker runtime starts. */
  outbox: OutboxRelay;
  /** Forwards locker credential changes (rotation, retirement) to the embedded broker's watch, once it starts. */
  credentials: CredentialRelay;
}

export const API_PREFIX = '/api/v1';

/** Build (but do not start) the HTTP application. */
export async function buildApp(opts: BuildOptions): Promise<BuiltApp> {
  const { config } = opts;
  const app = Fastify({
    logger: opts.logger === false ? false : loggerOptions(config, opts.logStream),
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    // Slow or stalled clients cannot hold a connection forever.
    connectionTimeout: 60_000,
    requestTimeout: 30_000,
    keepAliveTimeout: 10_000,
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.setValidatorCompiler(TypeBoxValidatorCompiler);

  const clock = opts.clock ?? systemClock;
  const random = opts.random ?? cryptoRandom;
  const db = opts.database.db;
  const inbox = config.demo ? new DevInbox() : null;
  const outbox = new OutboxRelay();
  const credentials = new CredentialRelay();
  const deps: AppDeps = {
    config,
    db,
    clock,
    random,
    vault: new PhoneVault(config.secrets.phoneKey, config.secrets.phoneHashKey),
    tokens: new TokenService(config.secrets.tokenKey, config.accessTokenTtl, clock),
    sms: opts.sms ?? new LocalSmsSender(app.log, clock, inbox),
    outbox,
  };

  installErrorHandlers(app);
  installNulGuard(app);
  // Before every route (compress hooks in per route, at registration): /metrics and the docs too.
  await installCompression(app);
  installMetrics(app, { defaultMetrics: opts.logger !== false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'antnest API',
        version: '1',
        description:
          'Lockers, parcels, service halls and needs for the last 100 metres. Errors: `{ error: { code, message } }`.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  installHealth(app, opts.database.ping);

  const sessions = new LiveSessions(db, clock);
  await app.register(accessControl, {
    tokens: deps.tokens,
    loadGrants: identityGrantsLoader(db),
    sessionLive: (sid, userId) => sessions.isLive(sid, userId),
    resolvers: {
      ...placeResolvers(db),
      ...identityResolvers(db),
      ...lockerResolvers(db),
      ...householdResolvers(db),
      ...noticeResolvers(db),
    },
  });
  await app.register(idempotency, { db, clock });

  await app.register(identityRoutes, { prefix: API_PREFIX, deps, sessions });
  await app.register(placesRoutes, { prefix: API_PREFIX, deps });
  await app.register(lockerRoutes, { prefix: API_PREFIX, deps });
  await app.register(provisioningRoutes, { prefix: API_PREFIX, deps, credentials });
  await app.register(parcelRoutes, { prefix: API_PREFIX, deps });
  await app.register(ledgerRoutes, { prefix: API_PREFIX, deps });
  await app.register(fundRoutes, { prefix: API_PREFIX, deps });
  await app.register(parcelExtrasRoutes, { prefix: API_PREFIX, deps });
  await app.register(overdueRoutes, { prefix: API_PREFIX, deps });
  await app.register(consentRoutes, { prefix: API_PREFIX, deps });
  await app.register(shareRoutes, { prefix: API_PREFIX, deps });
  await app.register(pickupRoutes, { prefix: API_PREFIX, deps });
  await app.register(noticeRoutes, { prefix: API_PREFIX, deps });
  await app.register(kioskRoutes, { prefix: API_PREFIX, deps });
  await app.register(mqttAuthRoutes, { prefix: API_PREFIX, deps });
  if (inbox) await app.register(devRoutes, { prefix: API_PREFIX, inbox });
  await app.register(liveRoutes, { prefix: API_PREFIX, deps });
  await app.register(lockerDirectoryRoutes, { prefix: API_PREFIX, deps });
  await app.register(parcelSearchRoutes, { prefix: API_PREFIX, deps });
  await app.register(agreementPages);
  await app.register(webApps, opts.startLinks ? { startLinks: opts.startLinks } : {});

  return { app, deps, inbox, outbox, credentials };
}
