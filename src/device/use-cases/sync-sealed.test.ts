/** Codes sealed for the locker (ADR 0017): the locker derives the verifier, keeps it while the seal is unchanged, and skips what is not sealed for it. */
import { describe, expect, it, vi } from 'vitest';
import {
  codeMatches,
  codeSealKey,
  DEFAULT_KDF,
  deviceSecretHash,
  sealCodeForLocker,
  unsealCode,
} from '../../contract/index.ts';
import { ManualClock } from '../../kernel/clock.ts';
import { MemoryStore } from '../adapters/memory-store.ts';
import type { AgentContext } from '../context.ts';
import { handleSync } from './sync-verifiers.ts';

const KDF = { ...DEFAULT_KDF, logN: 10 };

function agentCtx(secret: string) {
  const store = new MemoryStore();
  const warn = vi.fn();
  const ctx = {
    lockerId: 'seal-0001',
    store,
    clock: new ManualClock(),
    bus: { compartments: [1, 2, 3] },
    sealKey: codeSealKey(deviceSecretHash(secret)),
    log: { warn, info() {}, error() {} },
    stateChanged: () => {},
  } as unknown as AgentContext;
  return { ctx, store, warn };
}

const sync = (revision: number, verifiers: unknown[]) =>
  ({
    type: 'sync',
    commandId: `s${revision}`,
    issuedAt: '2026-11-26T00:00:00.000Z',
    expiresAt: '2026-11-26T00:05:00.000Z',
    revision,
    kdf: KDF,
    verifiers,
  }) as never;
const exp = '2026-12-03T00:00:00.000Z';

describe('sealed codes in a sync', () => {
  it("are derived with the context's deriveCodeHash when one is given (the benchmark's stand-in)", async () => {
    const cloudKey = codeSealKey(deviceSecretHash('locker-secret'));
    const { ctx, store } = agentCtx('locker-secret');
    const derive = vi.fn(async (code: string, salt: Buffer) =>
      Buffer.from(`stand-in:${code}:${salt.length}`),
    );
    const withStandIn = { ...ctx, deriveCodeHash: derive } as AgentContext;
    const sealed = sealCodeForLocker(cloudKey, 'p9', '87654321');
    await handleSync(
      withStandIn,
      sync(1, [{ parcelId: 'p9', compartment: 1, sealed, expiresAt: exp }]),
    );
    expect(derive).toHaveBeenCalledTimes(1);
    const [v] = store.listVerifiers();
    expect(Buffer.from(v!.hash, 'base64').toString()).toBe('stand-in:87654321:16');
  });

  it('become verifiers the code matches offline; the code itself is not kept', async () => {
    const cloudKey = codeSealKey(deviceSecretHash('locker-secret'));
    const { ctx, store } = agentCtx('locker-secret');
    const sealed = sealCodeForLocker(cloudKey, 'p1', '12345678');
    expect(sealed).not.toContain('12345678');
    expect(unsealCode(codeSealKey(deviceSecretHash('another')), 'p1', sealed)).toBeNull();
    expect(unsealCode(cloudKey, 'p2', sealed)).toBeNull();
    const r = await handleSync(
      ctx,
      sync(1, [{ parcelId: 'p1', compartment: 2, sealed, expiresAt: exp }]),
    );
    expect(r.details).toMatchObject({ applied: true, count: 1 });
    const [v] = store.listVerifiers();
    expect(v).toMatchObject({ parcelId: 'p1', compartment: 2, expiresAt: exp });
    expect(JSON.stringify(store.listVerifiers())).not.toContain('12345678');
    expect(await codeMatches('12345678', v!, KDF)).toBe(true);
    expect(await codeMatches('12345679', v!, KDF)).toBe(false);
  });

  it('keeps a verifier while its seal is unchanged and derives a new one when the code changed', async () => {
    const key = codeSealKey(deviceSecretHash('s'));
    const { ctx, store } = agentCtx('s');
    await handleSync(
      ctx,
      sync(1, [
        {
          parcelId: 'p1',
          compartment: 1,
          sealed: sealCodeForLocker(key, 'p1', '11111111'),
          expiresAt: exp,
        },
      ]),
    );
    const first = store.listVerifiers()[0]!;
    await handleSync(
      ctx,
      sync(2, [
        {
          parcelId: 'p1',
          compartment: 1,
          sealed: sealCodeForLocker(key, 'p1', '11111111'),
          expiresAt: exp,
        },
      ]),
    );
    expect(store.listVerifiers()[0]).toEqual(first);
    await handleSync(
      ctx,
      sync(3, [
        {
          parcelId: 'p1',
          compartment: 1,
          sealed: sealCodeForLocker(key, 'p1', '22222222'),
          expiresAt: exp,
        },
      ]),
    );
    const second = store.listVerifiers()[0]!;
    expect(second.salt).not.toBe(first.salt);
    expect(await codeMatches('11111111', second, KDF)).toBe(false);
    expect(await codeMatches('22222222', second, KDF)).toBe(true);
  });

  it('skips a seal made for another locker and still applies the rest; an older revision changes nothing', async () => {
    const { ctx, store, warn } = agentCtx('mine');
    const foreign = sealCodeForLocker(codeSealKey(deviceSecretHash('theirs')), 'p1', '12345678');
    const ok = sealCodeForLocker(codeSealKey(deviceSecretHash('mine')), 'p2', '87654321');
    const r = await handleSync(
      ctx,
      sync(5, [
        { parcelId: 'p1', compartment: 1, sealed: foreign, expiresAt: exp },
        { parcelId: 'p2', compartment: 3, sealed: ok, expiresAt: exp },
      ]),
    );
    expect(r.details).toMatchObject({ applied: true, count: 1, skipped: 1 });
    expect(warn).toHaveBeenCalledOnce();
    expect(store.listVerifiers().map((v) => v.parcelId)).toEqual(['p2']);
    expect((await handleSync(ctx, sync(4, []))).details).toMatchObject({
      applied: false,
      reason: 'stale_revision',
    });
    expect(store.listVerifiers()).toHaveLength(1);
  });
});
