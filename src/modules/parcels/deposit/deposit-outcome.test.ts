/** The courier's headline follows what really happened to the deposit, and why it was cancelled. */
import { describe, expect, it } from 'vitest';
import { depositOutcome } from './deposit-outcome.ts';

const ev = (type: string, detail: object = {}) => ({ type, detail: JSON.stringify(detail) });

describe('depositOutcome', () => {
  it.each([
    ['reserved', [ev('reserved')], 'opening'],
    ['reserved', [ev('reserved'), ev('door_opened_for_deposit')], 'opened'],
    ['stored', [ev('reserved'), ev('door_opened_for_deposit'), ev('stored')], 'stored'],
    [
      'cancelled',
      [
        ev('reserved'),
        ev('door_opened_for_deposit'),
        ev('reservation_cancelled', { why: 'closed_empty' }),
      ],
      'closed_empty',
    ],
    [
      'cancelled',
      [
        ev('reserved'),
        ev('door_opened_for_deposit'),
        // A contract v2 locker reported the compartment empty in its door_closed.
        ev('reservation_cancelled', { why: 'closed_empty_reported' }),
      ],
      'closed_empty',
    ],
    [
      'cancelled',
      [
        ev('reserved'),
        ev('deposit_open_failed'),
        ev('reservation_cancelled', { why: 'door_jammed' }),
      ],
      'door_jammed',
    ],
    [
      'cancelled',
      [ev('reserved'), ev('reservation_cancelled', { why: 'unknown_outcome' })],
      'no_answer',
    ],
    [
      'cancelled',
      [ev('reserved'), ev('reservation_cancelled', { why: 'reservation_expired' })],
      'no_answer',
    ],
    [
      'cancelled',
      [
        ev('reserved'),
        ev('door_opened_for_deposit'),
        ev('reservation_cancelled', { why: 'reservation_expired' }),
      ],
      'lapsed',
    ],
    ['picked_up', [ev('stored'), ev('picked_up')], 'picked_up'],
  ] as const)('%s after %j is %s', (status, events, outcome) => {
    expect(depositOutcome({ status }, events)).toBe(outcome);
  });
});
