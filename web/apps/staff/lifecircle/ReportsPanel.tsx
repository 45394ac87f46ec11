/**
 * A community's monthly reports: the ones the month-start job wrote, a button to generate
 * this month's (or last month's) now, and each report as a printable page or a PDF. Both
 * are fetched with the session's token, so the page opens in a frame and the PDF as a file.
 */
import { App, Button, Card, Modal, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { when } from '../../../shared/format.ts';
import { useT } from '../../../shared/i18n.ts';
import type { ReportMetaView } from '../../../../src/web-types.ts';
import { api } from '../api.ts';

/** This month and the previous one in China Standard Time, YYYY-MM. */
function months(): [string, string] {
  const d = new Date(Date.now() + 8 * 3600_000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  const fmt = (yy: number, mm: number) => `${yy}-${String(mm).padStart(2, '0')}`;
  return [fmt(y, m), m === 1 ? fmt(y - 1, 12) : fmt(y, m - 1)];
}

const apiPath = (p: string) => p.replace(/^\/api\/v1/, '');

/** The reports card of the life-circle tab. */
export function ReportsPanel({ communityId }: { communityId: string }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [rows, setRows] = useState<ReportMetaView[]>([]);
  const [html, setHtml] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [thisMonth, lastMonth] = months();

  const load = useCallback(() => {
    api
      .get<ReportMetaView[]>(`/analytics/reports/communities/${communityId}`)
      .then(setRows)
      .catch((e: Error) => void message.error(e.message));
  }, [communityId, message]);
  useEffect(load, [load]);

  const generate = (month: string) => {
    setBusy(true);
    api
      .post<ReportMetaView>(`/analytics/reports/communities/${communityId}/months/${month}`)
      .then(() => {
        void message.success(t('已生成 {{m}} 月报', { m: month }));
        load();
      })
      .catch((e: Error) => void message.error(e.message))
      .finally(() => setBusy(false));
  };

  const fetchRaw = async (path: string) => {
    const res = await api.send('GET', apiPath(path), undefined, undefined);
    if (!res.ok) throw new Error(t('报告打开失败（{{s}}）', { s: res.status }));
    return res;
  };
  const openHtml = (r: ReportMetaView) =>
    void fetchRaw(r.htmlPath)
      .then((res) => res.text())
      .then(setHtml)
      .catch((e: Error) => void message.error(e.message));
  const openPdf = (r: ReportMetaView) =>
    void fetchRaw(r.pdfPath)
      .then((res) => res.blob())
      .then((blob) => {
        const a = document.createElement('a');
        a.href = URL.createObjectURL(blob);
        a.download = `report-${r.month}.pdf`;
        a.click();
        setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      })
      .catch((e: Error) => void message.error(e.message));

  return (
    <Card
      size="small"
      title={t('社区月报')}
      extra={
        <Space>
          <Button data-testid="report-generate" loading={busy} onClick={() => generate(thisMonth)}>
            {t('生成本月报告')}
          </Button>
          <Button loading={busy} onClick={() => generate(lastMonth)}>
            {t('重新生成上月报告')}
          </Button>
        </Space>
      }
    >
      <Table
        size="small"
        rowKey="month"
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: t('还没有月报：每月 1 日自动生成上月报告') }}
        columns={[
          { title: t('月份'), dataIndex: 'month' },
          {
            title: t('生成方式'),
            dataIndex: 'trigger',
            render: (x: string) => <Tag>{x === 'schedule' ? t('定时') : t('手动')}</Tag>,
          },
          { title: t('生成时间'), dataIndex: 'generatedAt', render: (x: string) => when(x) },
          {
            title: '',
            render: (_: unknown, r: ReportMetaView) => (
              <Space>
                <Button
                  size="small"
                  data-testid={`report-html-${r.month}`}
                  onClick={() => openHtml(r)}
                >
                  {t('查看 / 打印')}
                </Button>
                <Button size="small" onClick={() => openPdf(r)}>
                  {t('下载 PDF')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={html !== null}
        onCancel={() => setHtml(null)}
        footer={null}
        width={880}
        title={t('月报预览')}
      >
        {html && (
          <iframe
            data-testid="report-frame"
            title={t('月报预览')}
            srcDoc={html}
            sandbox="allow-modals allow-same-origin"
            style={{ width: '100%', height: '70vh', border: 0 }}
          />
        )}
      </Modal>
    </Card>
  );
}
