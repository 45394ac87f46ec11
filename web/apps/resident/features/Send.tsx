/**
 * Sending: leave something in a locker for a neighbour (寄存; the code goes to their
 * phone), which reserves a compartment of the chosen size and opens it, or send a parcel
 * with a carrier (寄件: addresses, a quote and payment, SendParcel.tsx); "what I sent"
 * lists the results.
 */
import { Button, Card, Form, Input, List, Selector, Tag, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { normalizePhone, when } from '../../../shared/format.ts';
import { useT } from '../../../shared/i18n.ts';
import {
  type Deposit,
  type DirectoryLocker,
  PARCEL_STATUS,
  SIZE_LABEL,
  SIZES,
} from '../../../shared/types.ts';
import { api } from '../api.ts';
import { SendParcel } from './SendParcel.tsx';
import { LockerSelect } from './LockerSelect.tsx';

interface Sent {
  parcelId: string;
  kind: string;
  status: string;
  lockerName: string;
  compartment: number;
  recipientPhone: string | null;
  carrier: string | null;
  createdAt: string;
}

export function SendTab() {
  const { t } = useT();
  const [mode, setMode] = useState<'neighbour' | 'outgoing'>('neighbour');
  const [lockers, setLockers] = useState<DirectoryLocker[]>([]);
  const [sent, setSent] = useState<Sent[]>([]);
  const [lockerId, setLockerId] = useState<string | null>(null);
  const [size, setSize] = useState<string>('S');
  const [phone, setPhone] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Deposit | null>(null);

  const loadSent = () =>
    api
      .get<Sent[]>('/me/sent')
      .then(setSent)
      .catch(() => {});
  useEffect(() => {
    api
      .get<DirectoryLocker[]>('/lockers')
      .then((l) => {
        setLockers(l);
        setLockerId((cur) => cur ?? l[0]?.id ?? null);
      })
      .catch((e: Error) => setError(e.message));
    void loadSent();
  }, []);

  const submit = async () => {
    setError(null);
    setDone(null);
    if (!lockerId) return setError(t('请选择智能柜'));
    try {
      if (!phone.trim()) return setError(t('请输入手机号'));
      const p = normalizePhone(phone);
      if (!p) return setError(t('请输入正确的手机号'));
      const d = await api.post<Deposit>(`/lockers/${lockerId}/neighbour-deposits`, {
        recipientPhone: p,
        size,
      });
      setDone(d);
      Toast.show({
        icon: 'success',
        content: t('{{n}} 号格口已打开，放好后请关门', { n: d.compartment }),
      });
      void loadSent();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const locker = lockers.find((l) => l.id === lockerId);
  return (
    <div style={{ padding: '0 12px 12px' }}>
      <Card>
        <Selector
          columns={2}
          value={[mode]}
          onChange={(v) => v[0] && setMode(v[0] as typeof mode)}
          options={[
            { label: t('寄存给邻居'), value: 'neighbour' },
            { label: t('寄快递'), value: 'outgoing' },
          ]}
        />
        {mode === 'outgoing' ? (
          <SendParcel lockers={lockers} />
        ) : (
          <>
            <Form layout="vertical" style={{ '--border-top': 'none' }}>
              <Form.Item label={t('智能柜')}>
                <LockerSelect lockers={lockers} value={lockerId} onChange={setLockerId} />
              </Form.Item>
              <Form.Item label={t('格口大小')}>
                <Selector
                  columns={4}
                  value={[size]}
                  onChange={(v) => v[0] && setSize(v[0])}
                  options={SIZES.map((s) => ({
                    label: `${t(SIZE_LABEL[s]!)}${locker ? ` ${locker.free[s]}` : ''}`,
                    value: s,
                    disabled: locker ? locker.free[s] === 0 : false,
                  }))}
                />
              </Form.Item>
              <Form.Item label={t('邻居手机号')} help={t('取件码会短信发给对方')}>
                <Input
                  aria-label={t('邻居手机号')}
                  type="tel"
                  placeholder={t('请输入手机号')}
                  value={phone}
                  onChange={setPhone}
                  clearable
                />
              </Form.Item>
            </Form>
            {error && (
              <div role="alert" style={{ color: '#cf1322', margin: '8px 0', fontSize: 15 }}>
                {error}
              </div>
            )}
            {done && (
              <div role="status" style={{ color: '#0a7a5a', margin: '8px 0', fontSize: 16 }}>
                {t('{{n}} 号格口已打开，放好后请关门', { n: done.compartment })}
              </div>
            )}
            <Button block color="primary" size="large" onClick={() => void submit()}>
              {t('开柜寄存')}
            </Button>
          </>
        )}
      </Card>
      <List header={t('我寄出的')} style={{ marginTop: 12 }}>
        {sent.length === 0 && <List.Item>{t('暂无记录')}</List.Item>}
        {sent.map((s) => (
          <List.Item
            key={s.parcelId}
            description={`${s.lockerName} · ${t('{{n}} 号格口', { n: s.compartment })} · ${when(s.createdAt)}`}
            extra={<Tag>{t(PARCEL_STATUS[s.status] ?? s.status)}</Tag>}
          >
            {s.kind === 'neighbour'
              ? `${t('寄存给')} ${s.recipientPhone ?? ''}`
              : `${t('寄快递')} · ${s.carrier ?? ''}`}
          </List.Item>
        ))}
      </List>
    </div>
  );
}
