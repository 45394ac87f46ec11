/** Request and response shapes of recording where a missing parcel went (ADR 0041). */
import { Type } from 'typebox';
import { Id, Obj } from '../../../platform/http/schemas.ts';

export const MISSING_OUTCOMES = ['found', 'handed_over', 'lost'] as const;

export const AlertParams = Obj({ alertId: Id });

export const MissingOutcomeInput = Obj({
  outcome: Type.Enum([...MISSING_OUTCOMES], {
    description:
      'found: the parcel was in the compartment after all (it stays stored) · handed_over: staff gave it to its recipient (picked up) · lost: not found anywhere (lost; the recipient is told)',
  }),
  note: Type.String({
    minLength: 2,
    maxLength: 200,
    pattern: '^[^\\u0000-\\u001f]*\\S[^\\u0000-\\u001f]*$',
    description:
      'what was checked and where the parcel is, for the audit trail; no names or phone numbers (runs of 4+ digits are masked)',
  }),
});

export const MissingOutcomeView = Obj({
  alertId: Id,
  outcome: Type.Enum([...MISSING_OUTCOMES]),
  parcels: Type.Array(
    Obj({
      id: Id,
      status: Type.Enum(['stored', 'picked_up', 'lost']),
    }),
    { description: 'every parcel the books had stored in the compartment, with its status now' },
  ),
});
