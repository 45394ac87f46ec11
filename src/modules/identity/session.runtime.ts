/**
 * Is an access token's session still live? Every authenticated request asks (issue 13,
 * finding 5): a logout, a refresh-token reuse or a disabled account revokes the session
 * row, and from then on its access tokens are refused. Each node remembers an answer for
 * a few seconds (SESSION_CHECK_TTL_MS) so a busy client costs one indexed read per
 * window, not one per request; the node that revoked forgets at once, the others within
 * the window. The database is the truth, so this holds across every node of a cluster.
 */
import type { Executor } from '../../db/database.ts';
import { type Clock, iso } from '../../platform/clock.ts';
import { sessionIsLive } from './session.repository.ts';
import { setBounded } from '../../kernel/bounded.ts';

/** How long a node trusts its last answer about a session (documented in docs/security.md). */
export const SESSION_CHECK_TTL_MS = 5_000;

/** A bounded per-node cache of session liveness in front of the sessions table. */
export class LiveSessions {
  private readonly seen = new Map<string, { userId: string; live: boolean; until: number }>();

  constructor(
    private readonly db: Executor,
    private readonly clock: Clock,
    private readonly ttlMs = SESSION_CHECK_TTL_MS,
    private readonly maxEntries = 50_000,
  ) {}

  /** True when session `sid` of `userId` exists, is not revoked and has not expired (as of at most ttlMs ago). */
  async isLive(sid: string, userId: string): Promise<boolean> {
    const now = this.clock.now();
    const hit = this.seen.get(sid);
    if (hit && hit.until > now) return hit.live && hit.userId === userId;
    const live = await sessionIsLive(this.db, sid, userId, iso(now));
    // Deleted first, so a fresh answer counts as the newest.
    this.seen.delete(sid);
    setBounded(this.seen, sid, { userId, live, until: now + this.ttlMs }, this.maxEntries);
    return live;
  }

  /** Drop what this node remembers about one session (after revoking it here). */
  forget(sid: string): void {
    this.seen.delete(sid);
  }

  /** Drop what this node remembers about every session of a user (after revoking them all). */
  forgetUser(userId: string): void {
    for (const [sid, e] of this.seen) if (e.userId === userId) this.seen.delete(sid);
  }
}
