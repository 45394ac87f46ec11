/**
 * The notification outbox picks the channel per notice (issue 20): a parcel notice with a
 * topic goes as a WeChat subscribe message while its recipient has a grant for that topic,
 * one grant per message, and by SMS once the grants are used up or when they have none.
 */
import { expect, it } from 'vitest';
import { auth } from '../../../../test/factories.ts';
import { describeEachDialect } from '../../../../test/harness.ts';
import { useWorld } from '../../../../test/world.ts';
import { iso, newId } from '../../../platform/clock.ts';
import { LocalWechatGateway } from '../../../platform/wechat/wechat.port.ts';
import { wechatGateway } from '../../../platform/wechat/wechat.port.ts';
import { insertNotification } from '../core/notification.repository.ts';
import { sendDueNotifications } from './sms-outbox.service.ts';

describeEachDialect('notification outbox over WeChat', (dialect) => {
  const { t, w } = useWorld(dialect);
  const local = () => wechatGateway(t.deps.config) as LocalWechatGateway;

  async function queue(userId: string, phone: string, topic: string | null, body: string) {
    const now = iso(t.clock.now());
    await insertNotification(t.database.db, {
      id: newId(t.clock, t.deps.random),
      community_id: w.community1,
      parcel_id: null,
      user_id: userId,
      channel: 'sms',
      phone_cipher: t.deps.vault.encrypt(phone as never),
      body,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
      sent_at: null,
      topic,
    });
  }

  it('takes one grant per WeChat message and falls back to SMS when none is left', async () => {
    const a = w.users.residentA;
    // residentA binds WeChat (phone proven by getPhoneNumber) and accepts one parcel_arrived message.
    const s = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/wechat/session',
      payload: { code: 'demo:outbox-a:1' },
    });
    const bound = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/wechat/bind',
      payload: { bindToken: s.json().bindToken, phoneCode: `demo-phone:${a.phone}` },
    });
    expect(bound.json().user.id).toBe(a.id);
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/wechat/subscriptions',
      headers: auth(w, 'residentA'),
      payload: { results: { 'local-parcel_arrived': 'accept' } },
    });

    const smsBefore = t.sms.sent.length;
    const wxBefore = local().inbox().length;
    await queue(
      a.id,
      a.phone!,
      'parcel_arrived',
      '【蚁巢】您的快递已存入1号格口，取件码 12345678。',
    );
    await queue(
      a.id,
      a.phone!,
      'parcel_arrived',
      '【蚁巢】您的快递已存入2号格口，取件码 87654321。',
    );
    await queue(a.id, a.phone!, 'overdue_reminder', '【蚁巢】您的快递即将超过免费保管期。');
    await queue(a.id, a.phone!, null, '【蚁巢】无主题短信。');
    expect(await sendDueNotifications(t.deps, t.app.log)).toBe(4);

    const wx = local()
      .inbox()
      .slice(0, local().inbox().length - wxBefore);
    expect(wx).toHaveLength(1);
    // It opens a page the mini-program has (miniprogram/test/project.test.ts checks the list).
    expect(wx[0]).toMatchObject({
      topic: 'parcel_arrived',
      templateId: 'local-parcel_arrived',
      page: 'pages/parcels/index',
    });
    // The pickup code never travels in the WeChat message.
    expect(JSON.stringify(wx[0]!.data)).not.toMatch(/\d{4,}/);
    const sms = t.sms.sent.slice(smsBefore).map((m) => m.text);
    expect(sms).toHaveLength(3);
    expect(sms.filter((x) => x.includes('取件码'))).toHaveLength(1);
    const left = await t.app.inject({
      url: '/api/v1/me/wechat/subscriptions',
      headers: auth(w, 'residentA'),
    });
    expect(left.json().templates[0]).toMatchObject({ topic: 'parcel_arrived', remaining: 0 });
    const rows = await t.database.db
      .selectFrom('notifications')
      .select(['status', 'body'])
      .where('user_id', '=', a.id)
      .where('channel', '=', 'sms')
      .execute();
    expect(rows.every((r) => r.status === 'sent' && !/\d{8}/.test(r.body))).toBe(true);
  });

  it('a poll that finds nothing due opens no transaction', async () => {
    const counts = t.database.counts; // SQLite counts what it ran
    const before = counts?.readOnlyCommits;
    expect(await sendDueNotifications(t.deps, t.app.log)).toBe(0);
    if (counts) expect(counts.readOnlyCommits).toBe(before);
  });
});
