/**
 * One poller per node over the shared database, fanned out to this node's SSE
 * subscribers (ADR 0015). It reads a small look-back window each tick and remembers the
 * keys it already delivered, so a transaction that commits a little late is still seen
 * and nothing is sent twice. It polls only while someone listens.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/database.ts';
import * as repo from './live.repository.ts';
import * as noticeRepo from './notice.repository.ts';

/** What a subscriber is told: ids and types only; the client refetches through the API. */
export type LiveFrame =
  | { type: 'parcel'; parcelId: string; event: string }
  | { type: 'alert'; alertId: string; lockerId: string; status: string }
  | { type: 'compartment'; lockerId: string; numbers: number[] }
  | { type: 'consent'; requestId: string; status: string }
  | { type: 'need'; needId: string; action: string; status: string }
  | { type: 'notice'; kind: 'notice' | 'activity'; id: string };

/** One open stream and what its user may hear about. */
export interface LiveSubscriber {
  userId: string;
  /**
   * The session the stream was opened with; the stream ends when it is revoked (logout,
   * reuse, disable). Null for a hall kiosk's public board stream (it hears only notices).
   */
  sessionId: string | null;
  /** Family shares reach a user by phone hash. */
  phoneHash: string | null;
  /** Communities whose alerts and compartments this staff member sees; 'all' for platform staff; empty for others. */
  communities: ReadonlySet<string> | 'all';
  /** Places whose notices and activities reach this listener (a resident's compounds, communities, subdistricts; a kiosk's hall's). */
  places?: ReadonlySet<string>;
  send(frame: LiveFrame): void;
  /** Called when the hub shuts down. */
  end(): void;
}

/** Tuning of the poller. */
export interface LiveOptions {
  intervalMs?: number;
  lookBackMs?: number;
  batch?: number;
  /** How often open streams' sessions are checked against the database (default 2 s). */
  sessionCheckMs?: number;
}

/** A cursor over one change stream: a window start plus the keys already delivered inside it. */
class Cursor {
  private mark = '';
  private readonly seen = new Map<string, string>();
  constructor(private readonly lookBackMs: number) {}

  reset(mark: string): void {
    this.mark = mark;
    this.seen.clear();
  }

  /** Where the next query starts: the newest change seen minus the look-back window. */
  since(): string {
    const t = Date.parse(this.mark);
    // An empty table has no mark: start at the epoch (a valid timestamp on both dialects).
    return new Date(Number.isNaN(t) ? 0 : t - this.lookBackMs).toISOString();
  }

  /** True the first time a key is offered; advances the mark and forgets keys older than the window. */
  fresh(key: string, at: string): boolean {
    if (at > this.mark) this.mark = at;
    if (this.seen.has(key)) return false;
    this.seen.set(key, at);
    return true;
  }

  prune(): void {
    const floor = this.since();
    for (const [k, at] of this.seen) if (at < floor) this.seen.delete(k);
  }
}

/** The node's live-update hub. */
export class LiveHub {
  private readonly subs = new Set<LiveSubscriber>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private closed = false;
  private readonly intervalMs: number;
  private readonly batch: number;
  private readonly sessionCheckMs: number;
  private lastSessionCheck = 0;
  private readonly parcels: Cursor;
  private readonly alerts: Cursor;
  private readonly compartments: Cursor;
  private readonly consent: Cursor;
  private readonly needs: Cursor;
  private readonly notices: Cursor;
  /** Ticks run so far (tests check that an idle hub does not poll). */
  ticks = 0;

  constructor(
    private readonly db: Database,
    private readonly log: FastifyBaseLogger,
    opts: LiveOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 500;
    this.batch = opts.batch ?? 500;
    this.sessionCheckMs = opts.sessionCheckMs ?? 2000;
    const look = opts.lookBackMs ?? 3000;
    this.parcels = new Cursor(look);
    this.alerts = new Cursor(look);
    this.compartments = new Cursor(look);
    this.consent = new Cursor(look);
    this.needs = new Cursor(look);
    this.notices = new Cursor(look);
  }

  /** Number of open streams on this node. */
  get size(): number {
    return this.subs.size;
  }

  /** Add a subscriber; returns its unsubscribe function. The first one starts the poller. */
  async subscribe(sub: LiveSubscriber): Promise<() => void> {
    if (this.closed) {
      sub.end();
      return () => {};
    }
    this.subs.add(sub);
    if (!this.running) await this.start();
    return () => {
      this.subs.delete(sub);
      if (this.subs.size === 0) this.stop();
    };
  }

  /** End every stream and stop polling (server shutdown). */
  close(): void {
    this.closed = true;
    this.stop();
    for (const s of this.subs) s.end();
    this.subs.clear();
  }

  private async start(): Promise<void> {
    this.running = true;
    const marks = await repo.latestMarks(this.db);
    this.parcels.reset(marks.parcels);
    this.alerts.reset(marks.alerts);
    this.compartments.reset(marks.compartments);
    this.consent.reset(marks.consent);
    this.needs.reset(marks.needs);
    this.notices.reset(marks.notices);
    this.schedule();
  }

