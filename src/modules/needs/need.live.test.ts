/**
 * Live updates to the resident (issue 16 item 4): each step of a request (filed, accepted,
 * replied, closed, reopened) reaches the resident who filed it as a `need` frame through the
 * live hub (ADR 0015), and never another resident or the staff member who acted.
 */
import { expect, it } from 'vitest';
import { auth, type WorldUser } from '../../../test/factories.ts';
import { describeEachDialect } from '../../../test/harness.ts';
import { useWorld } from '../../../test/world.ts';
import type { LiveFrame } from '../../platform/live/live-hub.runtime.ts';
import { manualHub, recorder } from '../../platform/live/live.testkit.ts';

describeEachDialect('needs: live frames to the resident', (dialect) => {
  const { t, w } = useWorld(dialect);
  const call = (who: WorldUser, url: string, payload: object = {}) =>
    t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: auth(w, who), payload });
  const listener = (who: WorldUser) => recorder({ userId: w.users[who].id });
  const needFrames = (s: { frames: LiveFrame[] }, id: string) =>
    s.frames.filter(
      (f): f is Extract<LiveFrame, { type: 'need' }> => f.type === 'need' && f.needId === id,
    );

  it('every step reaches the resident who filed it, once, and nobody else', async () => {
    const hub = manualHub(t.database.db);
    const a = listener('residentA');
    const b = listener('residentB');
    const worker = listener('gridWorker1');
    const unsubs = [await hub.subscribe(a), await hub.subscribe(b), await hub.subscribe(worker)];
    const filed = await call('residentA', '/me/needs', {
      serviceCode: 'elderly_help',
      description: '我妈妈需要助餐，每天中午一顿',
      attributes: { help_kind: 'meal' },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const id = filed.json().id as string;
    await hub.tick();
    expect(needFrames(a, id).length).toBeGreaterThan(0);

    expect((await call('gridWorker1', `/needs/${id}/accept`)).statusCode).toBe(200);
    await hub.tick();
    expect(needFrames(a, id).at(-1)).toMatchObject({ status: 'in_progress' });

    const replied = await call('gridWorker1', `/needs/${id}/reply`, {
      reply: '已联系助餐点，每天中午送餐上门。',
    });
    expect(replied.statusCode, replied.body).toBe(200);
    expect((await call('gridWorker1', `/needs/${id}/close`)).statusCode).toBe(200);
    const reopened = await call('residentA', `/me/needs/${id}/reopen`, {
      reason: '还没有人送餐，请再看看',
    });
    expect(reopened.statusCode, reopened.body).toBe(200);
    await hub.tick();
    await hub.tick();
    const statuses = needFrames(a, id).map((f) => f.status);
    expect(statuses).toEqual(expect.arrayContaining(['in_progress', 'replied', 'closed']));
    expect(statuses.at(-1)).toBe(reopened.json().status);
    // Once each: a second tick over the look-back window sends nothing again.
    const before = needFrames(a, id).length;
    await hub.tick();
    expect(needFrames(a, id).length).toBe(before);
    // Never another resident, nor the staff member who acted.
    expect(b.frames.some((f) => f.type === 'need')).toBe(false);
    expect(worker.frames.some((f) => f.type === 'need')).toBe(false);
    for (const u of unsubs) u();
    hub.close();
  });
});
