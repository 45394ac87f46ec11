/** The catalogue by category, a cart, and checkout: pay and choose the hall counter or the locker at my door. */
import {
  Button,
  Card,
  CapsuleTabs,
  Dialog,
  List,
  Popup,
  Radio,
  Space,
  Stepper,
  Tag,
  Toast,
} from 'antd-mobile';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useT } from '../../../../shared/i18n.ts';
import { api } from '../../api.ts';
import {
  CATEGORY_COLOR,
  CATEGORY_GLYPH,
  type Catalogue,
  type Hall,
  type Item,
  yuan,
} from '../../../../shared/hall.ts';

export function Shop({ hall, onOrdered }: { hall: Hall; onOrdered: () => void }) {
  const { t, lang } = useT();
  const [cat, setCat] = useState<Catalogue | null>(null);
  const [category, setCategory] = useState('all');
  const [cart, setCart] = useState<Record<string, number>>({});
  const [checkout, setCheckout] = useState(false);
  const [fulfilment, setFulfilment] = useState<'locker' | 'pickup'>('locker');
  const [busy, setBusy] = useState(false);
  const load = useCallback(
    () =>
      api
        .get<Catalogue>(`/me/halls/${hall.id}/catalogue`)
        .then(setCat)
        .catch((e: Error) => Toast.show({ content: e.message })),
    [hall.id],
  );
  useEffect(() => void load(), [load]);
  const items = useMemo(
    () => (cat?.items ?? []).filter((i) => category === 'all' || i.category === category),
    [cat, category],
  );
  const inCart = (cat?.items ?? []).filter((i) => (cart[i.id] ?? 0) > 0);
  const total = inCart.reduce((n, i) => n + i.priceFen * cart[i.id]!, 0);
  const services = inCart.some((i) => i.kind === 'service');
  const set = (i: Item, n: number) => setCart((c) => ({ ...c, [i.id]: n }));

  const pay = async () => {
    setBusy(true);
    try {
      await api.post(`/me/halls/${hall.id}/orders`, {
        fulfilment: services ? 'pickup' : fulfilment,
        lines: inCart.map((i) => ({ itemId: i.id, quantity: cart[i.id], priceFen: i.priceFen })),
      });
      setCart({});
      setCheckout(false);
      Toast.show({ icon: 'success', content: t('支付成功') });
      onOrdered();
    } catch (e) {
      // A changed price or sold-out item: say so, and show today's catalogue.
      await Dialog.alert({ content: (e as Error).message, confirmText: t('知道了') });
      void load();
    } finally {
      setBusy(false);
    }
  };

  if (!cat) return null;
  return (
    <>
      <CapsuleTabs activeKey={category} onChange={setCategory}>
        <CapsuleTabs.Tab key="all" title={t('全部')} />
        {cat.categories
          .filter((c) => cat.items.some((i) => i.category === c.code))
          .map((c) => (
            <CapsuleTabs.Tab key={c.code} title={lang === 'en' ? c.en : c.zh} />
          ))}
      </CapsuleTabs>
      <List>
        {items.map((i) => (
          <List.Item
            key={i.id}
            data-testid={`item-${i.name}`}
            prefix={
              i.photos[0] ? (
                <img src={i.photos[0]} alt="" width={48} height={48} style={{ borderRadius: 8 }} />
              ) : (
                <span
                  aria-hidden
                  style={{
                    display: 'inline-flex',
                    width: 44,
                    height: 44,
                    borderRadius: 8,
                    alignItems: 'center',
                    justifyContent: 'center',
                    color: '#fff',
                    fontSize: 20,
                    background: CATEGORY_COLOR[i.category] ?? '#868e96',
                  }}
                >
                  {CATEGORY_GLYPH[i.category] ?? i.name[0]}
                </span>
              )
            }
            description={
              <Space wrap>
                <span>{i.description}</span>
                {i.kind === 'service' && <Tag color="primary">{t('预约服务')}</Tag>}
                {i.stock !== null && i.stock <= i.lowStock && (
                  <Tag color="warning">
                    {i.stock === 0 ? t('已售罄') : t('仅剩 {{n}}', { n: i.stock })}
                  </Tag>
                )}
              </Space>
            }
            extra={
              <Stepper
                min={0}
                max={i.stock ?? 99}
                value={cart[i.id] ?? 0}
                onChange={(n) => set(i, n)}
                disabled={i.stock === 0}
                aria-label={t('数量')}
              />
            }
          >
            {i.name}
            <div style={{ color: '#e4393c' }}>
              {yuan(i.priceFen)} / {i.unit}
            </div>
          </List.Item>
        ))}
      </List>
      {inCart.length > 0 && (
        <div
          style={{
            position: 'sticky',
            bottom: 72,
            background: '#fff',
            padding: 8,
            borderRadius: 8,
            boxShadow: '0 2px 8px #0002',
            display: 'flex',
            justifyContent: 'space-between',
            alignItems: 'center',
          }}
        >
          <span>
            {t('合计')} <b style={{ color: '#e4393c' }}>{yuan(total)}</b>
          </span>
          <Button color="primary" onClick={() => setCheckout(true)} data-testid="checkout">
            {t('去结算')}
          </Button>
        </div>
      )}
      <Popup visible={checkout} onMaskClick={() => setCheckout(false)} bodyStyle={{ padding: 16 }}>
        <Card title={t('确认订单')}>
          <List>
            {inCart.map((i) => (
              <List.Item key={i.id} extra={yuan(i.priceFen * cart[i.id]!)}>
                {i.name} × {cart[i.id]}
              </List.Item>
            ))}
          </List>
          <div style={{ margin: '12px 0' }}>
            {services ? (
              <span>{t('含预约服务，请到馆办理；服务馆会电话与您约时间。')}</span>
            ) : (
              <Radio.Group
                value={fulfilment}
                onChange={(v) => setFulfilment(v as 'locker' | 'pickup')}
              >
                <Space direction="vertical">
                  <Radio value="locker">{t('送到我家单元门口的智能柜（凭取件码取）')}</Radio>
                  <Radio value="pickup">{t('到服务馆自取')}</Radio>
                </Space>
              </Radio.Group>
            )}
          </div>
          <Button
            block
            color="primary"
            size="large"
            loading={busy}
            onClick={() => void pay()}
            data-testid="pay"
          >
            {t('支付 {{amount}}', { amount: yuan(total) })}
          </Button>
        </Card>
      </Popup>
    </>
  );
}
