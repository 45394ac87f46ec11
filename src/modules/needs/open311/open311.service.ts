/** GeoReport v2 behaviour on top of the module: discovery, services, filing and reading requests. */
import type { AppDeps } from '../../../platform/deps.ts';
import { AppError } from '../../../platform/errors.ts';
import { limit } from '../../../platform/limits.ts';
import { hitLimits } from '../../../platform/rate-limit.ts';
import { parsePhone } from '../../../platform/crypto/phone.ts';
import { listAllCommunities, searchUnits } from '../../places/index.ts';
import { listServices, requireService } from '../catalogue.service.ts';
import type { InstitutionGateway } from '../institution.adapter.ts';
import { fileNeed } from '../intake.service.ts';
import * as repo from '../need.repository.ts';
import type { NeedRow, NeedStatus } from '../need.types.ts';
import { clientOfKey } from './client.service.ts';
import { presentDefinition, presentRequest, presentService } from './open311.presenter.ts';

/** The discovery document. */
export function discovery(baseUrl: string) {
  return {
    changeset: '2026-12-05T00:00:00+08:00',
    contact: '金泉街道社区服务 · antnest (issues: see /docs)',
    key_service: 'API keys are issued per client by the subdistrict in the antnest console.',
    endpoints: [
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: `${baseUrl}/open311/v2`,
        changeset: '2026-12-05T00:00:00+08:00',
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ],
  };
}

/** The services list. */
export async function services(deps: AppDeps) {
  return (await listServices(deps.db)).map(presentService);
}

/** One service's definition; 404 for an unknown code. */
export async function definition(deps: AppDeps, code: string) {
  return presentDefinition(await requireService(deps.db, code));
}

async function names(deps: AppDeps) {
  const svc = new Map((await listServices(deps.db, false)).map((s) => [s.code, s.name]));
  const com = new Map((await listAllCommunities(deps.db)).map((c) => [c.id, c.name]));
  return (rows: NeedRow[]) =>
    rows.map((n) =>
      presentRequest(n, svc.get(n.service_code) ?? n.service_code, com.get(n.community_id) ?? ''),
    );
}

/** Parsed POST requests parameters. */
export interface PostParams {
  fields: Record<string, string | undefined>;
  attributes: Record<string, string | string[]>;
}

const num = (s: string | undefined, what: string): number | null => {
  if (s === undefined || s === '') return null;
  const v = Number(s);
  if (!Number.isFinite(v)) throw new AppError('bad_request', `${what} must be a number.`);
  return v;
};

/** File a request from an Open311 client (api_key required). */
export async function postRequest(
  deps: AppDeps,
  gateway: InstitutionGateway,
  p: PostParams,
  address: string,
) {
  const client = await clientOfKey(deps, p.fields['api_key']);
  if (!client)
    throw new AppError(
      'forbidden',
      'api_key was not provided or is not valid; ask the subdistrict for a key.',
    );
  await hitLimits(deps.db, deps.clock, [
    limit('publicApiPerKey', client.id),
    limit('open311PostPerAddress', address),
  ]);
  if (!p.fields['service_code'])
    throw new AppError('bad_request', 'service_code was not provided.');
  const lat = num(p.fields['lat'], 'lat');
  const long = num(p.fields['long'], 'long');
  if ((lat === null) !== (long === null))
    throw new AppError('bad_request', 'lat and long go together.');
  if (lat !== null && (Math.abs(lat) > 90 || Math.abs(long!) > 180))
    throw new AppError('bad_request', 'lat/long are out of range.');
  let unitId = p.fields['address_id'] || null;
  let communityId = p.fields['jurisdiction_id'] || null;
  const addr = p.fields['address_string']?.trim() || null;
  if (addr && addr.length > 200)
    throw new AppError('bad_request', 'address_string is longer than 200 characters.');
  if (!unitId && addr) {
    // A unit named in words ("清淳家园 1栋1单元") routes to its grid like an app request.
    const hits = await searchUnits(deps.db, addr, 2);
    if (hits.length === 1 && (!communityId || hits[0]!.communityId === communityId))
      unitId = hits[0]!.unitId;
  }
  if (!unitId && !communityId && (addr || lat !== null)) {
    const all = await listAllCommunities(deps.db);
    if (all.length === 1) communityId = all[0]!.id;
  }
  if (!unitId && !(addr || lat !== null))
    throw new AppError(
      'bad_request',
      'A location is required: lat and long, address_string, or address_id.',
    );
  if (!unitId && !communityId)
    throw new AppError(
      'bad_request',
      'jurisdiction_id is required with lat/long or an address this server cannot place (GET discovery for the list).',
    );
  const phone = p.fields['phone'] ? parsePhone(p.fields['phone']) : null;
  if (p.fields['phone'] && !phone)
    throw new AppError('bad_request', 'phone must be a mainland mobile number.');
  const name =
    [p.fields['last_name'], p.fields['first_name']].filter(Boolean).join('').slice(0, 50) || null;
  try {
    const n = await fileNeed(deps, gateway, {
      channel: 'open311',
      serviceCode: p.fields['service_code'],
      description: p.fields['description'] ?? '',
      attributes: p.attributes,
      unitId,
      communityId,
      address: addr,
      lat,
      long,
      contactName: name,
      contactPhone: phone,
      open311Client: client.id,
      actor: { userId: null, kind: 'open311' },
    });
    return [
      {
        service_request_id: n.id,
        token: n.token,
        service_notice: `预计办理期限 ${n.due_at}`,
        account_id: null,
      },
    ];
  } catch (e) {
    // In GeoReport v2 an unknown service_code or place in a POST is the caller's 400, not a 404.
    if (e instanceof AppError && e.status === 404) throw new AppError('bad_request', e.message);
    throw e;
  }
}

