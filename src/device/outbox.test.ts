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
