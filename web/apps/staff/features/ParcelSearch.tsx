/**
 * Parcel search in my area by 手机尾号 (last 4 digits), full phone, waybill or locker; the
 * query goes in a POST body, never the URL. Phones come back masked; places by name.
 */
import { App, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { when } from '../../../shared/format.ts';
import { useT } from '../../../shared/i18n.ts';
import { useLatestOnly } from '../../../shared/latest.ts';
import { PARCEL_STATUS, type StaffParcel } from '../../../shared/types.ts';
import { api } from '../api.ts';
import { placeText } from '../place.ts';

/** The parcel search screen. */
export function ParcelSearch({ communityId }: { communityId: string }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [rows, setRows] = useState<StaffParcel[] | null>(null);
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const begin = useLatestOnly();
  const search = async (q: string) => {
    const text = q.replace(/\s+/g, ' ').trim();
    if (text.length === 1) return void message.warning(t('请至少输入 2 个字符'));
    const isLatest = begin();
    setLoading(true);
    try {
      const found = await api.post<StaffParcel[]>(`/communities/${communityId}/parcels/search`, {
        ...(text ? { q: text } : {}),
        ...(status ? { status } : {}),
      });
      if (isLatest()) setRows(found);
    } catch (e) {
      if (isLatest()) void message.error((e as Error).message);
    } finally {
      if (isLatest()) setLoading(false);
    }
  };
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Input.Search
          aria-label={t('搜索包裹')}
          placeholder={t('手机尾号（后 4 位）、完整手机号、运单号或柜号')}
          allowClear
          enterButton={t('搜索')}
          style={{ width: 420 }}
          onSearch={(v) => void search(v)}
          loading={loading}
        />
        <Select
          allowClear
          aria-label={t('状态')}
          placeholder={t('状态')}
          style={{ width: 140 }}
          value={status}
          onChange={setStatus}
          options={Object.entries(PARCEL_STATUS).map(([value, label]) => ({
            value,
            label: t(label),
          }))}
        />
      </Space>
      <Table<StaffParcel>
        rowKey="parcelId"
        size="middle"
        dataSource={rows ?? []}
        locale={{ emptyText: rows ? t('没有找到包裹') : t('输入条件后搜索') }}
        columns={[
          { title: t('运单号'), dataIndex: 'waybill', render: (w: string | null) => w ?? '—' },
          {
            title: t('收件人'),
            dataIndex: 'recipientPhone',
            render: (p: string | null) => p ?? '—',
          },
          {
            title: t('位置'),
            render: (_: unknown, p) => placeText(p.place, p.lockerName, t, p.compartment),
          },
          {
            title: t('状态'),
            dataIndex: 'status',
            render: (s: string) => <Tag>{t(PARCEL_STATUS[s] ?? s)}</Tag>,
          },
          { title: t('投递时间'), dataIndex: 'createdAt', render: when },
          { title: t('入柜时间'), dataIndex: 'storedAt', render: when },
        ]}
      />
    </>
  );
}
