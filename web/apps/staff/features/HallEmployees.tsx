/**
 * A hall's employees in the console (issue 17): who works there, their job and start date,
 * and how many are local residents of the community (the model prefers them), with a form
 * to add one. Hall staff and the community office see their own hall only (the API checks).
 */
import { App, Button, Card, Checkbox, Col, Input, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useT } from '../../../shared/i18n.ts';
import type { HallEmployees as Report } from '../../../shared/ledger.ts';
import { api } from '../api.ts';

export function HallEmployees({ hallId }: { hallId: string }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [report, setReport] = useState<Report | null>(null);
  const [name, setName] = useState('');
  const [job, setJob] = useState('');
  const [local, setLocal] = useState(true);
  const [startedOn, setStartedOn] = useState('');
  const fail = (e: Error) => void message.error(e.message);
  const load = useCallback(
    () => api.get<Report>(`/halls/${hallId}/employees`).then(setReport, fail),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [hallId],
  );
  useEffect(() => void load(), [load]);
  const add = () =>
    api
      .post<Report>(`/halls/${hallId}/employees`, {
        name,
        job,
        localResident: local,
        startedOn,
      })
      .then((r) => {
        setReport(r);
        setName('');
        setJob('');
        setStartedOn('');
        void message.success(t('已添加'));
      }, fail);
  return (
    <Col xs={24} lg={12}>
      <Card
        title={t('员工')}
        size="small"
        extra={
          report && (
            <span data-testid="employees-local">
              {t('本社区居民 {{n}} / {{total}} 人（{{pct}}%）', {
                n: report.localResidents,
                total: report.total,
                pct: (report.localShareBp / 100).toFixed(0),
              })}
            </span>
          )
        }
      >
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={report?.employees ?? []}
          columns={[
            { title: t('姓名'), dataIndex: 'name' },
            { title: t('岗位'), dataIndex: 'job' },
            { title: t('入职日期'), dataIndex: 'startedOn' },
            {
              title: t('本社区居民'),
              dataIndex: 'localResident',
              render: (v: boolean) => (v ? <Tag color="green">{t('是')}</Tag> : t('否')),
            },
          ]}
        />
        <Space wrap style={{ marginTop: 8 }}>
          <Input
            placeholder={t('姓名')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            style={{ width: 110 }}
            data-testid="employee-name"
          />
          <Input
            placeholder={t('岗位')}
            value={job}
            onChange={(e) => setJob(e.target.value)}
            style={{ width: 110 }}
            data-testid="employee-job"
          />
          <Input
            placeholder="2026-12-01"
            value={startedOn}
            onChange={(e) => setStartedOn(e.target.value)}
            style={{ width: 120 }}
            aria-label={t('入职日期')}
            data-testid="employee-started"
          />
          <Checkbox checked={local} onChange={(e) => setLocal(e.target.checked)}>
            {t('本社区居民')}
          </Checkbox>
          <Button onClick={() => void add()} data-testid="employee-add">
            {t('添加员工')}
          </Button>
        </Space>
      </Card>
    </Col>
  );
}
