/**
 * Idempotency-Key (IETF draft "The Idempotency-Key HTTP Header Field") for every mutating
 * API route: a client that retries a POST/PUT/PATCH/DELETE with the same key gets the first
 * response again instead of a second side effect. See docs/adr/0008-idempotency-keys.md.
 *
 *   - first request with a key     → claimed (row `in_flight`), handler runs, response stored
 *   - same key, same request       → the stored response, with `Idempotent-Replayed: true`
 *   - same key, different request  → 422 (the key was reused for something else)
 *   - same key while the first runs→ 409 with `Retry-After: 1`
 *   - 5xx or 429 answer            → the key is released, so a retry runs again
 *
 * Register after the access plugin (keys are scoped by the signed-in user) and before
 * the modules (the onRoute hook documents the header on routes registered later).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Type } from 'typebox';
import type { Executor } from '../../db/database.ts';
import type { Clock } from '../clock.ts';
import { AppError } from '../errors.ts';
import { ErrorBody } from '../http/schemas.ts';
import { requestFingerprint } from './fingerprint.ts';
import * as repo from './idempotency.repository.ts';

/** Keys and their responses are kept this long (the draft suggests 24 hours). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** An in-flight key older than this is presumed abandoned by a crashed node and may be claimed again (twice the 30 s request timeout). */
export const IDEMPOTENCY_LEASE_MS = 60_000;

/**
 * Routes that accept a key but never store a response, because the response is a secret
 * that must not sit in clear in the database: sign-in tokens, a locker's MQTT secret and
 * its one-time provisioning token. A trailing `/` means "every route under this prefix".
 */
export const NOT_STORED = [
  '/api/v1/auth/',
  '/api/v1/lockers/provision',
  '/api/v1/lockers/:lockerId/provisioning-token',
] as const;

/** The header as documented on every covered route; the pattern also rejects malformed keys with a 400. */
export const IdempotencyKeyHeader = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z0-9._:-]+$',
  description:
    'Optional; makes retrying this request safe. 1–128 characters of A–Z a–z 0–9 . _ : - (a UUID is ideal). ' +
    'The first response is kept for 24 hours and returned again, with `Idempotent-Replayed: true`, to a retry with the same key and body. ' +
    'The same key with a different request is a 422; while the first request is still running, a 409 with Retry-After.',
});

const HEADER = 'idempotency-key';
const KEY_RE = /^[A-Za-z0-9._:-]{1,128}$/;
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface IdempotencyOptions {
  db: Executor;
  clock: Clock;
  /** URL prefix of the covered routes (default `/api/`). */
  prefix?: string;
  /** Route patterns that accept a key but never store (default NOT_STORED). */
  notStored?: readonly string[];
  /** How long a key lives (default 24 h). */
  ttlMs?: number;
  /** After this long an in-flight key may be claimed again (default IDEMPOTENCY_LEASE_MS). */
  leaseMs?: number;
}

/** This request's claim on a key, to be completed or released when the response goes out. */
interface ClaimHeld {
  readonly ref: repo.KeyRef;
  readonly claimedAt: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The Idempotency-Key this request claimed and must answer for; null when it holds none. */
    idempotencyClaim: ClaimHeld | null;
  }
}

/** Merge the header into a route's headers schema; other headers stay allowed (requests carry many). */
function withKeyHeader(headers: unknown): Record<string, unknown> | null {
  if (headers === undefined)
    return { type: 'object', properties: { [HEADER]: IdempotencyKeyHeader } };
  const h = headers as {
    type?: unknown;
    properties?: Record<string, object>;
    additionalProperties?: unknown;
  };
  if (h.type !== 'object') return null;
  const { additionalProperties: _dropped, ...rest } = h;
  // A route's own definition of the header (e.g. a stricter minimum length) wins over ours.
  return {
    ...rest,
    type: 'object',
    properties: {
      ...h.properties,
      [HEADER]: { ...IdempotencyKeyHeader, ...h.properties?.[HEADER] },
    },
  };
}

/** A response worth replaying: final, not a secret, and text we can store. */
function storable(reply: FastifyReply, payload: unknown): payload is string | null | undefined {
  const status = reply.statusCode;
  // 5xx: we failed, the client should retry. 429: the client was early, not wrong.
  if (status >= 500 || status === 429) return false;
  if (/\bno-store\b/i.test(String(reply.getHeader('cache-control') ?? ''))) return false;
  return payload === undefined || payload === null || typeof payload === 'string';
}

