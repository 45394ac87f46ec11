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
  TextArea,
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
  slotText,
  yuan,
} from '../../../../shared/hall.ts';
import { SlotPicker } from './SlotPicker.tsx';

export function Shop({ hall, onOrdered }: { hall: Hall; onOrdered: () => void }) {
  const { t, lang } = useT();
  const [cat, setCat] = useState<Catalogue | null>(null);
  const [category, setCategory] = useState('all');
  const [cart, setCart] = useState<Record<string, number>>({});
  const [checkout, setCheckout] = useState(false);
  const [fulfilment, setFulfilment] = useState<'locker' | 'pickup'>('locker');
  const [busy, setBusy] = useState(false);
  // Services by appointment: the slot chosen for each, the one being picked, and the visit note.
  const [slots, setSlots] = useState<Record<string, { start: string; end: string }>>({});
  const [picking, setPicking] = useState<Item | null>(null);
  const [note, setNote] = useState('');
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
  const counterServices = inCart.some((i) => i.kind === 'service' && !i.appointment);
  const homeVisit = inCart.some((i) => i.appointment?.atHome);
  const set = (i: Item, n: number) => setCart((c) => ({ ...c, [i.id]: n }));

  const pay = async () => {
    setBusy(true);
    try {
      await api.post(`/me/halls/${hall.id}/orders`, {
        fulfilment: services ? 'pickup' : fulfilment,
        ...(note.trim() ? { note: note.trim() } : {}),
        lines: inCart.map((i) => ({
          itemId: i.id,
          quantity: cart[i.id],
          priceFen: i.priceFen,
          ...(i.appointment && slots[i.id] ? { slotStart: slots[i.id]!.start } : {}),
        })),
      });
      setCart({});
      setSlots({});
      setNote('');
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
              i.appointment ? (
                <Button
                  size="small"
                  color={slots[i.id] ? 'success' : 'primary'}
                  fill={slots[i.id] ? 'outline' : 'solid'}
                  onClick={() => setPicking(i)}
                  data-testid={`book-${i.name}`}
                >
                  {slots[i.id] ? slotText(slots[i.id]!.start, slots[i.id]!.end) : t('选时间')}
                </Button>
              ) : (
                <Stepper
                  min={0}
                  max={i.stock ?? 99}
                  value={cart[i.id] ?? 0}
                  onChange={(n) => set(i, n)}
                  disabled={i.stock === 0}
                  aria-label={t('数量')}
                />
              )
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
              <List.Item
                key={i.id}
                extra={yuan(i.priceFen * cart[i.id]!)}
                description={slots[i.id] && slotText(slots[i.id]!.start, slots[i.id]!.end)}
              >
                {i.name} × {cart[i.id]}
              </List.Item>
            ))}
          </List>
          <div style={{ margin: '12px 0' }}>
            {services ? (
              <Space direction="vertical" block>
                {counterServices && <span>{t('含到馆服务，请到服务馆柜台办理。')}</span>}
                {homeVisit && (
                  <span>{t('上门服务到您家所在单元，请在备注中写明楼层和门牌号。')}</span>
                )}
                <TextArea
                  placeholder={t('备注，例如：3 楼 302，下午有人在家')}
                  maxLength={200}
                  rows={2}
                  value={note}
                  onChange={setNote}
                  aria-label={t('备注')}
                  data-testid="order-note"
                />
              </Space>
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
      <SlotPicker
        hallId={hall.id}
        item={picking}
        onClose={() => setPicking(null)}
        onPick={(slot) => {
          const i = picking!;
          setSlots((x) => ({ ...x, [i.id]: slot }));
          set(i, 1);
          setPicking(null);
        }}
      />
    </>
  );
}
