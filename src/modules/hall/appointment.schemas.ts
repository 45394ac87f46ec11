/** Request and response shapes of service appointments. */
import { Type } from 'typebox';
import { Id, Nullable, Obj, Timestamp } from '../../platform/http/schemas.ts';

export const HallOnly = Obj({ hallId: Id });
export const ServiceParams = Obj({ hallId: Id, catalogueItemId: Id });
export const SlotDayQuery = Obj({
  day: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
});

/** How a service is booked: set by hall staff on a service item; null: no appointment needed. */
export const AppointmentSettings = Obj({
  slotMinutes: Type.Integer({ minimum: 15, maximum: 480 }),
  capacity: Type.Integer({ minimum: 1, maximum: 100 }),
  /** The service's own hours; null: the hall's opening hours. */
  hours: Nullable(Type.String({ pattern: '^\\d{2}:\\d{2}-\\d{2}:\\d{2}$' })),
  /** Takes place at the resident's unit (housekeeping, repairs, laundry pick-up). */
  atHome: Type.Boolean(),
});

/** A service's slots on one day, for the app's slot picker. */
export const ServiceSlotsView = Obj({
  itemId: Id,
  day: Type.String(),
  hours: Type.String(),
  slotMinutes: Type.Integer(),
  capacity: Type.Integer(),
  atHome: Type.Boolean(),
  slots: Type.Array(
    Obj({
      start: Timestamp,
      end: Timestamp,
      free: Type.Integer(),
      /** False when it has started or is within the booking notice. */
      open: Type.Boolean(),
    }),
  ),
});

/** An appointment as an order line carries it. */
export const LineAppointment = Obj({
  start: Timestamp,
  end: Timestamp,
  atHome: Type.Boolean(),
  status: Type.Enum(['booked', 'cancelled']),
});

/** The console's appointment day view: what staff need to turn up, nothing more. */
export const AppointmentDayView = Obj({
  day: Type.String(),
  appointments: Type.Array(
    Obj({
      id: Id,
      orderId: Id,
      orderCode: Type.String(),
      orderStatus: Type.String(),
      service: Type.String(),
      start: Timestamp,
      end: Timestamp,
      places: Type.Integer(),
      /** "锦城小区 3栋 2单元" for a home visit; null when the resident comes to the hall. */
      where: Nullable(Type.String()),
      note: Nullable(Type.String()),
    }),
  ),
});