/** Query of GET requests. */
export interface ListParams {
  service_request_id?: string;
  service_code?: string;
  start_date?: string;
  end_date?: string;
  status?: string;
  jurisdiction_id?: string;
}

const date = (s: string | undefined, what: string): string | undefined => {
  if (!s) return undefined;
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new AppError('bad_request', `${what} must be a W3C date-time.`);
  return new Date(t).toISOString();
};

/** The public list (at most 1000; by default the last 90 days). */
export async function listRequests(deps: AppDeps, q: ListParams) {
  const ids = q.service_request_id
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids && ids.length > 100)
    throw new AppError('bad_request', 'At most 100 service_request_id values.');
  const statuses = q.status?.split(',').map((s) => s.trim());
  if (statuses?.some((s) => s !== 'open' && s !== 'closed'))
    throw new AppError('bad_request', 'status is open, closed, or both.');
  const map: Record<string, NeedStatus[]> = {
    open: ['received', 'dispatched', 'in_progress', 'reopened'],
    closed: ['replied', 'closed', 'declined'],
  };
  const end = date(q.end_date, 'end_date') ?? new Date(deps.clock.now() + 1).toISOString();
  const start =
    date(q.start_date, 'start_date') ??
    (ids ? undefined : new Date(Date.parse(end) - 90 * 86_400_000).toISOString());
  const rows = await repo.listNeeds(deps.db, {
    ...(ids ? { ids } : {}),
    ...(q.service_code ? { serviceCodes: q.service_code.split(',') } : {}),
    ...(statuses ? { statuses: statuses.flatMap((s) => map[s]!) } : {}),
    ...(q.jurisdiction_id ? { communityId: q.jurisdiction_id } : {}),
    ...(start ? { receivedFrom: start } : {}),
    ...(ids ? {} : { receivedTo: end }),
    limit: 1000,
    offset: 0,
  });
  return (await names(deps))(rows);
}

/** One request by id, as a one-element list; 404 when unknown. */
export async function getRequest(deps: AppDeps, id: string) {
  const n = /^[0-9a-f-]{36}$/.test(id) ? await repo.findNeed(deps.db, id) : undefined;
  if (!n) throw new AppError('not_found', `service_request_id ${id} was not found.`);
  return (await names(deps))([n]);
}

/** The request id behind a token. */
export async function byToken(deps: AppDeps, token: string) {
  const n = token.length <= 64 ? await repo.findByToken(deps.db, token) : undefined;
  if (!n) throw new AppError('not_found', `token ${token} was not found.`);
  return [{ service_request_id: n.id, token: n.token }];
}
