/**
 * Scheduled jobs that must run once per period across the whole cluster (overdue sweep,
 * retention, rollups…). Every node polls each job; the database lease (job.repository.ts)
 * decides which node runs a due period. A node that dies mid-run blocks the job only
 * until its lease runs out; a node that dies between runs blocks nothing, because any
 * other node claims the next due period.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/database.ts';
import { type Clock, iso } from '../clock.ts';
import * as jobs from './job.repository.ts';

/** How one job is scheduled. */
export interface JobSpec {
  /** Unique across the cluster, e.g. `parcels.overdue`. */
  name: string;
  /** One run per this many ms, cluster-wide. */
  everyMs: number;
  /** The longest a run may hold the lease; after that another node may start one. Default 10 × everyMs, at most 1 h. */
  maxRunMs?: number;
  run: () => Promise<unknown>;
}

/** Runs registered jobs on whichever node wins each period's lease. */
export class JobScheduler {
  private readonly specs: JobSpec[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<Promise<void>>();
  private closing = false;
  /** Runs this node won, by job name (tests, metrics). */
  readonly won = new Map<string, number>();
  /** Jobs whose row this node has made sure of (the app never deletes one; an operator may). */
  private readonly ensured = new Set<string>();
  /**
   * When each job is next due, as this node last learnt it (its own claim, or the row after
   * a lost claim). Until then a poll asks the database nothing: no node can claim earlier,
   * since only a claim moves `next_run_at`, and only later. Once due, every poll tries the
   * claim, so a holder that died is replaced as soon as its lease runs out.
   */
  private readonly dueAt = new Map<string, number>();

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    readonly nodeId: string,
    private readonly log: Pick<FastifyBaseLogger, 'warn' | 'error' | 'debug'>,
  ) {}

  /** Register a job; call before start(). */
  add(spec: JobSpec): this {
    if (this.specs.some((s) => s.name === spec.name))
      throw new Error(`Job ${spec.name} is registered twice.`);
    this.specs.push(spec);
    return this;
  }

  /** Poll every job at a quarter of its period (0.5–30 s), so a dead holder is replaced within that. */
  start(): void {
    for (const spec of this.specs) {
      const pollMs = Math.min(30_000, Math.max(500, Math.floor(spec.everyMs / 4)));
      const t = setInterval(() => void this.tick(spec), pollMs);
      t.unref();
      this.timers.push(t);
      void this.tick(spec);
    }
  }

  /** Stop polling and wait for runs in progress. */
  async stop(): Promise<void> {
    this.closing = true;
    for (const t of this.timers.splice(0)) clearInterval(t);
    await Promise.all([...this.running]);
  }

  /** Try to claim the job's current period and run it here; true when this node ran it. */
  async tick(spec: JobSpec): Promise<boolean> {
    if (this.closing) return false;
    const now = this.clock.now();
    if (now < (this.dueAt.get(spec.name) ?? -Infinity)) return false;
    let claimed: boolean;
    try {
      if (!this.ensured.has(spec.name)) {
        await jobs.ensureJob(this.db, spec.name);
        this.ensured.add(spec.name);
      }
      const maxRunMs = spec.maxRunMs ?? Math.min(3_600_000, spec.everyMs * 10);
      claimed = await jobs.claimJob(
        this.db,
        spec.name,
        this.nodeId,
        iso(now),
        iso(now + spec.everyMs),
        iso(now + maxRunMs),
      );
      if (claimed) this.dueAt.set(spec.name, now + spec.everyMs);
      else {
        const next = await jobs.jobNextRunAt(this.db, spec.name);
        if (next) this.dueAt.set(spec.name, Date.parse(next));
        else this.ensured.delete(spec.name); // its row was deleted (an operator's reset): made again next poll
      }
    } catch (err) {
      this.log.warn({ err, job: spec.name }, 'could not claim job');
      return false;
    }
    if (!claimed) return false;
    this.won.set(spec.name, (this.won.get(spec.name) ?? 0) + 1);
    const p = (async () => {
      let error: string | null = null;
      try {
        await spec.run();
      } catch (err) {
        error = (err as Error).message?.slice(0, 500) ?? String(err);
        this.log.error({ err, job: spec.name }, 'job failed');
      }
      await jobs
        .finishJob(this.db, spec.name, this.nodeId, iso(this.clock.now()), error)
        .catch((err) => this.log.warn({ err, job: spec.name }, 'could not release job lease'));
    })();
    this.running.add(p);
    await p.finally(() => this.running.delete(p));
    return true;
  }
}
