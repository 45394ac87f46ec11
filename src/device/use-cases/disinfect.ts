/**
 * UV disinfection with a door interlock: a lamp starts only behind a closed door, stops
 * the moment that door opens, and is switched off before any relay fires. Running
 * lamps are remembered in the store so a restart can switch them off and say so.
 * Every cycle the device attempts ends in exactly one fact the cloud can count:
 * `uv_blocked`, or `uv_done` (completed; aborted by a door, an open or a restart; or
 * aborted with `lamp_fault` when the lamp would not switch on or failed mid-cycle).
 */
import type { DisinfectCommand } from '../../contract/commands.ts';
import type { AgentContext } from '../context.ts';
import type { FactDraft, ResponseDraft } from '../outbox.ts';

type AbortReason = 'door_opened' | 'open_command' | 'agent_restarted' | 'lamp_fault';

interface Run {
  startedAt: number;
  durationSeconds: number;
  commandId: string | null;
}

const KEY = 'uvRuns';

/** A lamp that would not switch on: the fault for the technician, and the cycle's end for the record. */
function lampFault(compartment: number, message: string): FactDraft[] {
  return [
    { type: 'fault', code: 'uv_lamp', message: message.slice(0, 300), compartment },
    { type: 'uv_done', compartment, result: 'aborted', reason: 'lamp_fault', ranSeconds: 0 },
  ];
}

/** Owns the lamps' lifecycle. */
export class UvController {
  private readonly cancels = new Map<number, () => void>();

  constructor(private readonly ctx: () => AgentContext) {}

  /** Whether a lamp is running. */
  running(compartment: number): boolean {
    return this.cancels.has(compartment);
  }

  /** Handle the cloud's `disinfect` command. */
  async handle(cmd: DisinfectCommand): Promise<{ response: ResponseDraft; facts: FactDraft[] }> {
    const ctx = this.ctx();
    const all = cmd.compartment === 'all';
    const targets = all ? [...ctx.bus.compartments] : [cmd.compartment as number];
    const one = all ? {} : { compartment: cmd.compartment as number };
    if (!all && !ctx.bus.compartments.includes(cmd.compartment as number))
      return {
        response: { status: 'rejected', ...one, details: { reason: 'unknown_compartment' } },
        facts: [],
      };
    if (!ctx.bus.capabilities.uv)
      return {
        response: { status: 'rejected', ...one, details: { reason: 'uv_unsupported' } },
        facts: [],
      };
    const duration = cmd.durationSeconds ?? ctx.settings().uvDefaultSeconds;
    const started: number[] = [];
    const blocked: number[] = [];
    let failed = 0;
    const facts: FactDraft[] = [];
    for (const c of targets) {
      // "unknown" is not "closed": the interlock fails safe.
      if (ctx.bus.door(c) !== 'closed' || ctx.inflight.busy(c)) {
        blocked.push(c);
        facts.push({
          type: 'uv_blocked',
          compartment: c,
          reason: 'door_open',
          commandId: cmd.commandId,
        });
        continue;
      }
      const outcome = await this.start(c, duration, cmd.commandId);
      if (outcome === 'started') {
        started.push(c);
        facts.push({
          type: 'uv_started',
          compartment: c,
          durationSeconds: duration,
          trigger: 'command',
          commandId: cmd.commandId,
        });
      } else if (typeof outcome === 'object') {
        failed++;
        facts.push(...lampFault(c, outcome.message));
      }
    }
    ctx.stateChanged(true);
    const status = started.length > 0 ? 'ok' : blocked.length > 0 ? 'uv_blocked' : 'rejected';
    const reason = failed > 0 ? 'lamp_fault' : 'uv_unsupported';
    return {
      response: {
        status,
        ...one,
        details: status === 'rejected' ? { reason } : { started, blocked },
      },
      facts,
    };
  }

  /**
   * The after-use policy (uvAfterClose, on by default): a door that closes after any
   * use gets a cycle, decided here on the device so an offline locker disinfects too.
   */
  async startAfterClose(compartment: number, announced = false): Promise<void> {
    const ctx = this.ctx();
    if (!announced && this.afterCloseSeconds(compartment) === null) return;
    const duration = ctx.settings().uvDefaultSeconds;
    const outcome = await this.start(compartment, duration, null);
    // v2: the door_closed that started it announced it (uvStartedSeconds); every other end is reported as before.
    if (outcome === 'started' && !announced)
      ctx.outbox.emit({
        type: 'uv_started',
        compartment,
        durationSeconds: duration,
        trigger: 'after_close',
      });
    else if (typeof outcome === 'object')
      ctx.outbox.emit(...lampFault(compartment, outcome.message));
    ctx.stateChanged(true);
  }

