/**
 * Me: elder mode (关怀模式), my homes (bind one, invite family), delivery preferences and
 * pending consent requests (couriers ask before using the locker), my address alias
 * (what couriers see instead of a flat number), my grid worker and community police,
 * the agreement texts, language, sign out. A family member with no home yet sees only
 * what needs no home (the alias and directory need one), never an error.
 */
import { Button, Dialog, Input, List, NavBar, Selector, Switch, Tag, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { DELIVERY_MODE_OPTIONS, when } from '../../../shared/format.ts';
import { useT } from '../../../shared/i18n.ts';
import { LangSwitch } from '../../../shared/LangSwitch.tsx';
import type { ConsentRequest, DeliveryPreferences, Me } from '../../../shared/types.ts';
import { api } from '../api.ts';
import { setElder, useElder } from '../elder.ts';
import { Homes } from './Homes.tsx';
import { FundPage } from './fund/FundPage.tsx';
import { PartnerStatement } from './partner/PartnerStatement.tsx';

interface Directory {
  units: {
    unit: { name: string };
    building: { name: string };
    compound: { name: string };
    grid: { name: string; servicePhone: string | null } | null;
    policeContacts: { name: string; title: string; workPhone: string }[];
  }[];
}

export function MeTab({ onLogout }: { onLogout(): void }) {
  const { t, lang } = useT();
  const [me, setMe] = useState<Me | null>(null);
  const [mode, setMode] = useState<string | null>(null);
  // Exceptions per carrier (set in the mini-program): the PUT replaces the whole set, so a
  // new default sends them back unchanged.
  const [perCarrier, setPerCarrier] = useState<DeliveryPreferences['perCarrier']>([]);
  const [consents, setConsents] = useState<ConsentRequest[]>([]);
  const [alias, setAlias] = useState('');
  const [dir, setDir] = useState<Directory | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sub, setSub] = useState<'partner' | 'fund' | null>(null);

  const loadConsents = () =>
    api
      .get<ConsentRequest[]>('/me/consent-requests?status=pending')
      .then(setConsents)
      .catch(() => {});
  const elder = useElder();
  const loadMe = () =>
    api
      .get<Me>('/me')
      .then((m) => {
        setMe(m);
        // The alias and the directory belong to a home: ask only once there is one.
        if (!m.grants.some((g) => g.role === 'resident')) return;
        api
          .get<{ text: string | null }>('/me/address-alias')
          .then((a) => setAlias(a.text ?? ''))
          .catch(() => {});
        api
          .get<Directory>('/me/directory')
          .then(setDir)
          .catch(() => {});
      })
      .catch((e: Error) => setError(e.message));
  useEffect(() => {
    void loadMe();
    api
      .get<DeliveryPreferences>('/me/delivery-preferences')
      .then((p) => {
        setMode(p.defaultMode);
        setPerCarrier(p.perCarrier);
      })
      .catch(() => {});
    void loadConsents();
  }, []);
  const hasHome = !!me?.grants.some((g) => g.role === 'resident');
  const switchElder = async (on: boolean) => {
    try {
      await setElder(api, on);
    } catch {
      Toast.show({ content: t('已在本机切换；登录账号的设置稍后再同步') });
    }
  };

  const saveMode = async (m: string) => {
    try {
      await api.put('/me/delivery-preferences', {
        defaultMode: m,
        perCarrier: perCarrier.map((p) => ({ carrierId: p.carrierId, mode: p.mode })),
      });
      setMode(m);
      Toast.show({ icon: 'success', content: t('已保存') });
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as Error).message });
    }
  };
  const decide = async (c: ConsentRequest, accept: boolean) => {
    try {
      await api.post(`/me/consent-requests/${c.id}/decision`, { accept });
      Toast.show({ content: accept ? t('已同意放入智能柜') : t('已拒绝') });
      void loadConsents();
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as Error).message });
    }
  };
  const saveAlias = async () => {
    setError(null);
    try {
      if (alias.trim()) await api.put('/me/address-alias', { text: alias.trim() });
      else await api.del('/me/address-alias');
      Toast.show({ icon: 'success', content: t('已保存') });
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const isPartner = !!me?.grants.some((g) => g.role === 'partner');
  const homeCommunity = me?.grants.find((g) => g.role === 'resident')?.communityId ?? null;
  if (sub === 'partner') return <PartnerStatement onBack={() => setSub(null)} />;
  if (sub === 'fund' && homeCommunity)
    return <FundPage communityId={homeCommunity} canAct onBack={() => setSub(null)} />;
  return (
    <>
      <NavBar back={null} right={<LangSwitch />}>
        {t('我的')}
      </NavBar>
      {error && (
        <div role="alert" style={{ color: '#cf1322', padding: '8px 16px' }}>
          {error}
        </div>
      )}
      <List header={t('账号')}>
        <List.Item description={me?.phone ?? ''}>{me?.displayName ?? '…'}</List.Item>
      </List>
      {(isPartner || homeCommunity) && (
        <List header={t('社区账本')}>
          {homeCommunity && (
            <List.Item onClick={() => setSub('fund')} data-testid="open-fund">
              {t('社区发展基金')}
            </List.Item>
          )}
          {isPartner && (
            <List.Item onClick={() => setSub('partner')} data-testid="open-partner">
              {t('我的合伙人账单')}
            </List.Item>
          )}
        </List>
      )}
      <List header={t('显示')}>
        <List.Item
          description={t('字更大、按钮更大，适合长辈使用')}
          extra={
            <Switch
              aria-label={t('关怀模式')}
              checked={elder}
              onChange={(on) => void switchElder(on)}
            />
          }
        >
          {t('关怀模式')}
        </List.Item>
      </List>
      <Homes onChanged={() => void loadMe()} />
      <List header={t('待确认的投柜请求')}>
        {consents.length === 0 && <List.Item>{t('暂无')}</List.Item>}
        {consents.map((c) => (
          <List.Item
            key={c.id}
            description={`${c.lockerName} · ${t('运单尾号')} ${c.waybillTail} · ${t('截止')} ${when(c.expiresAt)}`}
            extra={
              <>
                <Button size="mini" color="primary" onClick={() => void decide(c, true)}>
                  {t('同意')}
                </Button>{' '}
                <Button size="mini" onClick={() => void decide(c, false)}>
                  {t('拒绝')}
                </Button>
              </>
            }
          >
            {c.carrierName}
          </List.Item>
        ))}
      </List>
      <List header={t('快递怎么送')}>
        <List.Item>
          <Selector
            columns={2}
            value={mode ? [mode] : []}
            onChange={(v) => v[0] && void saveMode(v[0])}
            options={DELIVERY_MODE_OPTIONS.map((m) => ({ value: m.value, label: t(m.label) }))}
          />
        </List.Item>
      </List>
      {hasHome && (
        <List header={t('地址别名（快递员只看到它，看不到门牌号）')}>
          <List.Item
            extra={
              <Button size="small" onClick={() => void saveAlias()}>
                {t('保存')}
              </Button>
            }
          >
            <Input
              aria-label={t('地址别名')}
              placeholder={t('例如：清淳家园 3栋2单元 蚁巢柜')}
              value={alias}
              onChange={setAlias}
              clearable
            />
          </List.Item>
        </List>
      )}
      {dir?.units.map((u, i) => (
        <List key={i} header={`${u.compound.name} ${u.building.name}${u.unit.name}`}>
          {u.grid && (
            <List.Item
              extra={
                u.grid.servicePhone && (
                  <a href={`tel:${u.grid.servicePhone}`}>{u.grid.servicePhone}</a>
                )
              }
            >
              {t('网格员')} · {u.grid.name}
            </List.Item>
          )}
          {u.policeContacts.map((p, j) => (
            <List.Item key={j} extra={<a href={`tel:${p.workPhone}`}>{p.workPhone}</a>}>
              <Tag color="primary">{p.title}</Tag> {p.name}
            </List.Item>
          ))}
        </List>
      ))}
      <List header={t('协议')}>
        <List.Item
          clickable
          onClick={() => window.open(`/legal/terms${lang === 'en' ? '?lang=en' : ''}`, '_blank')}
        >
          {t('用户服务协议')}
        </List.Item>
        <List.Item
          clickable
          onClick={() => window.open(`/legal/privacy${lang === 'en' ? '?lang=en' : ''}`, '_blank')}
        >
          {t('隐私政策')}
        </List.Item>
      </List>
      <div style={{ padding: 16 }}>
        <Button
          block
          color="danger"
          fill="outline"
          onClick={async () => {
            if (
              await Dialog.confirm({
                content: t('确定退出登录？'),
                confirmText: t('退出'),
                cancelText: t('取消'),
              })
            )
              onLogout();
          }}
        >
          {t('退出登录')}
        </Button>
      </div>
    </>
  );
}
