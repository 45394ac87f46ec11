/** HTTP shapes of the staff console's start: my workplaces, and the places of my area. */
import { Type } from 'typebox';
import { Id, Nullable, Obj } from '../../platform/http/schemas.ts';

/** My staff and partner roles with places named, and the communities I may pick. */
export const WorkplacesView = Obj({
  grants: Type.Array(
    Obj({
      role: Type.String(),
      scopeKind: Type.String(),
      scopeId: Type.String(),
      placeName: Nullable(
        Type.String({ description: 'The granted place by name; null for the whole platform' }),
      ),
      communityId: Nullable(Type.String()),
      communityName: Nullable(Type.String()),
    }),
  ),
  communities: Type.Array(Obj({ id: Id, name: Type.String(), subdistrict: Type.String() })),
});
export const Named = Obj({ id: Id, name: Type.String() });
/** The compounds and buildings of my area in a community. */
export const AreaView = Obj({
  compounds: Type.Array(Obj({ id: Id, name: Type.String(), buildings: Type.Array(Named) })),
});
