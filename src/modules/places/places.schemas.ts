/**
 * What the places API accepts and returns. Inputs are closed objects (an unknown field
 * is a 400); each view is the whitelist of what leaves the server.
 */
import { type Static, Type } from 'typebox';
import { Id, Name, Nullable, Obj, Timestamp } from '../../platform/http/schemas.ts';

/** A published phone line (landline or mobile): digits with optional +, spaces and dashes. */
export const PublicPhone = Type.String({
  minLength: 3,
  maxLength: 20,
  pattern: '^\\+?[0-9][0-9 -]*[0-9]$',
  description: 'A published service line, e.g. 028-87000101',
});
export const Address = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '^[^\\u0000-\\u001f]*\\S[^\\u0000-\\u001f]*$',
});
export const OpeningHours = Type.String({
  pattern: '^([01]\\d|2[0-3]):[0-5]\\d-([01]\\d|2[0-4]):[0-5]\\d$',
  description: 'HH:MM-HH:MM, local time (Asia/Shanghai)',
});
export const CarrierKind = Type.Enum(['express', 'takeout']);

// ── path parameters ───────────────────────────────────────────────────────────
export const SubdistrictParams = Obj({ subdistrictId: Id });
export const CommunityParams = Obj({ communityId: Id });
export const CompoundParams = Obj({ compoundId: Id });
export const BuildingParams = Obj({ buildingId: Id });
export const UnitParams = Obj({ unitId: Id });
export const HallParams = Obj({ hallId: Id });

// ── inputs ────────────────────────────────────────────────────────────────────
export const CreateSubdistrict = Obj({ name: Name, city: Name, district: Name });
export const CreateCommunity = Obj({ name: Name });
export const CreateCompound = Obj({ name: Name, address: Address });
export const CreateGrid = Obj({ name: Name, servicePhone: Type.Optional(Nullable(PublicPhone)) });
export const CreateBuilding = Obj({
  name: Name,
  floors: Type.Integer({ minimum: 1, maximum: 200 }),
  gridId: Type.Optional(Nullable(Id)),
});
export const UpdateBuilding = Type.Object(
  {
    name: Type.Optional(Name),
    floors: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    gridId: Type.Optional(Nullable(Id)),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'Give at least one field; gridId null removes the building from its grid.',
  },
);
export const CreateUnit = Obj({
  name: Name,
  households: Type.Integer({ minimum: 0, maximum: 5000 }),
});
export const CreateHall = Obj({
  name: Name,
  address: Address,
  openingHours: OpeningHours,
  compoundId: Type.Optional(Nullable(Id)),
});
export const CreatePoliceContact = Obj({
  name: Name,
  title: Type.Optional(Name),
  workPhone: PublicPhone,
  gridId: Type.Optional(Nullable(Id)),
});
export const CreateLockerSite = Obj({
  name: Type.Optional(Name),
  unitId: Type.Optional(Nullable(Id)),
});
export const CreateCarrier = Obj({
  code: Type.String({
    pattern: '^[a-z][a-z0-9_-]{1,31}$',
    description: 'Short lowercase code, e.g. zto',
  }),
  name: Name,
  kind: CarrierKind,
});

