/** The screen QR: no QR before the cloud sent a key or while offline; otherwise a QR the cloud accepts, rotating every window. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_KDF, SCREEN_QR_WINDOW_SECONDS, screenQrValid } from '../../contract/index.ts';
import { ManualClock } from '../../kernel/clock.ts';
import { MemoryStore } from '../adapters/memory-store.ts';
import type { AgentContext } from '../context.ts';
import { screenQrPayload } from './screen-qr.ts';
import { handleSync } from './sync-verifiers.ts';

describe('screen QR', () => {
  it('appears once a sync brought the key, verifies with that key, and changes each window', async () => {
    const store = new MemoryStore();
    const clock = new ManualClock();
    let online = true;
    const ctx = {
      lockerId: 'qr-0001',
      store,
      clock,
      bus: { compartments: [1, 2] },
      link: { connected: () => online },
      stateChanged: () => {},
    } as unknown as AgentContext;
    expect(screenQrPayload(ctx)).toBeNull();
    const key = Buffer.alloc(32, 7);
    await handleSync(ctx, {
      type: 'sync',
      commandId: 'c1',
      issuedAt: new Date().toISOString(),
      expiresAt: new Date().toISOString(),
      revision: 1,
      kdf: DEFAULT_KDF,
      verifiers: [],
      screenKey: key.toString('base64url'),
    } as never);
    const first = screenQrPayload(ctx)!;
    expect(screenQrValid(key, 'qr-0001', first, clock.now())).toBe(true);
    expect(screenQrValid(Buffer.alloc(32, 8), 'qr-0001', first, clock.now())).toBe(false);
    clock.advance(SCREEN_QR_WINDOW_SECONDS * 1000);
    const second = screenQrPayload(ctx)!;
    expect(second).not.toBe(first);
    // Offline nobody could use it (app pickup and courier sign-in both go through the cloud): no QR.
    online = false;
    expect(screenQrPayload(ctx)).toBeNull();
    online = true;
    // An old QR stops working a couple of windows later.
    clock.advance(3 * SCREEN_QR_WINDOW_SECONDS * 1000);
    expect(screenQrValid(key, 'qr-0001', first, clock.now())).toBe(false);
  });
});
