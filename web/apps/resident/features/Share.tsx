/** Share a parcel's pickup with a family member by phone; list shares, each with a visible 取消分享 button (not a hidden swipe). */
import { Button, Dialog, Input, List, Popup, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { normalizePhone, when } from '../../../shared/format.ts';
import { useT } from '../../../shared/i18n.ts';
import type { MyParcel } from '../../../shared/types.ts';
import { api } from '../api.ts';

interface ShareView {
  shareId: string;
  phone: string | null;
  createdAt: string;
}

export function SharePopup({ parcel, onClose }: { parcel: MyParcel; onClose(): void }) {
  const { t } = useT();
  const [phone, setPhone] = useState('');
  const [shares, setShares] = useState<ShareView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const path = `/me/parcels/${parcel.parcelId}/shares`;
  const load = () =>
    api
      .get<ShareView[]>(path)
      .then(setShares)
      .catch(() => setShares([]));
  useEffect(() => void load(), []); // eslint-disable-line react-hooks/exhaustive-deps

  const add = async () => {
    setError(null);
    if (!phone.trim()) return setError(t('请输入手机号'));
    const p = normalizePhone(phone);
    if (!p) return setError(t('请输入正确的手机号'));
    try {
      await api.post(path, { phone: p });
      Toast.show({ icon: 'success', content: t('已分享，家人登录蚁巢即可看到取件码') });
      setPhone('');
      void load();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const revoke = async (s: ShareView) => {
    if (
      !(await Dialog.confirm({
        content: t('取消与 {{phone}} 的分享？取件码会更换，家人手里的旧码将失效。', {
          phone: s.phone ?? '',
        }),
        confirmText: t('取消分享'),
        cancelText: t('不取消'),
      }))
    )
      return;
    try {
      await api.del(`${path}/${s.shareId}`);
      Toast.show({ content: t('已取消分享，取件码已更换') });
      void load();
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as Error).message });
    }
  };

  return (
    <Popup
      visible
      onMaskClick={onClose}
      bodyStyle={{
        padding: 16,
        boxSizing: 'border-box',
        borderTopLeftRadius: 12,
        borderTopRightRadius: 12,
      }}
    >
      <h2 style={{ fontSize: 18, marginTop: 0 }}>{t('分享给家人代取')}</h2>
      <Input
        aria-label={t('家人手机号')}
        placeholder={t('家人手机号')}
        type="tel"
        value={phone}
        onChange={setPhone}
        clearable
      />
      {error && (
        <div role="alert" style={{ color: '#cf1322', margin: '8px 0' }}>
          {error}
        </div>
      )}
      <Button block color="primary" style={{ margin: '12px 0' }} onClick={() => void add()}>
        {t('分享')}
      </Button>
      {shares.length > 0 && (
        <List header={t('已分享')}>
          {shares.map((s) => (
            <List.Item
              key={s.shareId}
              data-testid="share"
              description={when(s.createdAt)}
              extra={
                <Button size="small" color="danger" fill="outline" onClick={() => void revoke(s)}>
                  {t('取消分享')}
                </Button>
              }
            >
              {s.phone ?? '—'}
            </List.Item>
          ))}
        </List>
      )}
      <Button block fill="none" onClick={onClose}>
        {t('关闭')}
      </Button>
    </Popup>
  );
}
