/**
 * 前台代办: hall staff take a need for a resident or a walk-in. A place picker (type part of a
 * compound, building or unit name; no map) says where, then the shared intake form files it.
 */
import { AutoComplete, Card, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useT } from '../../../../shared/i18n.ts';
import { NeedIntakeForm } from '../../../../shared/needs/NeedIntakeForm.tsx';
import { api } from '../../api.ts';

interface Unit {
  unitId: string;
  communityName: string;
  label: string;
}

/** The unit search the desk and the worklist share. */
export function UnitPicker({ onPick }: { onPick(u: Unit | null): void }) {
  const { t } = useT();
  const [q, setQ] = useState('');
  const [units, setUnits] = useState<Unit[]>([]);
  useEffect(() => {
    if (!q.trim()) return setUnits([]);
    const timer = setTimeout(() => {
      api.get<{ units: Unit[] }>(`/needs/units?q=${encodeURIComponent(q.trim())}`).then(
        (r) => setUnits(r.units),
        () => setUnits([]),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [q]);
  return (
    <AutoComplete
      style={{ width: 320 }}
      value={q}
      onChange={(v: string) => {
        setQ(v);
        onPick(null);
      }}
      onSelect={(_v: string, o: { unit: Unit }) => {
        setQ(`${o.unit.communityName} ${o.unit.label}`);
        onPick(o.unit);
      }}
      options={units.map((u) => ({
        value: u.unitId,
        label: `${u.communityName} ${u.label}`,
        unit: u,
      }))}
      placeholder={t('输入小区、楼栋或单元，如 清淳家园 1栋')}
      data-testid="unit-picker"
    />
  );
}

export function FrontDesk({ hallId }: { hallId: string }) {
  const { t } = useT();
  const [unit, setUnit] = useState<Unit | null>(null);
  const [last, setLast] = useState<string | null>(null);
  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 560 }}>
      <Typography.Paragraph type="secondary">
        {t(
          '居民来馆或来电反映的事，在这里代为登记；没有账号的来访者留下姓名和手机号即可。不知道具体单元时可以不选，诉求按本服务馆所在社区派单。',
        )}
      </Typography.Paragraph>
      <Space>
        {t('地点')}
        <UnitPicker onPick={setUnit} />
      </Space>
      {last && (
        <Typography.Text type="success">
          {t('已登记，编号')} {last.slice(-6)}
        </Typography.Text>
      )}
      <Card>
        <NeedIntakeForm
          channel="desk"
          api={api}
          hallId={hallId}
          {...(unit ? { unitId: unit.unitId } : {})}
          onDone={setLast}
        />
      </Card>
    </Space>
  );
}
