/**
 * What the life-circle API accepts and returns (ADR 0030). Walking settings may be
 * overridden per request within WALK_BOUNDS; the views are the whitelist of what leaves.
 */
import { type Static, Type } from 'typebox';
import { Id, Nullable, Obj } from '../../../platform/http/schemas.ts';

/** Bounds a walking-settings override must keep (defaults: lifecircle.policy.ts). */
export const WALK_BOUNDS = {
  detourFactor: { minimum: 1, maximum: 3 },
  speedMPerMin: { minimum: 20, maximum: 200 },
  minutes: { minimum: 1, maximum: 30 },
} as const;

export const CommunityParams = Obj({ communityId: Id });
export const SubdistrictParams = Obj({ subdistrictId: Id });

const walkQuery = {
  detourFactor: Type.Optional(
    Type.Number({
      ...WALK_BOUNDS.detourFactor,
      description: 'Walking ÷ straight line (default 1.3)',
    }),
  ),
  speedMPerMin: Type.Optional(
    Type.Number({ ...WALK_BOUNDS.speedMPerMin, description: 'Walking speed, m/min (default 80)' }),
  ),
  hallMinutes: Type.Optional(
    Type.Number({ ...WALK_BOUNDS.minutes, description: 'Target walk to a hall (default 5)' }),
  ),
  lockerMinutes: Type.Optional(
    Type.Number({ ...WALK_BOUNDS.minutes, description: 'Target walk to a locker (default 2)' }),
  ),
};
export const WalkQuery = Obj(walkQuery);
export type WalkQuery = Static<typeof WalkQuery>;

export const PlanQuery = Obj({
  ...walkQuery,
  kind: Type.Optional(Type.Enum(['hall', 'locker'], { default: 'hall' })),
  count: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: 2 })),
  candidates: Type.Optional(Type.Enum(['buildings', 'grid'], { default: 'buildings' })),
  gridStepM: Type.Optional(Type.Integer({ minimum: 25, maximum: 1000, default: 100 })),
});
export type PlanQuery = Static<typeof PlanQuery>;

const Settings = Obj({
  detourFactor: Type.Number(),
  speedMPerMin: Type.Number(),
  hallMinutes: Type.Number(),
  lockerMinutes: Type.Number(),
  hallRadiusM: Type.Number({ description: 'Straight-line radius of the hall target walk' }),
  lockerRadiusM: Type.Number(),
});

const NearestView = Nullable(
  Obj({ id: Id, straightM: Type.Number(), walkM: Type.Number(), minutes: Type.Number() }),
);

export const Summary = Obj({
  buildings: Type.Integer(),
  unlocatedBuildings: Type.Integer(),
  households: Type.Integer(),
  householdsNearHall: Type.Integer(),
  shareNearHall: Type.Number(),
  householdsNearLocker: Type.Integer(),
  shareNearLocker: Type.Number(),
  medianHallMinutes: Nullable(Type.Number()),
});
export type Summary = Static<typeof Summary>;

const Point = { lat: Nullable(Type.Number()), lng: Nullable(Type.Number()) };

export const BuildingView = Obj({
  id: Id,
  communityId: Id,
  compoundId: Id,
  compoundName: Type.String(),
  name: Type.String(),
  ...Point,
  households: Type.Integer(),
  nearestHall: NearestView,
  nearestLocker: NearestView,
});

export const FacilityView = Obj({ id: Id, communityId: Id, name: Type.String(), ...Point });

export const LifeCircleView = Obj({
  scope: Obj({ kind: Type.Enum(['community', 'subdistrict']), id: Id, name: Type.String() }),
  settings: Settings,
  summary: Summary,
  communities: Type.Array(Obj({ id: Id, name: Type.String(), summary: Summary })),
  buildings: Type.Array(BuildingView),
  halls: Type.Array(FacilityView),
  lockerSites: Type.Array(FacilityView),
});
export type LifeCircleView = Static<typeof LifeCircleView>;

export const PlanView = Obj({
  kind: Type.Enum(['hall', 'locker']),
  candidates: Type.Enum(['buildings', 'grid']),
  minutes: Type.Number(),
  radiusM: Type.Number(),
  candidateCount: Type.Integer(),
  households: Type.Integer(),
  coveredBefore: Type.Integer(),
  shareBefore: Type.Number(),
  proposals: Type.Array(
    Obj({
      rank: Type.Integer(),
      lat: Type.Number(),
      lng: Type.Number(),
      buildingId: Nullable(Id),
      label: Type.String({ description: 'The building name, or the grid point as lat,lng' }),
      gainHouseholds: Type.Integer(),
      coveredAfter: Type.Integer(),
      shareAfter: Type.Number(),
    }),
  ),
});
export type PlanView = Static<typeof PlanView>;
