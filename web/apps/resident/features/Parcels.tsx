/**
 * My parcels, live: a parcel arriving, being picked up or moved shows without a refresh
 * (the live stream says which parcel changed; we refetch the list). Each waiting parcel
 * shows its code (and QR), locker, compartment, free-until deadline and when the
 * compartment was disinfected for it (已消毒 + time); actions: open from the app, share pickup.
 */
import {
  Button,
  Card,
  Dialog,
  Empty,
  NavBar,
  NoticeBar,
  Segmented,
  Space,
  Tag,
  Toast,
} from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import type { ApiError } from '../../../shared/api.ts';
import { when } from '../../../shared/format.ts';
import { useT } from '../../../shared/i18n.ts';
import { useLive } from '../../../shared/live.ts';
import { Qr } from '../../../shared/qr.tsx';
import { type MyParcel, PARCEL_STATUS } from '../../../shared/types.ts';
import { api } from '../api.ts';
import { ParcelFee } from './ParcelFee.tsx';
import { ScanPickup } from './Scan.tsx';
import { SendTab, SharePopup } from '../lazy.tsx';
import { keepParcels, lastParcels } from '../offline.ts';

export function ParcelsTab() {
  const { t } = useT();
  const [view, setView] = useState<'in' | 'out'>('in');
  return (
    <>
      <NavBar back={null}>{t('我的快递')}</NavBar>
      <div style={{ padding: '8px 12px' }}>
        <Segmented
          block
          value={view}
          onChange={(v) => setView(v as 'in' | 'out')}
          options={[
            { label: t('收件'), value: 'in' },
            { label: t('寄件 / 寄存'), value: 'out' },
          ]}
        />
      </div>
      {view === 'in' ? <Incoming /> : <SendTab />}
    </>
  );
}

