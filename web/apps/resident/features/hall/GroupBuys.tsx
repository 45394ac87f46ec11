/** Group buys at my hall: one price, a target, a deadline; join with a quantity (counts only, never who). */
import {
  Button,
  Card,
  Dialog,
  Empty,
  ProgressBar,
  Radio,
  Space,
  Stepper,
  Tag,
  Toast,
} from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { when } from '../../../../shared/format.ts';
import { useT } from '../../../../shared/i18n.ts';
import { api } from '../../api.ts';
import { type GroupBuy, type Hall, yuan } from '../../../../shared/hall.ts';

const STATUS: Record<GroupBuy['status'], string> = {
  open: '拼团中',
  confirmed: '已成团',
  failed: '未成团，已退款',
};

export function GroupBuys({ hall }: { hall: Hall }) {
  const { t } = useT();
  const [buys, setBuys] = useState<GroupBuy[] | null>(null);
  const load = useCallback(
    () =>
      api
        .get<GroupBuy[]>(`/me/halls/${hall.id}/group-buys`)
        .then(setBuys)
        .catch((e: Error) => Toast.show({ content: e.message })),
    [hall.id],
  );
  useEffect(() => void load(), [load]);
  const join = async (b: GroupBuy) => {
    let qty = 1;
    let fulfilment: 'locker' | 'pickup' = 'locker';
    const ok = await Dialog.confirm({
      title: b.title,
      content: (
        <Space direction="vertical">
          <span>
            {yuan(b.priceFen)} / {b.unit}
          </span>
          <Stepper
            min={1}
            max={99}
            defaultValue={1}
            onChange={(n) => (qty = n)}
            aria-label={t('数量')}
          />
          <Radio.Group
            defaultValue="locker"
            onChange={(v) => (fulfilment = v as 'locker' | 'pickup')}
          >
            <Space direction="vertical">
              <Radio value="locker" data-testid="gb-locker">
                {t('送到我家单元门口的智能柜（凭取件码取）')}
              </Radio>
              <Radio value="pickup" data-testid="gb-pickup">
                {t('到服务馆自取')}
              </Radio>
            </Space>
          </Radio.Group>
          <span style={{ color: '#666' }}>{t('成团后交付；未成团自动原路退款。')}</span>
        </Space>
      ),
      confirmText: t('参团并支付'),
      cancelText: t('取消'),
    });
    if (!ok) return;
    try {
      await api.post(`/me/group-buys/${b.id}/join`, { quantity: qty, fulfilment });
      Toast.show({ icon: 'success', content: t('参团成功') });
      void load();
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as Error).message });
    }
  };
  if (!buys) return null;
  if (buys.length === 0) return <Empty description={t('暂时没有团购')} />;
  return (
    <Space direction="vertical" block>
      {buys.map((b) => (
        <Card
          key={b.id}
          title={b.title}
          extra={
            <Tag
              color={
                b.status === 'open' ? 'warning' : b.status === 'confirmed' ? 'success' : 'default'
              }
            >
              {t(STATUS[b.status])}
            </Tag>
          }
        >
          <div>{b.description}</div>
          <div style={{ color: '#e4393c', margin: '6px 0' }}>
            {t('团购价')} {yuan(b.priceFen)} / {b.unit}
          </div>
          <ProgressBar percent={Math.min(100, (b.joinedQty / b.targetQty) * 100)} />
          <div style={{ color: '#666', marginTop: 4 }}>
            {t('已拼 {{n}}/{{target}}{{unit}}，{{buyers}} 户参团 · 截止 {{deadline}}', {
              n: b.joinedQty,
              target: b.targetQty,
              unit: b.unit,
              buyers: b.buyers,
              deadline: when(b.deadline),
            })}
          </div>
          {b.mine.length > 0 && (
            <div style={{ marginTop: 4 }}>
              {t('我已参团 {{n}}{{unit}}', {
                n: b.mine.reduce((s, j) => s + j.quantity, 0),
                unit: b.unit,
              })}
            </div>
          )}
          {b.status === 'open' && (
            <Button
              color="primary"
              size="small"
              style={{ marginTop: 8 }}
              onClick={() => void join(b)}
            >
              {t('参团')}
            </Button>
          )}
        </Card>
      ))}
    </Space>
  );
}
