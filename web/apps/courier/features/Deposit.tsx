/**
 * Deposit: 1) pick a locker (searchable by address as the apps show it; the courier's
 * recent sites first; free compartments per size, online state, the number on the cabinet
 * when a door has several), 2) waybill + recipient phone → the recipient's delivery
 * preference and address alias are shown before anything opens (door and hall: no
 * deposit; ask first: 先问一下, answered live), 3) size → the result follows the real
 * state (DepositResult). Steps 2 and 3 are DepositForm.
 */
import { Button, List, NavBar, SearchBar, Tag } from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { useT } from '../../../shared/i18n.ts';
import { useLatestOnly } from '../../../shared/latest.ts';
import { type DirectoryLocker, SIZES } from '../../../shared/types.ts';
import { api } from '../api.ts';
import { DepositForm } from './DepositForm.tsx';
import { ScreenSignIn } from './ScreenSignIn.tsx';

export function DepositFlow() {
  const { t } = useT();
  const [q, setQ] = useState('');
  const [lockers, setLockers] = useState<DirectoryLocker[] | null>(null);
  const [locker, setLocker] = useState<DirectoryLocker | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [screenSignIn, setScreenSignIn] = useState(false);
  // Searches overlap: back to the list reloads the last search while the courier types the next.
  const begin = useLatestOnly();
  const load = useCallback(
    async (text: string) => {
      const isLatest = begin();
      try {
        const l = await api.get<DirectoryLocker[]>(
          `/lockers${text ? `?q=${encodeURIComponent(text)}` : ''}`,
        );
        if (!isLatest()) return;
        setError(null);
        setLockers(l);
        setLocker((cur) => (cur ? (l.find((x) => x.id === cur.id) ?? cur) : null));
      } catch (e) {
        if (isLatest()) setError((e as Error).message);
      }
    },
    [begin],
  );
  useEffect(() => void load(''), [load]);

  if (locker)
    return (
      <DepositForm
        locker={locker}
        onBack={() => {
          setLocker(null);
          void load(q);
        }}
      />
    );
  return (
    <>
      <NavBar
        back={null}
        right={
          <Button
            size="mini"
            fill="none"
            aria-label={t('扫码登录柜机屏幕')}
            onClick={() => setScreenSignIn(true)}
          >
            {t('扫柜屏')}
          </Button>
        }
      >
        {t('选择智能柜')}
      </NavBar>
      <ScreenSignIn visible={screenSignIn} onClose={() => setScreenSignIn(false)} />
      <div style={{ padding: 8 }}>
        <SearchBar
          placeholder={t('搜索小区、楼栋单元，如 清淳家园 1栋1单元')}
          value={q}
          onChange={setQ}
          onSearch={(v) => void load(v)}
          onClear={() => void load('')}
        />
      </div>
      {error && (
        <div role="alert" style={{ color: '#cf1322', padding: '0 16px' }}>
          {error}
        </div>
      )}
      <List>
        {lockers?.map((l) => (
          <List.Item
            key={l.id}
            data-testid="locker"
            data-locker={l.id}
            onClick={() => setLocker(l)}
            description={`${l.address} · ${t('空闲')} ${SIZES.map((s) => `${s}:${l.free[s]}`).join(' ')}`}
            extra={
              <Tag color={l.presence === 'online' ? 'success' : 'default'}>
                {l.presence === 'online' ? t('在线') : t('离线')}
              </Tag>
            }
          >
            {l.place}
          </List.Item>
        ))}
      </List>
    </>
  );
}