function Incoming() {
  const { t } = useT();
  const [parcels, setParcels] = useState<MyParcel[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [scan, setScan] = useState(false);
  const [share, setShare] = useState<MyParcel | null>(null);

  const [offlineSince, setOfflineSince] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      const list = await api.get<MyParcel[]>('/me/parcels?include=recent');
      setParcels(list);
      keepParcels(api.sessions.get()?.userId ?? '', list);
      setError(null);
      setOfflineSince(null);
    } catch (e) {
      // No network (at the locker, in a lift): show the last list with its codes, and say how old it is.
      const last =
        (e as ApiError).code === 'network' ? lastParcels(api.sessions.get()?.userId ?? '') : null;
      if (last) {
        setParcels(last.parcels);
        setOfflineSince(last.savedAt);
      } else setError((e as Error).message);
    }
  }, []);
  useEffect(() => void load(), [load]);
  const live = useLive(api, true, (f) => {
    if (f.type === 'ready' || f.type === 'parcel') void load();
    if (f.type === 'parcel' && f.event === 'stored') Toast.show({ content: t('您有新快递到了') });
  });

  const openNow = async (p: MyParcel) => {
    const ok = await Dialog.confirm({
      content: t('确认您已在柜前？将打开 {{n}} 号格口', { n: p.compartment }),
      confirmText: t('开柜'),
      cancelText: t('取消'),
    });
    if (!ok) return;
    try {
      await api.post(`/me/parcels/${p.parcelId}/open`);
      Toast.show({ icon: 'success', content: t('已发送开柜指令，请取件后关门') });
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as Error).message });
    }
  };

  const waiting =
    parcels?.filter(
      (p) => p.status === 'stored' || p.status === 'at_hall' || p.status === 'reserved',
    ) ?? [];
  const done = parcels?.filter((p) => !waiting.includes(p)) ?? [];
  return (
    <div style={{ padding: '0 12px 12px' }}>
      {offlineSince ? (
        <div role="status" data-testid="offline">
          <NoticeBar
            content={t('网络不可用，显示的是 {{time}} 的快递列表', { time: when(offlineSince) })}
            color="alert"
          />
        </div>
      ) : (
        !live && parcels && <NoticeBar content={t('正在连接实时更新…')} color="info" />
      )}
      {error && (
        <div role="alert">
          <NoticeBar content={error} color="error" />
        </div>
      )}
      <Button
        block
        color="primary"
        size="large"
        style={{ margin: '8px 0 12px' }}
        onClick={() => setScan(true)}
      >
        {t('扫码取件')}
      </Button>
      {parcels && waiting.length === 0 && <Empty description={t('暂无待取快递')} />}
      {waiting.map((p) => (
        <Card
          key={p.parcelId}
          data-testid="parcel"
          data-status={p.status}
          title={`${p.carrier ?? t(p.kind === 'neighbour' ? '邻居寄存' : '快递')} · ${p.hall?.name ?? p.lockerName}`}
          extra={
            <Tag color={p.status === 'stored' ? 'success' : 'warning'}>
              {t(PARCEL_STATUS[p.status] ?? p.status)}
            </Tag>
          }
          style={{ marginBottom: 12 }}
        >
          <div style={{ display: 'flex', gap: 12, alignItems: 'center' }}>
            <div style={{ flex: 1 }}>
              <div style={{ color: '#888', fontSize: 13 }}>{t('取件码')}</div>
              <div
                data-testid="code"
                style={{
                  fontSize: 30,
                  fontWeight: 700,
                  letterSpacing: 2,
                  fontVariantNumeric: 'tabular-nums',
                }}
              >
                {p.code ?? '—'}
              </div>
              <div style={{ fontSize: 14, lineHeight: 1.8 }}>
                {p.hall ? (
                  <div data-testid="at-hall">
                    <div>
                      {p.hall.name} · {p.hall.address}
                    </div>
                    <div>
                      {p.hall.slot
                        ? t('货架 {{slot}}，凭同一取件码领取', { slot: p.hall.slot })
                        : t('工作人员正送往服务馆，上架后凭同一取件码领取')}
                      {p.access === 'shared' && (
                        <Tag style={{ marginLeft: 8 }} color="primary">
                          {t('家人分享')}
                        </Tag>
                      )}
                    </div>
                  </div>
                ) : (
                  <>
                    <div>{p.address}</div>
                    <div>
                      {t('{{n}} 号格口', { n: p.compartment })}
                      {p.access === 'shared' && (
                        <Tag style={{ marginLeft: 8 }} color="primary">
                          {t('家人分享')}
                        </Tag>
                      )}
                    </div>
                    <div>
                      {t('免费保管至')} {when(p.freeUntil)}
                    </div>
                    <div
                      data-testid="disinfected"
                      style={{ color: p.disinfectedAt ? '#0a7a5a' : '#888' }}
                    >
                      {p.disinfectedAt ? `${t('已消毒')} ${when(p.disinfectedAt)}` : t('待消毒')}
                    </div>
                  </>
                )}
              </div>
            </div>
            {p.code && <Qr text={p.code} size={104} label={t('取件码二维码')} />}
          </div>
          {p.freeUntil && p.freeUntil < new Date().toISOString() && (
            <ParcelFee parcelId={p.parcelId} onPaid={() => void load()} />
          )}
          {p.status === 'stored' && (
            <Space style={{ marginTop: 12 }} wrap>
              <Button size="small" color="primary" fill="outline" onClick={() => void openNow(p)}>
                {t('远程开柜')}
              </Button>
              {p.access === 'recipient' && (
                <Button size="small" fill="outline" onClick={() => setShare(p)}>
                  {t('分享给家人代取')}
                </Button>
              )}
            </Space>
          )}
        </Card>
      ))}
      {done.length > 0 && (
        <h3 style={{ fontSize: 15, color: '#888', margin: '16px 4px 8px' }}>{t('最近')}</h3>
      )}
      {done.map((p) => (
        <Card
          key={p.parcelId}
          data-testid="parcel"
          data-status={p.status}
          style={{ marginBottom: 8, opacity: 0.85 }}
        >
          <div style={{ display: 'flex', justifyContent: 'space-between' }}>
            <span>
              {p.carrier ?? t('快递')} · {p.lockerName} · {t('{{n}} 号格口', { n: p.compartment })}
            </span>
            <Tag>{t(PARCEL_STATUS[p.status] ?? p.status)}</Tag>
          </div>
          {p.pickedUpAt && (
            <div style={{ color: '#888', fontSize: 13 }}>
              {t('取件时间')} {when(p.pickedUpAt)}
            </div>
          )}
          {p.freeUntil && p.pickedUpAt && p.freeUntil < p.pickedUpAt && (
            <ParcelFee parcelId={p.parcelId} />
          )}
          {p.disinfectedAt && (
            <div data-testid="disinfected" style={{ color: '#0a7a5a', fontSize: 13 }}>
              {t('已消毒')} {when(p.disinfectedAt)}
            </div>
          )}
        </Card>
      ))}
      <ScanPickup visible={scan} onClose={() => setScan(false)} onOpened={() => void load()} />
      {share && <SharePopup parcel={share} onClose={() => setShare(null)} />}
    </div>
  );
}
