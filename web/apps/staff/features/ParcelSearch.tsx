/** Parcel search by waybill, locker id or the recipient's full phone; phones are shown masked. */
import { App, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { when } from '../../../shared/format.ts';
import { useT } from '../../../shared/i18n.ts';
import { type CourierParcel, PARCEL_STATUS } from '../../../shared/types.ts';
import { api } from '../api.ts';

export function ParcelSearch({ communityId }: { communityId: string }) {
  const { t } = useT();
  const { message } = App.useApp();
  const [rows, setRows] = useState<CourierParcel[] | null>(null);
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const search = async (q: string) => {
    const text = q.trim();
    if (text.length === 1) return void message.warning(t('请至少输入 2 个字符'));
    setLoading(true);
    try {
      const qs = new URLSearchParams({ ...(text ? { q: text } : {}), ...(status ? { status } : {}) });
      setRows(await api.get<CourierParcel[]>(`/communities/${communityId}/parcels?${qs}`));
    } catch (e) {
      void message.error((e as Error).message);
    } finally {
      setLoading(false);
    }
  };
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Input.Search aria-label={t('搜索包裹')} placeholder={t('运单号、柜号或收件人完整手机号')} allowClear enterButton={t('搜索')} style={{ width: 360 }} onSearch={(v) => void search(v)} loading={loading} />
        <Select allowClear placeholder={t('状态')} style={{ width: 140 }} value={status} onChange={setStatus} options={Object.entries(PARCEL_STATUS).map(([value, label]) => ({ value, label: t(label) }))} />
      </Space>
      <Table<CourierParcel>
        rowKey="parcelId"
        size="middle"
        dataSource={rows ?? []}
        locale={{ emptyText: rows ? t('没有找到包裹') : t('输入条件后搜索') }}
        columns={[
          { title: t('运单号'), dataIndex: 'waybill' },
          { title: t('收件人'), dataIndex: 'recipientPhone' },
          { title: t('智能柜'), dataIndex: 'lockerId' },
          { title: t('格口'), dataIndex: 'compartment' },
          { title: t('状态'), dataIndex: 'status', render: (s: string) => <Tag>{t(PARCEL_STATUS[s] ?? s)}</Tag> },
          { title: t('投递时间'), dataIndex: 'createdAt', render: when },
          { title: t('入柜时间'), dataIndex: 'storedAt', render: when },
        ]}
      />
    </>
  );
}