async function idempotencyPlugin(app: FastifyInstance, opts: IdempotencyOptions): Promise<void> {
  const prefix = opts.prefix ?? '/api/';
  const notStored = opts.notStored ?? NOT_STORED;
  const times: repo.KeyTimes = {
    ttlMs: opts.ttlMs ?? IDEMPOTENCY_TTL_MS,
    leaseMs: opts.leaseMs ?? IDEMPOTENCY_LEASE_MS,
  };
  const excluded = (url: string) =>
    notStored.some((e) => (e.endsWith('/') ? url.startsWith(e) : url === e));
  const covered = (method: string, url: string) =>
    MUTATING.has(method) && url.startsWith(prefix) && !excluded(url);

  app.decorateRequest('idempotencyClaim', null);

  app.addHook('onRoute', (route) => {
    if (![route.method].flat().some((m) => covered(m, route.url))) return;
    const headers = withKeyHeader(route.schema?.headers);
    if (!headers)
      throw new Error(
        `Route ${String(route.method)} ${route.url}: its headers schema is not an object, so Idempotency-Key cannot be added to it.`,
      );
    const response = route.schema?.response as Record<string, unknown> | undefined;
    route.schema = {
      ...route.schema,
      headers,
      ...(response && !('422' in response) ? { response: { ...response, 422: ErrorBody } } : {}),
    };
  });

  // preHandler: after validation and after access control (registered before us), so a
  // refused or malformed request never claims a key and a claim always has a caller.
  app.addHook('preHandler', async (req, reply) => {
    const url = req.routeOptions.url;
    if (url === undefined || !covered(req.method, url)) return;
    const key = req.headers[HEADER];
    if (key === undefined) return;
    if (typeof key !== 'string' || !KEY_RE.test(key)) {
      throw new AppError(
        'validation_failed',
        'Idempotency-Key must be 1–128 characters of A–Z a–z 0–9 . _ : - (send one key per request).',
      );
    }
    const ref: repo.KeyRef = { caller: callerOf(req), route: `${req.method} ${url}`, key };
    const fingerprint = requestFingerprint(req.method, req.url, req.body);
    const claim = await repo.claimKey(opts.db, opts.clock, ref, fingerprint, times);
    if (claim.kind === 'claimed') {
      req.idempotencyClaim = { ref, claimedAt: claim.claimedAt };
      return;
    }
    const row = claim.row;
    if (row.fingerprint !== fingerprint) {
      throw new AppError(
        'idempotency_key_reused',
        'This Idempotency-Key was already used for a different request; send a new key with a new request.',
      );
    }
    if (row.state === 'in_flight') {
      throw new AppError(
        'conflict',
        'A request with this Idempotency-Key is still being processed; retry in a moment to get its result.',
        { retryAfter: 1 },
      );
    }
    reply.code(row.status_code ?? 200).header('idempotent-replayed', 'true');
    if (row.content_type) reply.header('content-type', row.content_type);
    return reply.send(row.body ?? undefined);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const held = req.idempotencyClaim;
    if (!held) return payload;
    req.idempotencyClaim = null;
    try {
      if (storable(reply, payload)) {
        const contentType = reply.getHeader('content-type');
        const stored = await repo.completeKey(opts.db, opts.clock, held.ref, held.claimedAt, {
          statusCode: reply.statusCode,
          contentType: contentType === undefined ? null : String(contentType),
          body: payload ?? null,
        });
        if (!stored)
          req.log.warn(
            { route: held.ref.route },
            'idempotency: the claim on this key was taken over before the response was stored',
          );
      } else {
        await repo.releaseKey(opts.db, held.ref, held.claimedAt);
      }
    } catch (err) {
      // The response itself is fine; failing it now would hide a change that did happen.
      // The key stays in flight until its lease runs out, then a retry runs again.
      req.log.error(
        { err, route: held.ref.route },
        'idempotency: could not store or release the key',
      );
    }
    return payload;
  });
}

/** Keys are per caller: the signed-in user, else (public routes) the client address. */
function callerOf(req: FastifyRequest): string {
  return req.principal ? `user:${req.principal.userId}` : `ip:${req.ip}`;
}

/** Fastify plugin adding Idempotency-Key semantics to mutating routes under /api/; register after accessControl. */
export const idempotency = fp(idempotencyPlugin, {
  name: 'antnest-idempotency',
  dependencies: ['antnest-access'],
});
