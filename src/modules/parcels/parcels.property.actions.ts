/** The actions of the parcel property test and how fast-check draws them (parcels.property.test.ts). */
import fc from 'fast-check';
import type { CompartmentSize } from '../lockers/index.ts';

export const LAYOUT: { number: number; size: CompartmentSize; kind: 'normal' }[] = (
  ['S', 'S', 'S', 'M', 'L', 'XL'] as const
).map((size, i) => ({ number: i + 1, size, kind: 'normal' }));
export const N = LAYOUT.length;

/** Two recipients, so 'together' deposits meet both matching and non-matching parcels. */
export const PHONES = ['13800000001', '13800000002'] as const;

export type Action =
  | { a: 'deposit'; size: CompartmentSize; to: 0 | 1; together: boolean }
  | { a: 'door_opened'; c: number }
  | { a: 'door_closed'; c: number }
  | { a: 'occupancy'; c: number; occupied: boolean }
  | { a: 'open_response'; pick: number; status: 'opened' | 'door_jammed' }
  /** stored: the code of a stored parcel; used: the code of any parcel that ever had one (picked up ones too); wrong: random digits. */
  | {
      a: 'code';
      pick: number;
      which: 'stored' | 'used' | 'wrong';
      wrong: string;
      answer: 'opened' | 'door_jammed' | null;
    }
  /** Two couriers deposit at the same instant. */
  | { a: 'race'; sizes: [CompartmentSize, CompartmentSize] }
  | { a: 'advance'; ms: number }
  /** Free storage runs out (49 h pass) and the overdue sweep moves parcels to the hall's list. */
  | { a: 'overdue' }
  /** Hall staff work a shelf item: open its compartment, shelve it, or hand it over (right or wrong code). */
  | {
      a: 'hall';
      pick: number;
      step: 'retrieve' | 'shelve' | 'hand_over' | 'hand_over_wrong';
      answer?: 'opened' | 'door_jammed' | null;
    }
  /** The courier puts the parcel into a reserved compartment (or the recipient empties one) and shuts the door: occupancy then door_closed. */
  | { a: 'fill_or_empty'; pick: number; fill: boolean };

const compartmentArb = fc.integer({ min: 1, max: N });
export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      a: fc.constant('deposit' as const),
      size: fc.constantFrom<CompartmentSize>('S', 'S', 'M', 'L', 'XL'),
      to: fc.constantFrom(0 as const, 1 as const),
      together: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ a: fc.constant('door_opened' as const), c: compartmentArb }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ a: fc.constant('door_closed' as const), c: compartmentArb }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      a: fc.constant('occupancy' as const),
      c: compartmentArb,
      occupied: fc.boolean(),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      a: fc.constant('open_response' as const),
      pick: fc.nat(20),
      status: fc.constantFrom('opened' as const, 'opened' as const, 'door_jammed' as const),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      a: fc.constant('code' as const),
      pick: fc.nat(20),
      which: fc.constantFrom(
        'stored' as const,
        'stored' as const,
        'used' as const,
        'wrong' as const,
      ),
      wrong: fc.stringMatching(/^\d{8}$/),
      answer: fc.constantFrom(null, 'opened' as const, 'opened' as const, 'door_jammed' as const),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      a: fc.constant('fill_or_empty' as const),
      pick: fc.nat(20),
      fill: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      a: fc.constant('race' as const),
      sizes: fc.tuple(
        fc.constantFrom<CompartmentSize>('S', 'M', 'XL'),
        fc.constantFrom<CompartmentSize>('S', 'M', 'XL'),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      a: fc.constant('advance' as const),
      ms: fc.constantFrom(30_000, 130_000, 8 * 24 * 3600_000),
    }),
  },
  { weight: 2, arbitrary: fc.record({ a: fc.constant('overdue' as const) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      a: fc.constant('hall' as const),
      pick: fc.nat(20),
      step: fc.constantFrom(
        'retrieve' as const,
        'retrieve' as const,
        'shelve' as const,
        'hand_over' as const,
        'hand_over_wrong' as const,
      ),
    }),
  },
);

/** The same actions weighted towards the overdue move: parcels get stored, run out of free storage, and hall staff work them. */
export const moveArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      a: fc.constant('deposit' as const),
      size: fc.constantFrom<CompartmentSize>('S', 'M'),
      to: fc.constantFrom(0 as const, 1 as const),
      together: fc.boolean(),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      a: fc.constant('fill_or_empty' as const),
      pick: fc.nat(20),
      fill: fc.constantFrom(true, true, false),
    }),
  },
  { weight: 2, arbitrary: fc.record({ a: fc.constant('overdue' as const) }) },
  {
    weight: 12,
    arbitrary: fc.record({
      a: fc.constant('hall' as const),
      pick: fc.nat(20),
      step: fc.constantFrom(
        'retrieve' as const,
        'retrieve' as const,
        'shelve' as const,
        'shelve' as const,
        'hand_over' as const,
        'hand_over_wrong' as const,
      ),
      answer: fc.constantFrom(
        null,
        'opened' as const,
        'opened' as const,
        'opened' as const,
        'door_jammed' as const,
      ),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      a: fc.constant('open_response' as const),
      pick: fc.nat(20),
      status: fc.constantFrom('opened' as const, 'opened' as const, 'door_jammed' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      a: fc.constant('code' as const),
      pick: fc.nat(20),
      which: fc.constantFrom('stored' as const, 'used' as const, 'wrong' as const),
      wrong: fc.stringMatching(/^\d{8}$/),
      answer: fc.constantFrom(null, 'opened' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ a: fc.constant('door_closed' as const), c: compartmentArb }),
  },
);
