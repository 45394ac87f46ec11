/**
 * Deposit: 1) pick a locker (searchable list with free compartments per size and
 * online state), 2) waybill + recipient phone → the recipient's delivery preference and
 * address alias are shown before anything opens, 3) size → the compartment opens; the
 * parcel shows as stored when the door closes (live).
 */
import { Button, Card, Form, Input, List, NavBar, NoticeBar, SearchBar, Selector, Tag, Toast } from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { normalizePhone } from '../../../shared/format.ts';
import { useT } from '../../../shared/i18n.ts';
import { useLive } from '../../../shared/live.ts';
import { type CourierParcel, type Deposit, type DirectoryLocker, PARCEL_STATUS, SIZE_LABEL, SIZES } from '../../../shared/types.ts';
import { api } from '../api.ts';
import { ScreenSignIn } from './ScreenSignIn.tsx';

interface Preference {
  mode: 'locker' | 'ask_first' | 'door' | 'hall' | 'unknown';
  alias: string | null;
  hasAccount: boolean;
}
const MODE_TEXT: Record<Preference['mode'], { text: string; color: 'success' | 'warning' | 'danger' | 'default' }> = {
  locker: { text: '收件人同意放智能柜', color: 'success' },
  ask_first: { text: '收件人要求先征得同意', color: 'warning' },
  door: { text: '收件人要求送货上门', color: 'danger' },
  hall: { text: '收件人要求放服务馆', color: 'warning' },
  unknown: { text: '收件人未注册，请电话确认', color: 'default' },
};

