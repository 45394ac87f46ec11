/**
 * My requests to the community (接诉即办): pick a type from the community's catalogue,
 * describe it, add up to 4 photos (wx.chooseMedia, uploaded as raw bytes like the web app),
 * answer the type's required questions, submit; then follow each request's status and the
 * reply, and rate it when it is closed.
 */
import {
  NEED_STATUS,
  type NeedView,
  type ServiceView,
  api,
  elder,
  strings,
  t,
  toast,
  when,
} from '../../lib/index.ts';

const S = {
  newTitle: '提交诉求',
  type: '诉求类型',
  description: '请描述您遇到的问题',
  photos: '添加照片（最多 4 张）',
  submit: '提交',
  mine: '我的诉求',
  none: '还没有诉求',
  reply: '答复',
  rate: '评价',
};

/** A question of the chosen type the form asks (free text; list types show their choices). */
interface Question {
  code: string;
  label: string;
  choices: string;
  value: string;
}

/** A request as shown. */
interface NeedCard {
  id: string;
  service: string;
  status: string;
  description: string;
  received: string;
  reply: string;
  canRate: boolean;
  rating: number;
}

const MAX_PHOTOS = 4;

function needCard(n: NeedView): NeedCard {
  return {
    id: n.id,
    service: n.serviceName,
    status: t(NEED_STATUS[n.status]?.text ?? n.status),
    description: n.description,
    received: when(n.receivedAt),
    reply: n.reply ?? '',
    canRate: (n.status === 'replied' || n.status === 'closed') && n.rating === null,
    rating: n.rating ?? 0,
  };
}

/** Read a chosen photo's bytes (WeChat gives a local temp path). */
function readFile(filePath: string): ArrayBuffer {
  return wx.getFileSystemManager().readFileSync(filePath) as ArrayBuffer;
}

Component({
  options: { styleIsolation: 'apply-shared' },
  data: {
    s: S,
    elder: false,
    catalogue: [] as ServiceView[],
    services: [] as { code: string; name: string }[],
    serviceIndex: -1,
    questions: [] as Question[],
    description: '',
    photos: [] as { path: string; id: string }[],
    needs: [] as NeedCard[],
    busy: false,
    error: '',
  },
  methods: {
    onLoad() {
      this.setData({ s: strings(S), elder: elder() });
      return this.load();
    },
    async load() {
      try {
        const [cat, mine] = await Promise.all([
          api.get<{ services: ServiceView[] }>('/needs/services'),
          api.get<{ items: NeedView[] }>('/me/needs'),
        ]);
        const active = cat.services.filter((x) => x.active);
        this.setData({
          catalogue: active,
          services: active.map((x) => ({ code: x.code, name: x.name })),
          needs: mine.items.map(needCard),
        });
      } catch (e) {
        this.setData({ error: (e as Error).message });
      }
    },
    pickService(e: WechatMiniprogram.PickerChange) {
      const i = Number(e.detail.value);
      const svc = this.data.catalogue[i];
      if (!svc) return;
      this.setData({
        serviceIndex: i,
        questions: svc.attributes
          .filter((a) => a.required)
          .map((a) => ({
            code: a.code,
            label: a.description,
            choices: (a.values ?? []).map((v) => v.key).join(' / '),
            value: '',
          })),
      });
    },
    onDescription(e: WechatMiniprogram.Input) {
      this.setData({ description: e.detail.value, error: '' });
    },
    onAnswer(e: WechatMiniprogram.Input) {
      const code = e.currentTarget.dataset['code'] as string;
      this.setData({
        questions: this.data.questions.map((q) =>
          q.code === code ? { ...q, value: e.detail.value } : q,
        ),
      });
    },
    /** Choose photos and upload each at once (the request then names their ids). */
    async addPhotos() {
      const room = MAX_PHOTOS - this.data.photos.length;
      if (room <= 0) return;
      let files: { tempFilePath: string; size: number }[];
      try {
        files = (
          await wx.chooseMedia({ count: room, mediaType: ['image'], sizeType: ['compressed'] })
        ).tempFiles;
      } catch {
        return;
      }
      try {
        for (const f of files) {
          const r = await api.call<{ id: string }>(
            'POST',
            '/needs/photos',
            readFile(f.tempFilePath),
            {
              contentType: /\.png$/i.test(f.tempFilePath) ? 'image/png' : 'image/jpeg',
            },
          );
          this.setData({
            photos: [...this.data.photos, { path: f.tempFilePath, id: r.id }],
            error: '',
          });
        }
      } catch (e) {
        this.setData({ error: (e as Error).message });
      }
    },
    async submit() {
      const svc = this.data.catalogue[this.data.serviceIndex];
      const description = this.data.description.trim();
      if (!svc) return this.setData({ error: t('请选择诉求类型') });
      if (description.length < 4) return this.setData({ error: t('请描述您遇到的问题') });
      if (this.data.questions.some((q) => !q.value.trim()))
        return this.setData({ error: t('请回答所有必填问题') });
      if (this.data.busy) return;
      this.setData({ busy: true, error: '' });
      try {
        const attributes: Record<string, string> = {};
        for (const q of this.data.questions) attributes[q.code] = q.value.trim();
        await api.post('/me/needs', {
          serviceCode: svc.code,
          description,
          attributes,
          photoIds: this.data.photos.map((p) => p.id),
        });
        toast(t('已提交，社区会尽快处理'));
        this.setData({ description: '', photos: [], serviceIndex: -1, questions: [] });
        await this.load();
      } catch (e) {
        this.setData({ error: (e as Error).message });
      } finally {
        this.setData({ busy: false });
      }
    },
    /** Rate a replied request 1–5 (data-id, data-stars). */
    async rate(e: WechatMiniprogram.BaseEvent) {
      const { id, stars } = e.currentTarget.dataset as { id: string; stars: string };
      try {
        await api.post(`/me/needs/${id}/rating`, { rating: Number(stars) });
        toast(t('感谢您的评价'));
        await this.load();
      } catch (err) {
        this.setData({ error: (err as Error).message });
      }
    },
  },
});
