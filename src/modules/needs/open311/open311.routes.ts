/**
 * Open311 GeoReport v2 at /open311/v2 (ADR 0024). Every endpoint answers in JSON or XML by
 * its extension; POST takes form-encoded parameters with attribute[code]; errors are the
 * spec's list of {code, description}. Reads are public (no personal data); filing needs an
 * api_key issued in the console.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../../platform/deps.ts';
import { AppError } from '../../../platform/errors.ts';
import type { InstitutionGateway } from '../institution.adapter.ts';
import * as svc from './open311.service.ts';
import { toXml } from './xml.ts';

type Format = 'json' | 'xml';
const tags = ['open311'];
const open = { access: { public: true } } as const;
const FileParams = Type.Object({ file: Type.String({ maxLength: 120 }) });
// Clients send the spec's parameters and often more (api_key on reads, locale…): unknown ones are ignored.
const Loose = Type.Object({}, { additionalProperties: Type.String({ maxLength: 4000 }) });

/** "abc.json" → ["abc", "json"]; anything else is a 404. */
function splitFile(file: string): [string, Format] {
  const m = /^(.+)\.(json|xml)$/.exec(file);
  if (!m) throw new AppError('not_found', 'Add .json or .xml to the path.');
  return [m[1]!, m[2] as Format];
}

function send(reply: FastifyReply, format: Format, root: string, value: unknown) {
  if (format === 'json') return reply.type('application/json; charset=utf-8').send(value);
  return reply.type('text/xml; charset=utf-8').send(toXml(root, value));
}

/** Form body → parameters, with attribute[code] (repeated for multi-value lists) gathered. */
export function parseForm(body: string): svc.PostParams {
  const out: svc.PostParams = { fields: {}, attributes: {} };
  for (const [k, v] of new URLSearchParams(body)) {
    const m = /^attribute\[([^\]]{1,60})\](\[\])?$/.exec(k);
    if (m) {
      const prev = out.attributes[m[1]!];
      out.attributes[m[1]!] = prev === undefined ? v : [prev, v].flat();
    } else out.fields[k] = v;
  }
  return out;
}

/** A POST body (form-parsed, or JSON from lenient clients) as parameters. */
function paramsOf(body: unknown): svc.PostParams {
  if (body && typeof body === 'object' && 'fields' in body)
    return body as unknown as svc.PostParams;
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new AppError(
      'bad_request',
      'Send the parameters form-encoded (application/x-www-form-urlencoded).',
    );
  const out: svc.PostParams = { fields: {}, attributes: {} };
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k === 'attribute' && v && typeof v === 'object')
      for (const [a, x] of Object.entries(v))
        out.attributes[a] = Array.isArray(x) ? x.map(String) : String(x);
    else if (typeof v === 'string' || typeof v === 'number') out.fields[k] = String(v);
  }
  return out;
}

/** The GeoReport v2 routes; register with prefix /open311/v2. */
export async function open311Routes(
  app: FastifyInstance,
  { deps, gateway }: { deps: AppDeps; gateway: InstitutionGateway },
): Promise<void> {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_r, body, done) => done(null, parseForm(String(body))),
  );
  app.setErrorHandler((err: FastifyError | AppError, req: FastifyRequest, reply: FastifyReply) => {
    const status = err instanceof AppError ? err.status : (err.statusCode ?? 500);
    if (status >= 500) req.log.error({ err }, 'open311 server error');
    if (err instanceof AppError && err.retryAfter !== undefined)
      void reply.header('retry-after', String(err.retryAfter));
    const description = status >= 500 ? 'General service error; try again later.' : err.message;
    const format: Format = /\.xml(\?|$)/.test(req.url) ? 'xml' : 'json';
    void reply.status(status);
    return send(reply, format, 'errors', [{ code: status, description }]);
  });

  for (const format of ['json', 'xml'] as const) {
    app.get(`/discovery.${format}`, {
      config: open,
      schema: { tags, summary: `Discovery (${format})`, querystring: Loose },
      handler: async (req, reply) =>
        send(reply, format, 'discovery', svc.discovery(`${req.protocol}://${req.host}`)),
    });
    app.get(`/services.${format}`, {
      config: open,
      schema: { tags, summary: `Service list (${format})`, querystring: Loose },
      handler: async (_req, reply) => send(reply, format, 'services', await svc.services(deps)),
    });
    app.get(`/requests.${format}`, {
      config: open,
      schema: {
        tags,
        summary: `Public request list (${format}); filters service_request_id, service_code, start_date, end_date, status`,
        querystring: Loose,
      },
      handler: async (req, reply) =>
        send(
          reply,
          format,
          'service_requests',
          await svc.listRequests(deps, req.query as svc.ListParams),
        ),
    });
    app.post(`/requests.${format}`, {
      config: open,
      schema: { tags, summary: `File a request (${format}); form-encoded, api_key required` },
      handler: async (req, reply) => {
        const params = paramsOf(req.body);
        const created = await svc.postRequest(deps, gateway, params, req.ip);
        void reply.status(201);
        return send(reply, format, 'service_requests', created);
      },
    });
  }

  app.get('/services/:file', {
    config: open,
    schema: {
      tags,
      summary: 'Service definition: /services/{service_code}.{json|xml}',
      params: FileParams,
      querystring: Loose,
    },
    handler: async (req, reply) => {
      const [code, format] = splitFile((req.params as { file: string }).file);
      return send(reply, format, 'service_definition', await svc.definition(deps, code));
    },
  });
  app.get('/requests/:file', {
    config: open,
    schema: {
      tags,
      summary: 'One request: /requests/{service_request_id}.{json|xml}',
      params: FileParams,
      querystring: Loose,
    },
    handler: async (req, reply) => {
      const [id, format] = splitFile((req.params as { file: string }).file);
      return send(reply, format, 'service_requests', await svc.getRequest(deps, id));
    },
  });
  app.get('/tokens/:file', {
    config: open,
    schema: {
      tags,
      summary: 'The request id behind a token: /tokens/{token}.{json|xml}',
      params: FileParams,
      querystring: Loose,
    },
    handler: async (req, reply) => {
      const [token, format] = splitFile((req.params as { file: string }).file);
      return send(reply, format, 'service_requests', await svc.byToken(deps, token));
    },
  });
}
