/**
 * The one intake form for residents' needs: the resident app (channel app), the hall kiosk
 * (channel kiosk) and the hall front desk (channel desk, with the walk-in's name and phone).
 * It reads the catalogue, renders each type's own questions, takes up to 4 photos and files.
 */
import {
  Button,
  Form,
  ImageUploader,
  type ImageUploadItem,
  Input,
  Selector,
  TextArea,
  Toast,
} from 'antd-mobile';
import { useEffect, useState } from 'react';
import type { Api } from '../api.ts';
import { useT } from '../i18n.ts';
import { type ServiceView, uploadPhoto } from './needs-api.ts';

export interface NeedIntakeFormProps {
  channel: 'app' | 'kiosk' | 'desk';
  /** Called with the new request's id. */
  onDone(needId: string): void;
  api: Api;
  /** The hall of a kiosk or front desk. */
  hallId?: string;
  /** The unit the request is about (desk: chosen with the place picker). */
  unitId?: string;
}

/** Intake form; the caller decides where it sits. */
export function NeedIntakeForm({ channel, onDone, api, hallId, unitId }: NeedIntakeFormProps) {
  const { t } = useT();
  const [services, setServices] = useState<ServiceView[]>([]);
  const [code, setCode] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [photos, setPhotos] = useState<ImageUploadItem[]>([]);
  const [form] = Form.useForm();
  useEffect(() => {
    api.get<{ services: ServiceView[] }>('/needs/services').then(
      (r) => setServices(r.services),
      () => setServices([]),
    );
  }, [api]);
  const service = services.find((s) => s.code === code);

  const submit = async (v: Record<string, string | string[] | undefined>) => {
    if (!service) return;
    setBusy(true);
    try {
      const attributes: Record<string, string> = {};
      for (const a of service.attributes) {
        const x = v[`attr_${a.code}`];
        const val = Array.isArray(x) ? x[0] : x;
        if (val) attributes[a.code] = val;
      }
      const body = {
        serviceCode: service.code,
        description: String(v['description'] ?? ''),
        attributes,
        photoIds: photos.map((p) => p.key as string),
        ...(unitId ? { unitId } : {}),
      };
      const r =
        channel === 'desk'
          ? await api.post<{ id: string }>(`/halls/${hallId}/needs`, {
              ...body,
              contactName: v['contactName'],
              contactPhone: v['contactPhone'],
            })
          : await api.post<{ id: string }>('/me/needs', {
              ...body,
              ...(channel === 'kiosk' ? { channel: 'kiosk', hallId } : {}),
            });
      Toast.show({ icon: 'success', content: t('已提交，社区会尽快处理') });
      form.resetFields();
      setPhotos([]);
      setCode(null);
      onDone(r.id);
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={(v) => void submit(v as Record<string, string>)}
      footer={
        <Button
          block
          type="submit"
          color="primary"
          size="large"
          loading={busy}
          disabled={!service}
          data-testid="need-submit"
        >
          {t('提交')}
        </Button>
      }
    >
      <Form.Item label={t('诉求类型')} required>
        <Selector
          columns={3}
          options={services.map((s) => ({ label: t(s.name), value: s.code }))}
          value={code ? [code] : []}
          onChange={(v) => setCode(v[0] ?? null)}
        />
      </Form.Item>
      {service && <Form.Header>{t(service.description)}</Form.Header>}
      {service?.attributes.map((a) =>
        a.values?.length ? (
          <Form.Item
            key={a.code}
            name={`attr_${a.code}`}
            label={t(a.description)}
            rules={a.required ? [{ required: true, message: t('请选择') }] : []}
          >
            <Selector
              columns={3}
              options={a.values.map((x) => ({ label: t(x.name), value: x.key }))}
            />
          </Form.Item>
        ) : (
          <Form.Item
            key={a.code}
            name={`attr_${a.code}`}
            label={t(a.description)}
            rules={a.required ? [{ required: true, message: t('请填写') }] : []}
          >
            <Input maxLength={200} clearable />
          </Form.Item>
        ),
      )}
      <Form.Item
        name="description"
        label={t('具体情况')}
        rules={[{ required: true, message: t('请描述您的诉求') }]}
      >
        <TextArea
          rows={4}
          maxLength={4000}
          showCount
          placeholder={t('时间、地点、发生了什么')}
          data-testid="need-description"
        />
      </Form.Item>
      <Form.Item label={t('照片（最多 4 张）')}>
        <ImageUploader
          value={photos}
          onChange={setPhotos}
          maxCount={4}
          accept="image/jpeg,image/png,image/webp"
          upload={async (file) => {
            const id = await uploadPhoto(api, file);
            return { key: id, url: URL.createObjectURL(file) };
          }}
        />
      </Form.Item>
      {channel === 'desk' && (
        <>
          <Form.Item
            name="contactName"
            label={t('来访人姓名')}
            rules={[{ required: true, message: t('请填写') }]}
          >
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item
            name="contactPhone"
            label={t('联系电话')}
            rules={[{ required: true, pattern: /^1\d{10}$/, message: t('请填写 11 位手机号') }]}
          >
            <Input maxLength={11} type="tel" />
          </Form.Item>
        </>
      )}
    </Form>
  );
}
