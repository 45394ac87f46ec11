/**
 * Signals (a code typed, the deposit button, heartbeats) go straight to the link. A
 * PUBACK lost on the way must not hang the screen: after a short wait the signal counts
 * as sent (the MQTT client resends it on reconnect; its expiresAt voids it if late). The
 * fault suite's lossy network found the hang: a keypad entry waited forever.
 */
import { describe, expect, it } from 'vitest';
import { cryptoRandom, systemClock } from '../kernel/clock.ts';
import { MemoryStore } from './adapters/memory-store.ts';
import { silentLog } from './log.ts';
import { Outbox, SIGNAL_ACK_PATIENCE_MS } from './outbox.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Link } from './ports/link.ts';

function linkWith(publish: Link['publish'], connected = true): Link {
  return {
    start() {},
    connected: () => connected,
    publish,
    drop() {},
    stop: async () => {},
    kill() {},
  };
}

const outboxOn = (link: Link) =>
  new Outbox({
    lockerId: 'lk-001',
    store: new MemoryStore(),
    link,
    clock: systemClock,
    random: cryptoRandom,
    log: silentLog,
  });

describe('outbox signals', () => {
  it('answers sent as soon as the broker acknowledges', async () => {
    const sent: string[] = [];
    const ok = await outboxOn(linkWith(async (topic) => void sent.push(topic))).signal(
      { type: 'code_entered', requestId: 'req-0000-0001', code: '12345678' },
      60,
    );
    expect(ok).toBe(true);
    expect(sent).toEqual(['antnest/v1/lockers/lk-001/evt']);
  });

  it('does not hang when the acknowledgement never comes', async () => {
    const t0 = Date.now();
    const ok = await outboxOn(linkWith(() => new Promise(() => {}))).signal(
      { type: 'code_entered', requestId: 'req-0000-0002', code: '12345678' },
      60,
    );
    expect(ok).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(SIGNAL_ACK_PATIENCE_MS - 50);
    expect(Date.now() - t0).toBeLessThan(SIGNAL_ACK_PATIENCE_MS + 2000);
  });

  it('says not sent when the link refuses it or is down (the screen falls back to offline checks)', async () => {
    expect(
      await outboxOn(linkWith(() => Promise.reject(new Error('not connected')))).signal(
        { type: 'code_entered', requestId: 'req-0000-0003', code: '12345678' },
        60,
      ),
    ).toBe(false);
    expect(
      await outboxOn(linkWith(async () => {}, false)).signal(
        { type: 'code_entered', requestId: 'req-0000-0004', code: '12345678' },
        60,
      ),
    ).toBe(false);
  });
});

describe('outbox facts', () => {
  // A PUBLISH lost on a live connection is resent by MQTT only on a new one, and the cloud
  // applies facts in seq order: the outbox drops the link when an acknowledgement is overdue.
  const factsOver = (publish: Link['publish'], drops: { n: number }) => {
    const link = { ...linkWith(publish), drop: () => void drops.n++ };
    const outbox = new Outbox({
      lockerId: 'lk-002',
      store: new MemoryStore(),
      link,
      clock: systemClock,
      random: cryptoRandom,
      log: silentLog,
      ackPatienceMs: 200,
    });
    outbox.emit({ type: 'door_opened', compartment: 1, cause: 'uncommanded' });
    outbox.emit({ type: 'door_closed', compartment: 1, openSeconds: 1 });
    return outbox;
  };

  it('drops the link when a fact’s acknowledgement is overdue, so MQTT sends it again', async () => {
    const drops = { n: 0 };
    let first = true;
    const outbox = factsOver(() => {
      if (!first) return Promise.resolve();
      first = false;
      return new Promise(() => {}); // this PUBLISH was lost: its PUBACK never comes
    }, drops);
    await sleep(100);
    expect(drops.n).toBe(0); // not yet overdue
    await sleep(400);
    expect(drops.n).toBe(1);
    outbox.stop();
  });

  it('leaves the link alone while acknowledgements come', async () => {
    const drops = { n: 0 };
    const outbox = factsOver(async () => {}, drops);
    await sleep(500);
    expect(drops.n).toBe(0);
    expect(outbox.pendingCount()).toBe(0);
    outbox.stop();
  });
});
