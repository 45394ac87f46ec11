/** Request and response shapes of the dashboards: every chart is a small table (columns + rows). */
import { Type, type Static } from 'typebox';
import { Nullable, Obj } from '../../platform/http/schemas.ts';

export const CHARTS = [
  'utilisation',
  'dwell',
  'carriers',
  'peaks',
  'devices',
  'needs',
  'hall',
  'fund',
  'places',
] as const;
export type ChartName = (typeof CHARTS)[number];

export const SCOPES = ['subdistricts', 'communities', 'compounds', 'lockers'] as const;
export type ScopePath = (typeof SCOPES)[number];

/** A place id (UUID) or a locker id (as in MQTT topics); both fit this pattern. */
const PlaceId = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]{2,63}$',
  description: 'The place id, or the locker id for `lockers`',
});

/** The path parameter that names each scope's place (so access checks and BOLA probes see its kind). */
export const SCOPE_PARAM: Record<ScopePath, string> = {
  subdistricts: 'subdistrictId',
  communities: 'communityId',
  compounds: 'compoundId',
  lockers: 'lockerId',
};

/** `{ <scope>Id }` for one scope's routes. */
export const scopeParams = (scope: ScopePath) => Obj({ [SCOPE_PARAM[scope]]: PlaceId });

/** `{ <scope>Id, chart }` for one scope's chart route. */
export const chartParams = (scope: ScopePath) =>
  Obj({ [SCOPE_PARAM[scope]]: PlaceId, chart: Type.Enum([...CHARTS]) });

const Day = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'A day in Asia/Shanghai, YYYY-MM-DD',
});

export const ChartQuery = Obj({
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  format: Type.Optional(Type.Enum(['json', 'csv'] as const)),
});
export type ChartQueryT = Static<typeof ChartQuery>;

const Cell = Type.Union([Type.String(), Type.Number(), Type.Null()]);

/** One chart's data: what the console draws and what the CSV export holds. */
export const ChartTable = Obj({
  chart: Type.Enum([...CHARTS]),
  title: Type.String(),
  columns: Type.Array(Type.String()),
  rows: Type.Array(Type.Array(Cell)),
});
export type ChartTableT = Static<typeof ChartTable>;

/** Every chart of a scope at once (the console page's one request). */
export const DashboardView = Obj({
  scope: Type.Enum([...SCOPES]),
  id: Type.String(),
  name: Type.String(),
  from: Type.String(),
  to: Type.String(),
  /** The enclosing places, outermost first, for the breadcrumb. */
  trail: Type.Array(Obj({ scope: Type.Enum([...SCOPES]), id: Type.String(), name: Type.String() })),
  charts: Type.Array(ChartTable),
  /** Key figures of the window. */
  figures: Obj({
    deposits: Type.Number(),
    pickups: Type.Number(),
    overdueRate: Nullable(Type.Number()),
    needsOpened: Type.Number(),
    hallRevenueFen: Type.Number(),
    fundIncomeFen: Type.Number(),
  }),
});
export type DashboardViewT = Static<typeof DashboardView>;
