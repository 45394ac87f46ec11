/** HTTP shapes of the staff parcel search. */
import { Type } from 'typebox';
import { Obj } from '../../../platform/http/schemas.ts';
import { PlaceLabelView } from '../../places/places.schemas.ts';
import { CourierParcelView } from '../core/parcel.schemas.ts';

/** A parcel as staff find it: the courier's view (masked phone, no code) with its place named. */
export const StaffParcelView = Obj({
  ...CourierParcelView.properties,
  lockerName: Type.String(),
  place: Type.Optional(PlaceLabelView),
});
