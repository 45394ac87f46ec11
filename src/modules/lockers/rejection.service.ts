/**
 * Contract v2: tell a locker that the cloud refused one of its messages (a notice on its
 * `cmd` topic, src/contract/notices.ts), so the locker learns it rather than only this
 * node's log. Routine refusals are not notified: redeliveries (duplicates), facts over a
 * gap (the replay request answers those) and presence races. At most one notice per locker
 * per second, and only to a locker that announced v2 (a v1 agent would count it as a bad
 * command).
 */
import {
  ID_PATTERN,
  lockerTopic,
  MESSAGE_REJECTED,
  type MessageRejectedNotice,
  newEnvelope,
  parseLockerTopic,
} from '../../contract/index.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { findLocker } from './locker.repository.ts';

/** Refusals that are part of normal operation, not the locker's mistake. */
const ROUTINE =
  /^(duplicate |fact #|repeated online|stale offline|unknown or retired|not a device topic)/;
const MIN_GAP_MS = 1000;
const ID_RE = new RegExp(ID_PATTERN);

/** Sends rejection notices through `publish` (QoS 1). */
export class RejectionNotifier {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'clock' | 'random'>,
    private readonly publish: (topic: string, payload: Buffer) => Promise<void>,
  ) {}

  /** Notify the locker of a refused message when one is due; whether a notice went out. */
  async notify(topic: string, payload: Buffer, reason: string): Promise<boolean> {
    const t = parseLockerTopic(topic);
    if (!t || t.kind === 'cmd' || ROUTINE.test(reason)) return false;
    const now = Date.now(); // real time: a rate limit on this node's sending
    if ((this.last.get(t.lockerId) ?? -Infinity) > now - MIN_GAP_MS) return false;
    const locker = await findLocker(this.deps.db, t.lockerId);
    if (!locker || locker.status === 'retired' || locker.contract_version !== 'v2') return false;
    if (this.last.size > 10_000) this.last.clear();
    this.last.set(t.lockerId, now);
    const notice: MessageRejectedNotice = {
      ...newEnvelope(t.lockerId, this.deps.clock, this.deps.random),
      type: MESSAGE_REJECTED,
      rejectedTopic: t.kind,
      ...messageIdOf(payload),
      reason: reason.slice(0, 300),
    };
    await this.publish(lockerTopic(t.lockerId, 'cmd'), Buffer.from(JSON.stringify(notice), 'utf8'));
    return true;
  }
}

function messageIdOf(payload: Buffer): { rejectedMessageId?: string } {
  if (payload.byteLength > 64 * 1024) return {};
  try {
    const v = JSON.parse(payload.toString('utf8')) as { messageId?: unknown };
    return typeof v?.messageId === 'string' && ID_RE.test(v.messageId)
      ? { rejectedMessageId: v.messageId }
      : {};
  } catch {
    return {};
  }
}
