/** One request for staff: what, where, who, deadlines, history, and the actions of its state. */
import {
  Alert,
  Button,
  Descriptions,
  Drawer,
  Input,
  message,
  Modal,
  Rate,
  Select,
  Space,
  Tag,
  Timeline,
} from 'antd';
import { useEffect, useState } from 'react';
import { useT } from '../../../../shared/i18n.ts';
import {
  ACTION_LABEL,
  localTime,
  photoUrl,
  type StaffNeedView,
  STATUS_LABEL,
} from '../../../../shared/needs/needs-api.ts';
import { api } from '../../api.ts';

const PARTY: Record<string, string> = {
  community_office: '社区办公室',
  grid_worker: '网格员',
  property: '物业',
  police: '警务室',
  utilities: '水电气单位',
  institution: '外部机构',
};
const CHANNEL: Record<string, string> = {
  app: '居民 App',
  desk: '服务馆前台',
  kiosk: '服务馆自助机',
  open311: 'Open311',
};
const ANTD_COLOR: Record<string, string> = {
  default: 'default',
  primary: 'processing',
  success: 'success',
  danger: 'error',
  warning: 'warning',
};

/** The status tag. */
export function StatusTag({ status }: { status: StaffNeedView['status'] }) {
  const { t } = useT();
  const s = STATUS_LABEL[status];
  return <Tag color={ANTD_COLOR[s.color]}>{t(s.text)}</Tag>;
}

type Act = 'accept' | 'reply' | 'close' | 'forward' | 'return' | 'decline' | 'visit' | 'dispatch';