// ── views ─────────────────────────────────────────────────────────────────────
export const SubdistrictView = Obj({
  id: Id,
  name: Type.String(),
  city: Type.String(),
  district: Type.String(),
  createdAt: Timestamp,
});
const communityProps = { id: Id, subdistrictId: Id, name: Type.String(), createdAt: Timestamp };
export const CommunityView = Obj(communityProps);
export const CommunityDetail = Obj({
  ...communityProps,
  counts: Obj({
    compounds: Type.Integer(),
    grids: Type.Integer(),
    buildings: Type.Integer(),
    units: Type.Integer(),
    halls: Type.Integer(),
    lockerSites: Type.Integer(),
    policeContacts: Type.Integer(),
  }),
});
export const CompoundView = Obj({
  id: Id,
  communityId: Id,
  name: Type.String(),
  address: Type.String(),
  createdAt: Timestamp,
});
export const GridView = Obj({
  id: Id,
  communityId: Id,
  name: Type.String(),
  servicePhone: Nullable(Type.String()),
  createdAt: Timestamp,
});
export const BuildingView = Obj({
  id: Id,
  communityId: Id,
  compoundId: Id,
  gridId: Nullable(Id),
  name: Type.String(),
  floors: Type.Integer(),
  createdAt: Timestamp,
});
const unitProps = {
  id: Id,
  communityId: Id,
  compoundId: Id,
  buildingId: Id,
  name: Type.String(),
  households: Type.Integer(),
  createdAt: Timestamp,
};
export const UnitView = Obj(unitProps);
export const UnitDetail = Obj({
  ...unitProps,
  buildingName: Type.String(),
  compoundName: Type.String(),
  communityName: Type.String(),
  gridId: Nullable(Id),
});
export const HallView = Obj({
  id: Id,
  communityId: Id,
  compoundId: Nullable(Id),
  name: Type.String(),
  address: Type.String(),
  openingHours: Type.String(),
  createdAt: Timestamp,
});
export const LockerSiteView = Obj({
  id: Id,
  communityId: Id,
  compoundId: Id,
  buildingId: Id,
  unitId: Nullable(Id),
  name: Type.String(),
  createdAt: Timestamp,
});
export const PoliceContactView = Obj({
  id: Id,
  communityId: Id,
  gridId: Nullable(Id),
  name: Type.String(),
  title: Type.String(),
  workPhone: Type.String(),
  createdAt: Timestamp,
});
export const CarrierView = Obj({
  id: Id,
  code: Type.String(),
  name: Type.String(),
  kind: CarrierKind,
  createdAt: Timestamp,
});

/** One unit as its resident sees it in the app's directory tab: only what is published. */
export const DirectoryEntry = Obj({
  unit: Obj({ id: Id, name: Type.String(), households: Type.Integer() }),
  building: Obj({ id: Id, name: Type.String() }),
  compound: Obj({ id: Id, name: Type.String(), address: Type.String() }),
  community: Obj({ id: Id, name: Type.String() }),
  grid: Nullable(Obj({ id: Id, name: Type.String(), servicePhone: Nullable(Type.String()) })),
  policeContacts: Type.Array(
    Obj({
      name: Type.String(),
      title: Type.String(),
      workPhone: Type.String(),
      forMyGrid: Type.Boolean(),
    }),
  ),
  halls: Type.Array(
    Obj({ id: Id, name: Type.String(), address: Type.String(), openingHours: Type.String() }),
  ),
  lockerSites: Type.Array(Obj({ id: Id, name: Type.String(), atMyUnit: Type.Boolean() })),
});
export const DirectoryView = Obj({ units: Type.Array(DirectoryEntry) });

/** Where a locker stands, in words (area.scope.ts placeLabels): what staff screens show instead of ids. */
export const PlaceLabelView = Obj({
  compoundId: Id,
  compound: Type.String(),
  buildingId: Id,
  building: Type.String(),
  unit: Nullable(Type.String()),
  site: Type.String(),
  cabinet: Type.String({ description: "The cabinet's own name without the site it repeats" }),
});

export type SubdistrictView = Static<typeof SubdistrictView>;
export type CommunityView = Static<typeof CommunityView>;
export type CommunityDetail = Static<typeof CommunityDetail>;
export type CompoundView = Static<typeof CompoundView>;
export type GridView = Static<typeof GridView>;
export type BuildingView = Static<typeof BuildingView>;
export type UnitView = Static<typeof UnitView>;
export type UnitDetail = Static<typeof UnitDetail>;
export type HallView = Static<typeof HallView>;
export type LockerSiteView = Static<typeof LockerSiteView>;
export type PoliceContactView = Static<typeof PoliceContactView>;
export type CarrierView = Static<typeof CarrierView>;
export type DirectoryEntry = Static<typeof DirectoryEntry>;
export type DirectoryView = Static<typeof DirectoryView>;
