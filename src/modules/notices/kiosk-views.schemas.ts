/** Response shapes of the hall kiosk (the whitelist of what it shows); free of server imports, so the web apps take their types from here. */
import { type Static, Type } from 'typebox';
import { Id, Nullable, Obj, Timestamp } from '../../platform/http/schemas.ts';
import { ActivityView, NoticeView } from './notice.schemas.ts';

export const KioskSession = Obj({
  accessToken: Type.String(),
  expiresAt: Timestamp,
  name: Type.String(),
});

export const HallCard = Obj({
  id: Id,
  name: Type.String(),
  address: Type.String(),
  openingHours: Type.String(),
});
export const HallServices = Obj({
  phone: Nullable(Type.String({ description: "the hall's counter phone" })),
  intro: Type.String(),
  categories: Type.Array(Obj({ code: Type.String(), zh: Type.String(), en: Type.String() })),
  items: Type.Array(
    Obj({
      id: Id,
      kind: Type.Enum(['product', 'service']),
      category: Type.String(),
      name: Type.String(),
      priceFen: Type.Integer(),
      unit: Type.String(),
    }),
  ),
});
export const KioskBoard = Obj({
  hall: HallCard,
  communityId: Id,
  services: HallServices,
  notices: Type.Array(NoticeView),
  activities: Type.Array(ActivityView),
});
export const HallParams = Obj({ hallId: Id });

export const ContactsView = Obj({
  units: Type.Array(
    Obj({
      unitId: Id,
      label: Type.String({ description: '清淳家园 1栋 1单元' }),
      grid: Nullable(Obj({ name: Type.String(), servicePhone: Nullable(Type.String()) })),
      gridWorkers: Type.Array(Obj({ name: Type.String() })),
      police: Type.Array(
        Obj({
          name: Type.String(),
          title: Type.String(),
          workPhone: Type.String(),
          forMyGrid: Type.Boolean(),
        }),
      ),
    }),
  ),
});

export const SocialSecurityView = Obj({
  source: Type.String(),
  checkedAt: Timestamp,
  statement: Nullable(
    Obj({
      insuredName: Type.String(),
      insuredPlace: Type.String(),
      pension: Obj({ status: Type.String(), months: Type.Integer(), balanceFen: Type.Integer() }),
      medical: Obj({ status: Type.String(), balanceFen: Type.Integer() }),
      lastPaidMonth: Type.String(),
      updatedAt: Timestamp,
    }),
  ),
});

export type KioskSession = Static<typeof KioskSession>;
export type HallCard = Static<typeof HallCard>;
export type KioskBoard = Static<typeof KioskBoard>;
export type ContactsView = Static<typeof ContactsView>;
export type SocialSecurityView = Static<typeof SocialSecurityView>;
