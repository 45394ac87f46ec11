/**
 * UV disinfection as the cloud records it (ADR 0019): one row per cycle a locker
 * reported, built from its uv_* facts, and each community's after-use policy, which the
 * lockers run on their own (pushed to them as device settings).
 */

/** How a cycle ended; `running` until its uv_done arrives. `failed` = the lamp failed (lamp_fault). */
export type UvOutcome = 'running' | 'completed' | 'failed' | 'aborted' | 'blocked';

export interface UvCycleTable {
  locker_id: string;
  /** Seq of the fact that opened this record (uv_started, a v2 door_closed announcing the after-use cycle, or a lone uv_done / uv_blocked). */
  seq: number;
  community_id: string;
  compartment: number;
  /** after_close (the after-use policy) or command (staff); null when the lamp never started. */
  trigger: 'after_close' | 'command' | null;
  command_id: string | null;
  duration_seconds: number | null;
  outcome: UvOutcome;
  /**
   * door_opened, open_command, agent_restarted, lamp_fault, door_open (blocked), superseded,
   * reported_off (a state snapshot said the lamp was off and no uv_done had ended the cycle).
   */
  reason: string | null;
  ran_seconds: number | null;
  /** Device clock: when the lamp went on (or the attempt was made). */
  started_at: string;
  /** Device clock: when the lamp went off; null while running. */
  ended_at: string | null;
  /** Cloud clock: when the opening fact was applied; compared with parcels' cloud times. */
  recorded_at: string;
}

/** every_use: a cycle after each door close (the default); off: only cycles staff start. */
export type UvAfterUse = 'every_use' | 'off';

/** A community's policy; no row means the defaults (every_use, 300 s), which lockers also assume. */
export interface UvPolicyTable {
  community_id: string;
  after_use: UvAfterUse;
  cycle_seconds: number;
  updated_at: string;
  updated_by: string | null;
}

export interface UvTables {
  uv_cycles: UvCycleTable;
  uv_policies: UvPolicyTable;
}
