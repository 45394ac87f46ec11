/** HTTP shapes of UV disinfection: cycles, and a community's after-use policy. */
import { Type } from 'typebox';
import { Nullable, Obj, Timestamp } from '../../platform/http/schemas.ts';

export const UvCycleView = Obj({
  compartment: Type.Integer(),
  trigger: Nullable(
    Type.String({
      description:
        'after_close (the after-use policy) | command (staff); null when the lamp never came on',
    }),
  ),
  outcome: Type.String({
    description:
      'running | completed | failed (lamp fault) | aborted (a door opened, an open, a restart) | blocked (door not closed)',
  }),
  reason: Nullable(Type.String()),
  durationSeconds: Nullable(Type.Integer()),
  ranSeconds: Nullable(Type.Integer()),
  startedAt: Timestamp,
  endedAt: Nullable(Timestamp),
});

export const UvPolicyInput = Obj({
  afterUse: Type.Enum(['every_use', 'off'], {
    description:
      'every_use: each locker runs a cycle after every door close (default); off: only cycles staff start',
  }),
  cycleSeconds: Type.Integer({
    minimum: 10,
    maximum: 1800,
    description: 'Length of a cycle (default 300 s)',
  }),
});

export const UvPolicyView = Obj({ ...UvPolicyInput.properties, updatedAt: Nullable(Timestamp) });

export const UvCyclesQuery = Obj({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});