export function NeedDrawer({
  id,
  onClose,
  onChanged,
}: {
  id: string | null;
  onClose(): void;
  onChanged(): void;
}) {
  const { t } = useT();
  const [n, setN] = useState<StaffNeedView | null>(null);
  const [photos, setPhotos] = useState<string[]>([]);
  const [act, setAct] = useState<Act | null>(null);
  const [text, setText] = useState('');
  const [party, setParty] = useState('community_office');
  const [rating, setRating] = useState(0);
  useEffect(() => {
    setN(null);
    if (!id) return;
    api.get<StaffNeedView>(`/needs/${id}`).then(setN, (e: Error) => void message.error(e.message));
  }, [id]);
  useEffect(() => {
    setPhotos([]);
    if (!n) return;
    void Promise.all(n.photoIds.map((p) => photoUrl(api, p).catch(() => ''))).then((u) =>
      setPhotos(u.filter(Boolean)),
    );
  }, [n]);

  const run = async (a: Act) => {
    if (!n) return;
    const body: Record<string, unknown> =
      a === 'reply'
        ? { reply: text }
        : a === 'forward'
          ? { party, reason: text }
          : a === 'dispatch'
            ? { party }
            : a === 'visit'
              ? { note: text, ...(rating ? { rating } : {}) }
              : a === 'return' || a === 'decline'
                ? { reason: text }
                : {};
    try {
      setN(await api.post<StaffNeedView>(`/needs/${n.id}/${a}`, body));
      setAct(null);
      setText('');
      onChanged();
    } catch (e) {
      void message.error((e as Error).message);
    }
  };
  const open = n && ['received', 'dispatched', 'in_progress', 'reopened'].includes(n.status);
  const buttons: [Act, string][] = n
    ? [
        ...((['dispatched', 'reopened'].includes(n.status) ? [['accept', '接单']] : []) as [
          Act,
          string,
        ][]),
        ...((open && n.status !== 'received'
          ? [
              ['reply', '答复居民'],
              ['forward', '转交'],
              ['return', '退回社区'],
            ]
          : []) as [Act, string][]),
        ...((n.status === 'received' ? [['dispatch', '派单']] : []) as [Act, string][]),
        ...((n.status === 'replied' ? [['close', '办结']] : []) as [Act, string][]),
        ...((open ? [['decline', '不予受理']] : []) as [Act, string][]),
        ...((['replied', 'closed'].includes(n.status) && !n.visitedAt
          ? [['visit', '回访']]
          : []) as [Act, string][]),
      ]
    : [];

  return (
    <Drawer open={id !== null} onClose={onClose} width={560} title={n ? t(n.serviceName) : ''}>
      {n && (
        <Space direction="vertical" style={{ width: '100%' }} data-testid="staff-need">
          {n.overdue && <Alert type="error" showIcon message={t('已超过办理期限')} />}
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('状态')}>
              <StatusTag status={n.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('地点')}>{n.place}</Descriptions.Item>
            <Descriptions.Item label={t('渠道')}>
              {t(CHANNEL[n.channel] ?? n.channel)}
            </Descriptions.Item>
            <Descriptions.Item label={t('联系人')}>
              {n.contactName ?? '—'} {n.contactPhone ?? ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('承办')}>{t(PARTY[n.party] ?? n.party)}</Descriptions.Item>
            <Descriptions.Item label={t('响应时限')}>{localTime(n.respondBy)}</Descriptions.Item>
            <Descriptions.Item label={t('办理期限')}>{localTime(n.dueAt)}</Descriptions.Item>
            <Descriptions.Item label={t('描述')}>
              <div style={{ whiteSpace: 'pre-wrap' }}>{n.description}</div>
            </Descriptions.Item>
            {Object.entries(n.attributes).map(([k, v]) => (
              <Descriptions.Item key={k} label={k}>
                {[v].flat().join('、')}
              </Descriptions.Item>
            ))}
            {n.reply && <Descriptions.Item label={t('答复')}>{n.reply}</Descriptions.Item>}
            {n.rating !== null && (
              <Descriptions.Item label={t('评价')}>
                <Rate disabled value={n.rating} /> {n.ratingComment}
              </Descriptions.Item>
            )}
            {n.visitNote && <Descriptions.Item label={t('回访')}>{n.visitNote}</Descriptions.Item>}
            {n.handoffs.map((h) => (
              <Descriptions.Item key={h.externalRef} label={t('转外部机构')}>
                {t(PARTY[h.party] ?? h.party)} · {h.externalRef}
              </Descriptions.Item>
            ))}
          </Descriptions>
          {photos.length > 0 && (
            <Space wrap>
              {photos.map((u) => (
                <img key={u} src={u} alt="" style={{ width: 96, height: 96, objectFit: 'cover' }} />
              ))}
            </Space>
          )}
          <Space wrap>
            {buttons.map(([a, label]) => (
              <Button
                key={a}
                type={a === 'accept' || a === 'reply' || a === 'close' ? 'primary' : 'default'}
                danger={a === 'decline'}
                onClick={() => (a === 'accept' || a === 'close' ? void run(a) : setAct(a))}
                data-testid={`need-${a}`}
              >
                {t(label)}
              </Button>
            ))}
          </Space>
          <Timeline
            items={n.history.map((h) => ({
              children: `${localTime(h.at)} ${t(ACTION_LABEL[h.action] ?? h.action)}${h.note ? ` · ${h.note}` : ''}`,
            }))}
          />
        </Space>
      )}
      <Modal
        open={act !== null}
        title={act ? t(buttons.find((b) => b[0] === act)?.[1] ?? '') : ''}
        onCancel={() => setAct(null)}
        onOk={() => act && void run(act)}
        okButtonProps={{ 'data-testid': 'need-act-ok' } as Record<`data-${string}`, string>}
      >
        {(act === 'forward' || act === 'dispatch') && (
          <Select
            style={{ width: '100%', marginBottom: 8 }}
            value={party}
            onChange={setParty}
            options={Object.entries(PARTY).map(([value, label]) => ({ value, label: t(label) }))}
          />
        )}
        {act === 'visit' && <Rate value={rating} onChange={setRating} />}
        {act !== 'dispatch' && (
          <Input.TextArea
            rows={4}
            value={text}
            onChange={(e) => setText(e.target.value)}
            maxLength={act === 'reply' ? 4000 : 500}
            placeholder={act === 'reply' ? t('告诉居民怎么处理的') : t('理由或记录')}
            data-testid="need-act-text"
          />
        )}
      </Modal>
    </Drawer>
  );
}
