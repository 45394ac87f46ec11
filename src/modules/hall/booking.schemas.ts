/** Request and response shapes of space bookings. */
import { Type } from 'typebox';
import { Id, Nullable, Obj, Timestamp } from '../../platform/http/schemas.ts';

export const SpaceParams = Obj({ spaceId: Id });
export const BookingParams = Obj({ bookingId: Id });
export const HallBookingParams = Obj({ hallId: Id, bookingId: Id });
export const DayQuery = Obj({
  day: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
});

export const BookingInput = Obj({
  start: Type.String({ format: 'date-time' }),
  partySize: Type.Integer({ minimum: 1, maximum: 200 }),
  purpose: Type.String({ maxLength: 100 }),
});

export const CheckinInput = Obj({ code: Type.String({ pattern: '^\\d{6}$' }) });

export const BookingView = Obj({
  id: Id,
  spaceId: Id,
  spaceName: Type.String(),
  hallId: Id,
  start: Timestamp,
  end: Timestamp,
  partySize: Type.Integer(),
  purpose: Type.String(),
  status: Type.Enum(['confirmed', 'pending_approval', 'checked_in', 'cancelled', 'rejected']),
  /** Only to the booking's owner. */
  checkinCode: Nullable(Type.String()),
});

export const SpaceDay = Obj({
  id: Id,
  name: Type.String(),
  kind: Type.Enum(['table', 'meeting_room']),
  capacity: Type.Integer(),
  seats: Type.Integer(),
  approvalOver: Nullable(Type.Integer()),
  slotMinutes: Type.Integer(),
  slots: Type.Array(
    Obj({
      start: Timestamp,
      free: Type.Integer(),
      bookable: Type.Boolean({
        description:
          'Places left, and far enough ahead (60 min) but not too far (14 days): what a booking now would pass',
      }),
    }),
  ),
});

export const DayView = Obj({
  day: Type.String(),
  spaces: Type.Array(SpaceDay),
  bookings: Type.Array(BookingView),
});