export function DepositFlow() {
  const { t } = useT();
  const [q, setQ] = useState('');
  const [lockers, setLockers] = useState<DirectoryLocker[] | null>(null);
  const [locker, setLocker] = useState<DirectoryLocker | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [screenSignIn, setScreenSignIn] = useState(false);
  const load = useCallback(async (text: string) => {
    try {
      const l = await api.get<DirectoryLocker[]>(`/lockers${text ? `?q=${encodeURIComponent(text)}` : ''}`);
      setLockers(l);
      setLocker((cur) => (cur ? l.find((x) => x.id === cur.id) ?? cur : null));
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useEffect(() => void load(''), [load]);

  if (locker) return <DepositForm locker={locker} onBack={() => { setLocker(null); void load(q); }} />;
  return (
    <>
      <NavBar back={null} right={<Button size="mini" fill="none" aria-label={t('扫码登录柜机屏幕')} onClick={() => setScreenSignIn(true)}>{t('扫柜屏')}</Button>}>{t('选择智能柜')}</NavBar>
      <ScreenSignIn visible={screenSignIn} onClose={() => setScreenSignIn(false)} />
      <div style={{ padding: 8 }}>
        <SearchBar placeholder={t('搜索小区、楼栋或柜号')} value={q} onChange={setQ} onSearch={(v) => void load(v)} onClear={() => void load('')} />
      </div>
      {error && <div role="alert" style={{ color: '#cf1322', padding: '0 16px' }}>{error}</div>}
      <List>
        {lockers?.map((l) => (
          <List.Item key={l.id} data-testid="locker" onClick={() => setLocker(l)} description={`${t('空闲')} ${SIZES.map((s) => `${s}:${l.free[s]}`).join(' ')}`} extra={<Tag color={l.presence === 'online' ? 'success' : 'default'}>{l.presence === 'online' ? t('在线') : t('离线')}</Tag>}>
            {l.address}
          </List.Item>
        ))}
      </List>
    </>
  );
}

function DepositForm({ locker, onBack }: { locker: DirectoryLocker; onBack(): void }) {
  const { t } = useT();
  const [waybill, setWaybill] = useState('');
  const [phone, setPhone] = useState('');
  const [pref, setPref] = useState<Preference | null>(null);
  const [size, setSize] = useState<string>(SIZES.find((s) => locker.free[s] > 0) ?? 'S');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<CourierParcel | null>(null);

  const checkPhone = async (): Promise<string | null> => {
    if (!phone.trim()) {
      setError(t('请输入收件人手机号'));
      return null;
    }
    const p = normalizePhone(phone);
    if (!p) {
      setError(t('请输入正确的手机号'));
      return null;
    }
    try {
      setPref(await api.post<Preference>('/couriers/recipient-preference', { recipientPhone: p }));
    } catch (e) {
      setError((e as Error).message);
      return null;
    }
    return p;
  };

  const ask = async () => {
    const p = await checkPhone();
    if (!p) return;
    try {
      await api.post('/couriers/consent-requests', { recipientPhone: p, lockerId: locker.id, waybill: waybill.trim() });
      Toast.show({ content: t('已向收件人发送投柜请求') });
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const submit = async () => {
    setError(null);
    if (!/^[A-Za-z0-9-]{4,40}$/.test(waybill.trim())) return setError(t('运单号为 4–40 位字母或数字'));
    const p = await checkPhone();
    if (!p) return;
    setBusy(true);
    try {
      const d = await api.post<Deposit>(`/lockers/${locker.id}/deposits`, { waybill: waybill.trim(), recipientPhone: p, size });
      setDone({ parcelId: d.parcelId, lockerId: d.lockerId, compartment: d.compartment, status: d.status, kind: 'delivery', size, waybill: waybill.trim(), recipientPhone: null, createdAt: '', storedAt: null });
      Toast.show({ icon: 'success', content: t('{{n}} 号格口已打开，放入快递后请关门', { n: d.compartment }) });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  // The deposit settles when the door closes: the live stream says so, we refetch.
  useLive(api, done !== null, (f) => {
    if (done && (f.type === 'ready' || (f.type === 'parcel' && f.parcelId === done.parcelId))) {
      void api.get<CourierParcel>(`/courier/parcels/${done.parcelId}`).then(setDone).catch(() => {});
    }
  });

  const next = () => {
    setDone(null);
    setWaybill('');
    setPhone('');
    setPref(null);
  };

  return (
    <>
      <NavBar onBack={onBack}>{locker.name}</NavBar>
      <NoticeBar content={locker.address} color="info" />
      {done ? (
        <Card style={{ margin: 12 }}>
          <div role="status" data-testid="deposit-result" data-status={done.status} style={{ fontSize: 22, fontWeight: 700, textAlign: 'center', padding: '16px 0' }}>
            {done.status === 'stored' ? t('已入柜，取件码已发送给收件人') : t('{{n}} 号格口已打开，放入快递后请关门', { n: done.compartment })}
          </div>
          <div style={{ textAlign: 'center', marginBottom: 12 }}><Tag color={done.status === 'stored' ? 'success' : 'warning'}>{t(PARCEL_STATUS[done.status] ?? done.status)}</Tag></div>
          <Button block color="primary" size="large" onClick={next}>{t('继续投递')}</Button>
        </Card>
      ) : (
        <Form layout="vertical" footer={<Button block color="primary" size="large" loading={busy} onClick={() => void submit()}>{t('开柜投递')}</Button>}>
          <Form.Item label={t('运单号')}>
            <Input aria-label={t('运单号')} placeholder={t('扫描或输入运单号')} value={waybill} onChange={setWaybill} clearable />
          </Form.Item>
          <Form.Item label={t('收件人手机号')} extra={<Button size="small" onClick={() => void checkPhone()}>{t('查询')}</Button>}>
            <Input aria-label={t('收件人手机号')} type="tel" placeholder={t('请输入手机号')} value={phone} onChange={(v) => { setPhone(v); setPref(null); }} onBlur={() => phone.trim() && void checkPhone()} clearable />
          </Form.Item>
          {pref && (
            <Form.Item label={t('收件人偏好')}>
              <div data-testid="preference">
                <Tag color={MODE_TEXT[pref.mode].color}>{t(MODE_TEXT[pref.mode].text)}</Tag>
                {pref.alias && <div style={{ marginTop: 6 }}>{t('地址别名')}：{pref.alias}</div>}
                {(pref.mode === 'ask_first' || pref.mode === 'unknown') && pref.hasAccount && <Button size="mini" style={{ marginTop: 6 }} onClick={() => void ask()}>{t('请求收件人同意')}</Button>}
              </div>
            </Form.Item>
          )}
          <Form.Item label={t('格口大小')}>
            <Selector columns={4} value={[size]} onChange={(v) => v[0] && setSize(v[0])} options={SIZES.map((s) => ({ label: `${t(SIZE_LABEL[s]!)} ${locker.free[s]}`, value: s, disabled: locker.free[s] === 0 }))} />
          </Form.Item>
          {error && <div role="alert" style={{ margin: '0 16px', padding: '12px 16px', background: '#fff1f0', color: '#cf1322', borderRadius: 8, fontSize: 16 }}>{error}</div>}
        </Form>
      )}
    </>
  );
}
