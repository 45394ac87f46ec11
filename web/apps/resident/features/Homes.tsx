/**
 * 我的房屋: the homes I am bound to, each with 邀请家人 (a single-use 8-digit code and a
 * link, valid 72 hours); and, for a family member with no home yet, two ways in — the
 * code a resident of the unit gave them, or a request the community office approves.
 */
import { Button, Dialog, Input, List, Selector, Tag, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { when } from '../../../shared/format.ts';
import { useT } from '../../../shared/i18n.ts';
import { api } from '../api.ts';

interface Unit {
  unitId: string;
  communityName: string;
  label: string;
}
interface Request {
  requestId: string;
  unit: string;
  relation: string;
  status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  createdAt: string;
  reason: string | null;
}
const RELATIONS = ['子女', '配偶', '父母', '其他亲属', '保姆 / 护工'];
const STATUS: Record<
  Request['status'],
  { text: string; color: 'warning' | 'success' | 'danger' | 'default' }
> = {
  pending: { text: '社区审核中', color: 'warning' },
  approved: { text: '已通过', color: 'success' },
  rejected: { text: '未通过', color: 'danger' },
  cancelled: { text: '已撤回', color: 'default' },
};

export function Homes({ onChanged }: { onChanged(): void }) {
  const { t } = useT();
  const [data, setData] = useState<{ homes: Unit[]; requests: Request[] } | null>(null);
  const [code, setCode] = useState(() => new URLSearchParams(location.search).get('invite') ?? '');
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Unit[] | null>(null);
  const [unit, setUnit] = useState<string | null>(null);
  const [relation, setRelation] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    api
      .get<{ homes: Unit[]; requests: Request[] }>('/me/homes')
      .then(setData)
      .catch((e: Error) => setError(e.message));
  useEffect(() => void load(), []);
  const done = (text: string) => {
    Toast.show({ icon: 'success', content: text });
    setError(null);
    void load();
    onChanged();
  };

  const invite = async (h: Unit) => {
    try {
      const r = await api.post<{ code: string; expiresAt: string }>('/me/homes/invites', {
        unitId: h.unitId,
      });
      const link = `${location.origin}/app/resident/?invite=${r.code}`;
      await Dialog.alert({
        title: t('邀请家人绑定 {{home}}', { home: h.label }),
        content: (
          <div style={{ textAlign: 'center' }}>
            <div
              data-testid="invite-code"
              style={{ fontSize: 32, fontWeight: 700, letterSpacing: 3 }}
            >
              {r.code}
            </div>
            <p>
              {t(
                '请家人登录蚁巢，在「我的 → 绑定房屋」输入这个邀请码，或打开下面的链接。只能用一次，{{time}} 前有效。',
                { time: when(r.expiresAt) },
              )}
            </p>
            <p style={{ wordBreak: 'break-all', color: '#555' }}>{link}</p>
          </div>
        ),
        confirmText: t('知道了'),
      });
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as Error).message });
    }
  };
  const join = async () => {
    if (!/^\d{8}$/.test(code.trim())) return setError(t('请输入家人给您的 8 位数字邀请码'));
    try {
      const u = await api.post<Unit>('/me/homes/join', { code: code.trim() });
      setCode('');
      done(t('已绑定 {{home}}', { home: u.label }));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const search = async () => {
    if (!q.trim()) return setError(t('请输入小区、楼栋和单元，例如 清淳家园 1栋1单元'));
    setError(null);
    setUnit(null);
    setFound(
      await api.get<Unit[]>(`/me/homes/units?q=${encodeURIComponent(q.trim())}`).catch(() => []),
    );
  };
  const ask = async () => {
    if (!unit) return setError(t('请先选择房屋所在的单元'));
    if (!relation) return setError(t('请选择您和这户的关系'));
    try {
      await api.post('/me/homes/requests', { unitId: unit, relation });
      setFound(null);
      setQ('');
      done(t('已提交，社区工作人员核实后为您绑定'));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const withdraw = async (r: Request) => {
    try {
      await api.del(`/me/homes/requests/${r.requestId}`);
      done(t('已撤回'));
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as Error).message });
    }
  };

  const homes = data?.homes ?? [];
  const open =
    data?.requests.filter((r) => r.status !== 'cancelled' && r.status !== 'approved') ?? [];
  return (
    <>
      <List header={t('我的房屋')}>
        {data && homes.length === 0 && (
          <List.Item>{t('还没有绑定房屋：绑定后可查看网格员、社区民警，设置地址别名')}</List.Item>
        )}
        {homes.map((h) => (
          <List.Item
            key={h.unitId}
            description={h.communityName}
            extra={
              <Button size="small" color="primary" fill="outline" onClick={() => void invite(h)}>
                {t('邀请家人')}
              </Button>
            }
          >
            {h.label}
          </List.Item>
        ))}
        {open.map((r) => (
          <List.Item
            key={r.requestId}
            data-testid="home-request"
            description={`${t(r.relation)} · ${when(r.createdAt)}${r.reason ? ` · ${r.reason}` : ''}`}
            extra={
              r.status === 'pending' && (
                <Button size="small" onClick={() => void withdraw(r)}>
                  {t('撤回')}
                </Button>
              )
            }
          >
            {r.unit} <Tag color={STATUS[r.status].color}>{t(STATUS[r.status].text)}</Tag>
          </List.Item>
        ))}
      </List>
      <List header={t('绑定房屋')}>
        <List.Item
          description={t('家人在「我的房屋」点“邀请家人”即可得到邀请码')}
          extra={
            <Button size="small" color="primary" onClick={() => void join()}>
              {t('绑定')}
            </Button>
          }
        >
          <Input
            aria-label={t('邀请码')}
            placeholder={t('8 位邀请码')}
            inputMode="numeric"
            maxLength={8}
            value={code}
            onChange={setCode}
            clearable
          />
        </List.Item>
        <List.Item
          description={t('没有邀请码？找到您家的单元，向社区申请核实')}
          extra={
            <Button size="small" onClick={() => void search()}>
              {t('查找')}
            </Button>
          }
        >
          <Input
            aria-label={t('小区楼栋单元')}
            placeholder={t('例如：清淳家园 1栋1单元')}
            value={q}
            onChange={setQ}
            onEnterPress={() => void search()}
            clearable
          />
        </List.Item>
        {found && found.length === 0 && (
          <List.Item>{t('没有找到，请检查小区、楼栋、单元名称')}</List.Item>
        )}
        {found && found.length > 0 && (
          <List.Item>
            <Selector
              columns={1}
              value={unit ? [unit] : []}
              onChange={(v) => setUnit(v[0] ?? null)}
              options={found.map((u) => ({
                value: u.unitId,
                label: `${u.label}（${u.communityName}）`,
              }))}
            />
            <div style={{ margin: '12px 0 4px' }}>{t('您和这户的关系')}</div>
            <Selector
              columns={3}
              value={relation ? [relation] : []}
              onChange={(v) => setRelation(v[0] ?? null)}
              options={RELATIONS.map((r) => ({ value: r, label: t(r) }))}
            />
            <Button block color="primary" style={{ marginTop: 12 }} onClick={() => void ask()}>
              {t('提交社区审核')}
            </Button>
          </List.Item>
        )}
      </List>
      {error && (
        <div role="alert" style={{ color: '#cf1322', padding: '8px 16px' }}>
          {error}
        </div>
      )}
    </>
  );
}
