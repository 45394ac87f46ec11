/**
 * buildApp wires one antnest HTTP application: platform plugins first (errors, metrics,
 * OpenAPI, access control), then each domain module, registered explicitly.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { cachedValidatorCompiler, serializerFactory } from './platform/http/compilers.ts';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db/database.ts';
import {
  identityGrantsLoader,
  identityResolvers,
  identityRoutes,
  agreementPages,
  householdResolvers,
  LiveSessions,
} from './modules/identity/index.ts';
import {
  lockerRoutes,
  OutboxRelay,
  CredentialRelay,
  lockerResolvers,
  mqttAuthRoutes,
  provisioningRoutes,
  lockerDirectoryRoutes,
  subscribeLockersToPlaces,
} from './modules/lockers/index.ts';
import { placeResolvers, placesRoutes } from './modules/places/index.ts';
import { analyticsRoutes, subscribeAnalytics } from './modules/analytics/index.ts';
import {
  subscribeParcelsToIdentity,
  consentRoutes,
  neighbourRoutes,
  outgoingRoutes,
  sendingRoutes,
  sendingCallbackRoutes,
  returnsRoutes,
  missingParcelRoutes,
  overdueRoutes,
  feeRoutes,
  feeCallbackRoutes,
  parcelRoutes,
  shareRoutes,
  pickupRoutes,
  parcelSearchRoutes,
  recentDepositLockers,
} from './modules/parcels/index.ts';
import { kioskRoutes, noticeResolvers, noticeRoutes } from './modules/notices/index.ts';
import {
  LocalInstitutionGateway,
  needResolvers,
  needRoutes,
  open311Routes,
} from './modules/needs/index.ts';
import {
  appointmentRoutes,
  hallRoutes,
  hallStaffRoutes,
  groupBuyStaffRoutes,
  paymentRoutes,
} from './modules/hall/index.ts';
import { ledgerRoutes } from './modules/ledger/ledger.routes.ts';
import { fundRoutes } from './modules/fund/fund.routes.ts';
import { receiptRoutes } from './modules/fund/receipt.routes.ts';
import { lifeCircleRoutes } from './modules/analytics/lifecircle/index.ts';
import { reportRoutes } from './modules/analytics/report/index.ts';
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
import { wechatGateway } from './platform/wechat/wechat.port.ts';
import { liveRoutes } from './platform/live/live.routes.ts';
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
    schemaController: { compilersFactory: { buildSerializer: serializerFactory } },
  });
  app.setValidatorCompiler(cachedValidatorCompiler);

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
          "The last 100 metres of a neighbourhood: smart lockers and parcels, the community service hall (orders, group buys, bookings, kiosk), notices and activities, residents' needs (also as Open311 GeoReport v2 under /open311/v2), and the ledger with partners and the community fund. Errors: `{ error: { code, message } }`.",
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
      ...needResolvers(db),
    },
  });
  await app.register(idempotency, { db, clock });

  // Modules talk through typed events where a call would point the wrong way (ADR 0020).
  subscribeParcelsToIdentity();
  subscribeLockersToPlaces();
  subscribeAnalytics();
  await app.register(identityRoutes, { prefix: API_PREFIX, deps, sessions });
  await app.register(placesRoutes, { prefix: API_PREFIX, deps });
  await app.register(lockerRoutes, { prefix: API_PREFIX, deps });
  await app.register(provisioningRoutes, { prefix: API_PREFIX, deps, credentials });
  await app.register(parcelRoutes, { prefix: API_PREFIX, deps });
  await app.register(neighbourRoutes, { prefix: API_PREFIX, deps });
  await app.register(outgoingRoutes, { prefix: API_PREFIX, deps });
  await app.register(sendingRoutes, { prefix: API_PREFIX, deps });
  await app.register(sendingCallbackRoutes, { prefix: API_PREFIX, deps });
  await app.register(returnsRoutes, { prefix: API_PREFIX, deps });
  await app.register(missingParcelRoutes, { prefix: API_PREFIX, deps });
  await app.register(ledgerRoutes, { prefix: API_PREFIX, deps });
  await app.register(fundRoutes, { prefix: API_PREFIX, deps });
  await app.register(receiptRoutes, { prefix: API_PREFIX, deps });
  await app.register(overdueRoutes, { prefix: API_PREFIX, deps });
  await app.register(feeRoutes, { prefix: API_PREFIX, deps });
  await app.register(feeCallbackRoutes, { prefix: API_PREFIX, deps });
  await app.register(consentRoutes, { prefix: API_PREFIX, deps });
  await app.register(shareRoutes, { prefix: API_PREFIX, deps });
  await app.register(pickupRoutes, { prefix: API_PREFIX, deps });
  await app.register(noticeRoutes, { prefix: API_PREFIX, deps });
  await app.register(kioskRoutes, { prefix: API_PREFIX, deps });
  await app.register(mqttAuthRoutes, { prefix: API_PREFIX, deps });
  const institutions = new LocalInstitutionGateway();
  await app.register(needRoutes, { prefix: API_PREFIX, deps, gateway: institutions });
  await app.register(open311Routes, { prefix: '/open311/v2', deps, gateway: institutions });
  if (inbox)
    await app.register(devRoutes, { prefix: API_PREFIX, inbox, wechat: wechatGateway(config) });
  await app.register(liveRoutes, { prefix: API_PREFIX, deps });
  await app.register(lockerDirectoryRoutes, {
    prefix: API_PREFIX,
    deps,
    recentDeposits: recentDepositLockers,
  });
  await app.register(parcelSearchRoutes, { prefix: API_PREFIX, deps });
  await app.register(hallRoutes, { prefix: API_PREFIX, deps });
  await app.register(hallStaffRoutes, { prefix: API_PREFIX, deps });
  await app.register(appointmentRoutes, { prefix: API_PREFIX, deps });
  await app.register(groupBuyStaffRoutes, { prefix: API_PREFIX, deps });
  await app.register(paymentRoutes, { prefix: API_PREFIX, deps });
  await app.register(lifeCircleRoutes, { prefix: API_PREFIX, deps });
  await app.register(reportRoutes, { prefix: API_PREFIX, deps });
  await app.register(analyticsRoutes, { prefix: API_PREFIX, deps });
  await app.register(agreementPages);
  await app.register(webApps, opts.startLinks ? { startLinks: opts.startLinks } : {});

  return { app, deps, inbox, outbox, credentials };
}
