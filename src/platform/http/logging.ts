/**
 * The access log's view of a request, in one place: query values are logged only for
 * parameters known to hold no personal data (paging, fixed vocabularies); every other value
 * (`q`, `phone`, anything new) is replaced by `[redacted]`, and a mobile number written into
 * a path is masked. docs/security.md promises that phones never appear in logs (issue 13,
 * finding 4: a staff search by phone was logged in clear).
 */
import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Config } from '../../config.ts';

/** Query parameters whose values are safe to log as sent. Anything else is redacted. */
export const PLAIN_QUERY_PARAMS: ReadonlySet<string> = new Set([
  'limit',
  'offset',
  'cursor',
  'page',
  'role',
  'status',
  'kind',
  'since',
  'until',
  'before',
  'after',
  'sort',
  'order',
  'lang',
  'format',
  'size',
]);

// A mainland mobile number (optionally +86 / 86, with spaces, dots or dashes) standing alone in the text.
const MOBILE_SOURCE = String.raw`(?<![0-9A-Za-z])(?:(?:\+|%2B)?86[-. ]?)?1[3-9]\d(?:[-. ]|%20)?\d{4}(?:[-. ]|%20)?\d{4}(?![0-9A-Za-z])`;
const MOBILE = new RegExp(MOBILE_SOURCE, 'gi');
const HAS_MOBILE = new RegExp(MOBILE_SOURCE, 'i');

/** A URL as the access log may keep it: path with phones masked, query values redacted unless known harmless. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).replace(MOBILE, '[phone]');
  if (q < 0) return path;
  const query = url
    .slice(q + 1)
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawKey = eq < 0 ? pair : pair.slice(0, eq);
      let key = rawKey;
      try {
        key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      } catch {
        // An undecodable key is logged redacted like any unknown one.
      }
      const safeKey = rawKey.replace(MOBILE, '[phone]');
      if (eq < 0) return safeKey;
      const value = pair.slice(eq + 1);
      return PLAIN_QUERY_PARAMS.has(key) && !HAS_MOBILE.test(value)
        ? pair
        : `${safeKey}=[redacted]`;
    });
  return `${path}?${query.join('&')}`;
}

/** The request fields every log line carries (replaces Fastify's default, which logs the raw URL). */
export function serializeRequest(req: FastifyRequest): Record<string, unknown> {
  return {
    method: req.method,
    url: redactUrl(req.url),
    // The route pattern (`/api/v1/communities/:communityId/parcels`) groups lines without any value in them.
    route: req.routeOptions?.url,
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/** Where log lines go instead of stdout (tests capture them). */
export interface LogStream {
  write(line: string): void;
}

/** The application logger's options: level, the request serializer above and field redaction. */
export function loggerOptions(
  config: Pick<Config, 'logLevel'>,
  stream?: LogStream,
): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  return {
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.authorization',
        '*.password',
        '*.phone',
        '*.code',
        '*.refreshToken',
        '*.token',
      ],
      censor: '[redacted]',
    },
    serializers: { req: serializeRequest as (req: unknown) => Record<string, unknown> },
    ...(stream ? { stream } : {}),
  };
}
