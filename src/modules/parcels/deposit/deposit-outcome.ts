/**
 * What happened to a courier's deposit, as the courier app shows it (issue 12: honest
 * screens): the headline follows the parcel's real state and its events, never the
 * optimistic "opened" of the moment the request was accepted.
 */
import type { ParcelRow } from '../core/parcel.repository.ts';
import type { ParcelEventRow } from '../core/parcel-event.repository.ts';

/** The states the courier app tells apart. */
export type DepositOutcome =
  | 'opening' // reserved, the open command is on its way
  | 'opened' // the door opened: put the parcel in and shut it
  | 'stored' // door shut with the parcel inside: the recipient has the code
  | 'closed_empty' // door shut with nothing inside: cancelled
  | 'door_jammed' // the relay fired but the door did not open: cancelled
  | 'no_answer' // the locker never answered (offline, or it refused): cancelled
  | 'lapsed' // the door was open but nothing was stored in time: cancelled
  | 'picked_up'
  | 'other';

/** The outcome of a deposit from its row and its events (oldest first). */
export function depositOutcome(
  p: Pick<ParcelRow, 'status'>,
  events: readonly Pick<ParcelEventRow, 'type' | 'detail'>[],
): DepositOutcome {
  const opened = events.some((e) => e.type === 'door_opened_for_deposit');
  if (p.status === 'reserved') return opened ? 'opened' : 'opening';
  if (p.status === 'stored') return 'stored';
  if (p.status === 'picked_up') return 'picked_up';
  if (p.status !== 'cancelled') return 'other';
  const cancel = [...events].reverse().find((e) => e.type === 'reservation_cancelled');
  const why = cancel ? ((JSON.parse(cancel.detail ?? '{}') as { why?: string }).why ?? '') : '';
  // 'closed_empty_reported': a v2 locker's door_closed said the compartment was empty (fact.hooks.ts).
  if (why === 'closed_empty' || why === 'closed_empty_reported') return 'closed_empty';
  if (why === 'door_jammed') return 'door_jammed';
  if (why === 'reservation_expired' && opened) return 'lapsed';
  return 'no_answer';
}
