/** HTTP shapes of the locker directory. */
import { Type } from 'typebox';
import { Obj } from '../../platform/http/schemas.ts';

/** Free compartments by size. */
export const Free = Obj({
  S: Type.Integer(),
  M: Type.Integer(),
  L: Type.Integer(),
  XL: Type.Integer(),
});
/** A locker in the directory: its place in words and free compartments by size. */
export const DirectoryEntry = Obj({
  id: Type.String(),
  name: Type.String(),
  communityId: Type.String(),
  address: Type.String({
    description:
      'community, compound and locker site, as the apps show it ("清水河社区 清淳家园 1栋1单元门口")',
  }),
  place: Type.String({
    description:
      'what a person calls this cabinet: compound, site and, when the door has several, the number on it ("清淳家园 1栋1单元门口 2号柜")',
  }),
  cabinet: Type.String({
    description:
      '"1号柜", "2号柜"… when several cabinets stand at one door; empty when it stands alone',
  }),
  presence: Type.String({ description: 'online | offline | unknown' }),
  free: Free,
});
