/**
 * SMS a crashed process claimed go out as soon as the next one starts on SQLite (one node),
 * not when their 30 s lease ends; on PostgreSQL another live node may hold them, so they wait.
 * A claim of the starting process itself (its lease ends later) is never taken.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../../test/harness.ts';
import { useWorld } from '../../../../test/world.ts';
import { iso, newId } from '../../../platform/clock.ts';
import { insertNotification } from '../core/notification.repository.ts';
import { ParcelRuntime } from '../parcel.runtime.ts';
import { NOTICE_LEASE_MS, releaseDeadLeases } from './sms-outbox.service.ts';

describeEachDialect('SMS leased by a process that died', (dialect) => {
  const { t, w } = useWorld(dialect);

  async function notice(body: string, attempts: number, nextAttemptAt: number, status = 'pending') {
    const now = iso(t.clock.now());
    await insertNotification(t.database.db, {
      id: newId(t.clock, t.deps.random),
      community_id: w.community1,
      parcel_id: null,
      user_id: w.users.residentA.id,
      channel: 'sms',
      phone_cipher: t.deps.vault.encrypt(w.users.residentA.phone as never),
      body,
      status: status as 'pending',
      attempts,
      next_attempt_at: iso(nextAttemptAt),
      created_at: now,
      sent_at: status === 'sent' ? now : null,
      topic: null,
    });
  }
  const sentTexts = (from: number) => t.sms.sent.slice(from).map((m) => m.text);

  it('are sent when the node starts on SQLite; its own claims and other rows stay as they were', async () => {
    const start = t.clock.now();
    const tag = `dead-${dialect}-${start}`;
    // Claimed 10 s before the crash: its lease would end 20 s after this start.
    await notice(`【蚁巢】${tag} 由已退出的进程认领`, 1, start + 20_000);
    // Claimed by the starting process itself (it ends after start + the lease).
    await notice(`【蚁巢】${tag} 由本进程认领`, 1, start + NOTICE_LEASE_MS + 5_000);
    // Already sent: never again.
    await notice(`【蚁巢】${tag} 已发送`, 1, start + 20_000, 'sent');
    const before = t.sms.sent.length;

    // As src/server.ts starts it: the sole node when the database is SQLite.
    const parcels = new ParcelRuntime(t.deps, t.app.log, {
      soleNode: t.database.dialect === 'sqlite',
    });
    parcels.start();
    await parcels.idle();
    await parcels.stop();

    const texts = sentTexts(before).filter((x) => x.includes(tag));
    if (dialect === 'sqlite') expect(texts).toEqual([`【蚁巢】${tag} 由已退出的进程认领`]);
    else expect(texts).toEqual([]);
    // Nothing is left to release on SQLite; on PostgreSQL the lease is left to run out.
    expect(await releaseDeadLeases(t.deps, start)).toBe(dialect === 'sqlite' ? 0 : 1);
  });
});