  /**
   * The after-use cycle's length in seconds if a door close would start one now, else null:
   * the same interlock as a command (a closed door, no open in flight: its relay is about to
   * fire) on a cabinet with lamps. Contract v2 announces the cycle in that door_closed.
   */
  afterCloseSeconds(compartment: number): number | null {
    const ctx = this.ctx();
    if (
      !ctx.bus.capabilities.uv ||
      ctx.bus.door(compartment) !== 'closed' ||
      ctx.inflight.busy(compartment)
    )
      return null;
    return ctx.settings().uvDefaultSeconds;
  }

  /** Switch a lamp off early and report it; no-op when it is not running. */
  async abort(compartment: number, reason: AbortReason): Promise<void> {
    const cancel = this.cancels.get(compartment);
    if (!cancel) return;
    cancel();
    await this.finish(compartment, 'aborted', reason);
  }

  /**
   * After a restart: lamps left on by the previous run go off, and the cloud hears so.
   * Under the after-use policy the interrupted cycle then runs again from the start, so a
   * power cut does not leave a used compartment undisinfected.
   */
  async recover(): Promise<void> {
    const ctx = this.ctx();
    const runs = ctx.store.getMeta<Record<string, Run>>(KEY) ?? {};
    for (const [c, run] of Object.entries(runs)) {
      const compartment = Number(c);
      await ctx.bus.setUv(compartment, false).catch(() => {});
      ctx.outbox.emit({
        type: 'uv_done',
        compartment,
        result: 'aborted',
        reason: 'agent_restarted',
        ranSeconds: this.ranSeconds(run),
      });
    }
    ctx.store.setMeta(KEY, {});
    if (!ctx.settings().uvAfterClose) return;
    for (const c of Object.keys(runs))
      if (ctx.bus.compartments.includes(Number(c))) await this.startAfterClose(Number(c));
  }

  /** Stop all timers without touching the lamps (the process is going away). */
  forget(): void {
    for (const cancel of this.cancels.values()) cancel();
    this.cancels.clear();
  }

  /** Switch a lamp on; a lamp that will not come on is a failed cycle (the caller reports it). */
  private async start(
    compartment: number,
    durationSeconds: number,
    commandId: string | null,
  ): Promise<'started' | 'stopped' | { message: string }> {
    const ctx = this.ctx();
    this.cancels.get(compartment)?.();
    // Register before switching on, so a door opening in between aborts the lamp.
    this.cancels.set(
      compartment,
      ctx.timers.after(durationSeconds * 1000, () => void this.finish(compartment, 'completed')),
    );
    this.saveRun(compartment, { startedAt: ctx.clock.now(), durationSeconds, commandId });
    try {
      await ctx.bus.setUv(compartment, true);
    } catch (e) {
      this.cancels.get(compartment)?.();
      this.cancels.delete(compartment);
      this.saveRun(compartment, null);
      await ctx.bus.setUv(compartment, false).catch(() => {});
      return { message: (e as Error).message };
    }
    if (!this.cancels.has(compartment)) {
      // Aborted while switching on: make sure the lamp is off.
      await ctx.bus.setUv(compartment, false).catch(() => {});
      return 'stopped';
    }
    if (ctx.bus.door(compartment) !== 'closed') {
      await this.abort(compartment, 'door_opened');
      return 'stopped';
    }
    return 'started';
  }

  private async finish(
    compartment: number,
    result: 'completed' | 'aborted',
    reason?: AbortReason,
  ): Promise<void> {
    const ctx = this.ctx();
    this.cancels.delete(compartment);
    const run = (ctx.store.getMeta<Record<string, Run>>(KEY) ?? {})[compartment];
    this.saveRun(compartment, null);
    await ctx.bus.setUv(compartment, false).catch(() => {});
    const ranSeconds =
      result === 'completed' && run ? run.durationSeconds : run ? this.ranSeconds(run) : 0;
    ctx.outbox.emit({
      type: 'uv_done',
      compartment,
      result,
      ...(reason ? { reason } : {}),
      ranSeconds,
    });
    ctx.stateChanged(true);
  }

  private ranSeconds(run: Run): number {
    return Math.min(
      run.durationSeconds,
      Math.max(0, (this.ctx().clock.now() - run.startedAt) / 1000),
    );
  }

  private saveRun(compartment: number, run: Run | null): void {
    const { store } = this.ctx();
    const runs = { ...(store.getMeta<Record<string, Run>>(KEY) ?? {}) };
    if (run) runs[compartment] = run;
    else delete runs[compartment];
    store.setMeta(KEY, runs);
  }
}