  private stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      void this.tick()
        .catch((err) => this.log.warn({ err }, 'live poll failed'))
        .finally(() => this.schedule());
    }, this.intervalMs);
    this.timer.unref();
  }

  /** One poll: read each stream that has listeners and fan out what is new. */
  async tick(): Promise<void> {
    this.ticks++;
    if (Date.now() - this.lastSessionCheck >= this.sessionCheckMs) await this.endRevoked();
    const all = [...this.subs];
    if (all.length === 0) return;
    const listeners = all.filter((s) => (s.places?.size ?? 0) > 0);
    if (listeners.length > 0) await this.pollNotices(listeners);
    // Kiosk board streams hear notices only.
    const subs = all.filter((s) => s.sessionId !== null);
    if (subs.length === 0) return;
    const staff = subs.filter((s) => s.communities === 'all' || s.communities.size > 0);
    await this.pollParcels(subs);
    await this.pollConsent(subs);
    await this.pollNeeds(subs);
    if (staff.length > 0) {
      await this.pollAlerts(staff);
      await this.pollCompartments(staff);
    }
  }

  /** End the streams whose session was revoked since they opened (read from the database, so any node's logout counts). */
  async endRevoked(): Promise<void> {
    this.lastSessionCheck = Date.now();
    const subs = [...this.subs];
    if (subs.length === 0) return;
    const ids = subs.map((s) => s.sessionId).filter((id): id is string => id !== null);
    const live = await repo.unrevokedSessions(this.db, [...new Set(ids)]);
    for (const s of subs) {
      if (s.sessionId === null || live.has(s.sessionId)) continue;
      this.subs.delete(s);
      // The route's end() unsubscribes, which stops polling once nobody listens.
      s.end();
    }
  }

  private async pollParcels(subs: LiveSubscriber[]): Promise<void> {
    const changes = (
      await repo.parcelChangesSince(this.db, this.parcels.since(), this.batch)
    ).filter((c) => this.parcels.fresh(c.id, c.at));
    this.parcels.prune();
    if (changes.length === 0) return;
    const shares = await repo.activeShares(this.db, [...new Set(changes.map((c) => c.parcelId))]);
    for (const c of changes) {
      const sharedWith = new Set(
        shares.filter((s) => s.parcelId === c.parcelId).map((s) => s.phoneHash),
      );
      for (const s of subs) {
        if (
          s.userId === c.recipientUserId ||
          s.userId === c.depositorId ||
          (s.phoneHash !== null && sharedWith.has(s.phoneHash))
        ) {
          s.send({ type: 'parcel', parcelId: c.parcelId, event: c.type });
        }
      }
    }
  }

  private async pollConsent(subs: LiveSubscriber[]): Promise<void> {
    const changes = (
      await repo.consentChangesSince(this.db, this.consent.since(), this.batch)
    ).filter((c) => this.consent.fresh(`${c.id}:${c.status}`, c.at));
    this.consent.prune();
    for (const c of changes) {
      // A new request is news to its recipient; an answer is news to the courier who asked.
      const to = c.status === 'pending' ? c.recipientUserId : c.courierId;
      for (const s of subs)
        if (s.userId === to) s.send({ type: 'consent', requestId: c.id, status: c.status });
    }
  }

  private async pollNeeds(subs: LiveSubscriber[]): Promise<void> {
    const changes = (await repo.needChangesSince(this.db, this.needs.since(), this.batch)).filter(
      (c) => this.needs.fresh(c.id, c.at),
    );
    this.needs.prune();
    // A request's steps reach the resident who filed it, never anyone else (staff refetch their worklist).
    for (const c of changes) {
      if (!c.requesterId) continue;
      for (const s of subs)
        if (s.userId === c.requesterId)
          s.send({ type: 'need', needId: c.needId, action: c.action, status: c.status });
    }
  }

  private async pollNotices(listeners: LiveSubscriber[]): Promise<void> {
    const changes = (
      await noticeRepo.noticeChangesSince(this.db, this.notices.since(), this.batch)
    ).filter((c) => this.notices.fresh(`${c.kind}:${c.id}:${c.at}`, c.at));
    this.notices.prune();
    // A notice reaches those who live in (or whose hall stands in) the place it addresses.
    for (const c of changes)
      for (const s of listeners)
        if (s.places?.has(c.placeId)) s.send({ type: 'notice', kind: c.kind, id: c.id });
  }

  private async pollAlerts(staff: LiveSubscriber[]): Promise<void> {
    const changes = (await repo.alertChangesSince(this.db, this.alerts.since(), this.batch)).filter(
      (a) => this.alerts.fresh(`${a.id}:${a.status}:${a.occurrences}`, a.at),
    );
    this.alerts.prune();
    for (const a of changes) {
      for (const s of staff)
        if (covers(s, a.communityId))
          s.send({ type: 'alert', alertId: a.id, lockerId: a.lockerId, status: a.status });
    }
  }

  private async pollCompartments(staff: LiveSubscriber[]): Promise<void> {
    const changes = (
      await repo.compartmentChangesSince(this.db, this.compartments.since(), this.batch)
    ).filter((c) => this.compartments.fresh(`${c.id}:${c.at}`, c.at));
    this.compartments.prune();
    // One frame per locker per tick: a locker coming online touches all its compartments at once.
    const byLocker = new Map<string, { communityId: string; numbers: number[] }>();
    for (const c of changes) {
      const entry = byLocker.get(c.lockerId) ?? { communityId: c.communityId, numbers: [] };
      entry.numbers.push(c.number);
      byLocker.set(c.lockerId, entry);
    }
    for (const [lockerId, { communityId, numbers }] of byLocker) {
      for (const s of staff)
        if (covers(s, communityId)) s.send({ type: 'compartment', lockerId, numbers });
    }
  }
}

function covers(s: LiveSubscriber, communityId: string): boolean {
  return s.communities === 'all' || s.communities.has(communityId);
}
