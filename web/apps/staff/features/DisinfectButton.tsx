/**
 * A compartment's UV disinfection in the staff console: its last cycle (how it ended and
 * when) and a button that starts a cycle now. The locker refuses it while the door is
 * open (UV never runs with a door open); the outcome then shows as the last cycle.
 */
import { App, Button, Space, Tag } from 'antd';
import { useState } from 'react';
import { when } from '../../../shared/format.ts';
import { useT } from '../../../shared/i18n.ts';
import type { Compartment } from '../../../shared/types.ts';
import { api } from '../api.ts';

const OUTCOME: Record<string, { text: string; color: string }> = {
  running: { text: '消毒中', color: 'processing' },
  completed: { text: '已消毒', color: 'success' },
  failed: { text: '消毒故障', color: 'error' },
  aborted: { text: '消毒中断', color: 'warning' },
  blocked: { text: '门未关，未消毒', color: 'warning' },
};

/** The last cycle of one compartment and a button to start one. */
export function DisinfectButton({
  lockerId,
  compartment,
  onStarted,
}: {
  lockerId: string;
  compartment: Compartment;
  onStarted?(): void;
}) {
  const { t } = useT();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const last = compartment.lastCycle;
  const shown = last ? OUTCOME[last.outcome] : undefined;
  const start = async () => {
    setBusy(true);
    try {
      await api.post(`/lockers/${lockerId}/disinfect`, { compartment: compartment.number });
      void message.success(t('消毒指令已发送'));
      onStarted?.();
    } catch (e) {
      void message.error((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space data-testid="uv" style={{ marginBottom: 12 }} wrap>
      <span>{t('上次消毒')}：</span>
      {last ? <Tag color={shown?.color}>{t(shown?.text ?? last.outcome)}</Tag> : <span>—</span>}
      {last && <span style={{ color: '#888' }}>{when(last.endedAt ?? last.startedAt)}</span>}
      <Button
        size="small"
        loading={busy}
        disabled={compartment.door === 'open' || compartment.uv === 'running'}
        onClick={() => void start()}
      >
        {t('开始消毒')}
      </Button>
    </Space>
  );
}
