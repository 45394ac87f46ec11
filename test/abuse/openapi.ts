/**
 * The OpenAPI document as a list of operations, and request bodies derived from each
 * route's JSON Schema, so the abuse suites cover every route a module registers without
 * a hand-written list. A new route is probed the day it lands.
 */
export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** A JSON Schema as found in the document (TypeBox output). */
export type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  minProperties?: number;
  additionalProperties?: unknown;
};

/** One operation of the document. */
export interface Op {
  method: Method;
  /** OpenAPI path, e.g. /api/v1/units/{unitId}. */
  path: string;
  params: string[];
  body: Schema | undefined;
  isPublic: boolean;
  /** Answers with a never-ending stream (text/event-stream): crawl it over a socket, not inject. */
  streaming: boolean;
}

type DocOp = {
  security?: unknown[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};

/** The API operations (dev inbox and broker hooks excluded: they have their own suites). */
export function apiOperations(doc: { paths: Record<string, Record<string, DocOp>> }): Op[] {
  const ops: Op[] = [];
  for (const [path, byMethod] of Object.entries(doc.paths)) {
    if (
      !path.startsWith('/api/v1/') ||
      path.startsWith('/api/v1/dev/') ||
      path.startsWith('/api/v1/mqtt/')
    )
      continue;
    for (const [m, op] of Object.entries(byMethod)) {
      if (m === 'head' || m === 'parameters') continue;
      ops.push({
        method: m.toUpperCase() as Method,
        path,
        params: [...path.matchAll(/\{([^}]+)\}/g)].map((x) => x[1]!),
        body: op.requestBody?.content?.['application/json']?.schema,
        isPublic: !op.security,
        streaming: JSON.stringify(op).includes('text/event-stream'),
      });
    }
  }
  return ops;
}

/** Fill an OpenAPI path with ids: `ids(param, path)` returns the id for one parameter. */
export function fillPath(op: Op, ids: (param: string, path: string) => string): string {
  return op.path.replace(/\{([^}]+)\}/g, (_, p: string) => encodeURIComponent(ids(p, op.path)));
}

/** Fastify's route pattern (/units/:unitId) of an OpenAPI path (/units/{unitId}). */
export function routePattern(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ':$1');
}

const STRING_CANDIDATES = [
  '13800000006',
  '12345678',
  '123456',
  'A-01',
  '08:00-21:00',
  'ZTO9000000001',
  'abuse test 滥用测试',
  'abuse',
  '0190f5c2-dead-7000-8000-00000000beef',
  'x',
];

/** A valid-looking value for a schema; `named(field)` may supply one for a field by name. */
export function sample(
  s: Schema | undefined,
  named: (field: string) => unknown = () => undefined,
  field = '',
): unknown {
  if (!s) return undefined;
  const byName = field ? named(field) : undefined;
  if (byName !== undefined) return byName;
  if ('const' in s) return s.const;
  if (s.enum?.length) return s.enum[0];
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return sample(alt.find((a) => a.type !== 'null') ?? alt[0], named, field);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const k of s.required ?? []) out[k] = sample(s.properties?.[k], named, k);
      for (const k of Object.keys(s.properties ?? {})) {
        if (Object.keys(out).length >= (s.minProperties ?? 0)) break;
        out[k] = sample(s.properties?.[k], named, k);
      }
      return out;
    }
    case 'array':
      return s.minItems
        ? Array.from({ length: s.minItems }, () => sample(s.items, named, field))
        : [];
    case 'integer':
    case 'number':
      return Math.min(s.maximum ?? Number.MAX_SAFE_INTEGER, Math.max(s.minimum ?? 1, 1));
    case 'boolean':
      return true;
    case 'string': {
      if (s.format === 'date-time') return new Date(Date.now() + 3600_000).toISOString();
      if (s.format === 'date') return new Date().toISOString().slice(0, 10);
      const fits = (v: string) =>
        (!s.pattern || new RegExp(s.pattern, 'u').test(v)) &&
        v.length >= (s.minLength ?? 0) &&
        v.length <= (s.maxLength ?? Infinity);
      const hit = STRING_CANDIDATES.find(fits);
      if (hit) return hit;
      return 'a'.repeat(Math.max(1, s.minLength ?? 1));
    }
    default:
      return null;
  }
}
