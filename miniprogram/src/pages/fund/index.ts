/**
 * The community development fund (社区发展基金) in the open: the balance, the income by
 * source, the projects with their budget, status, votes and payments with receipts, and every
 * movement — the public API the web app's fund page and the hall kiosk read
 * (GET /public/communities/{id}/fund), for the community of the resident's home. Voting and
 * proposing stay in the web app for now.
 */
import {
  type Me,
  type PublicFund,
  API_BASE,
  api,
  elder,
  strings,
  t,
  when,
  yuan,
} from '../../lib/index.ts';

const S = {
  lead: '当前余额，每一笔收支都公开在下面',
  income: '收入来源',
  projects: '公益项目',
  movements: '全部收支',
  none: '暂无',
  votes: '票',
  paid: '拨款',
  receipt: '凭证',
  noHome: '绑定住址后可查看本社区的发展基金',
};

/** A project's status → label (Chinese source, as the web app's fund page). */
const STATUS: Record<string, string> = {
  open: '征集中',
  in_round: '投票中',
  selected: '已入选',
  not_selected: '未入选',
  funded: '已拨款',
};

/** The fund as the page shows it: amounts in yuan, times and labels formatted. */
function view(f: PublicFund) {
  return {
    communityName: f.communityName,
    balance: yuan(f.balanceFen),
    income: f.income.map((i) => ({ source: i.source, amount: yuan(i.amountFen) })),
    projects: f.projects.map((p) => ({
      proposalId: p.proposalId,
      title: p.title,
      body: p.body,
      budget: yuan(p.budgetFen),
      status: t(STATUS[p.status] ?? p.status),
      votes: p.votes,
      payments: p.payments.map((x) => ({
        spendId: x.spendId,
        amount: yuan(x.amountFen),
        payee: x.payee,
        receipt: x.receipt,
        state: x.status === 'executed' ? when(x.executedAt) : t('待第二人批准'),
        files: x.files.map((file, i) => ({
          receiptId: file.receiptId,
          url: file.url,
          pdf: file.contentType === 'application/pdf',
          label: `${t('凭证')} ${i + 1}`,
        })),
      })),
    })),
    movements: f.movements.map((m) => ({
      entryId: m.entryId,
      memo: m.memo,
      amount: yuan(m.amountFen),
      at: when(m.at),
      source: m.source ?? '',
    })),
  };
}

Component({
  options: { styleIsolation: 'apply-shared' },
  data: { s: S, elder: false, fund: null as ReturnType<typeof view> | null, error: '' },
  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      this.setData({ s: strings(S), elder: elder() });
      return this.load(query['community']);
    },
    async load(community?: string) {
      try {
        const id =
          community ??
          (await api.get<Me>('/me')).grants.find((g) => g.role === 'resident')?.communityId;
        if (!id) return this.setData({ error: t('绑定住址后可查看本社区的发展基金') });
        const fund = await api.get<PublicFund>(`/public/communities/${id}/fund`);
        this.setData({ fund: view(fund), error: '' });
      } catch (e) {
        this.setData({ error: (e as Error).message });
      }
    },
    /** A receipt is a public file: images open in WeChat's viewer, a PDF in its document viewer. */
    openReceipt(e: WechatMiniprogram.BaseEvent) {
      const { url, pdf } = e.currentTarget.dataset as { url: string; pdf: boolean };
      const full = /^https?:/.test(url) ? url : `${API_BASE}${url}`;
      if (!pdf) return void wx.previewImage({ urls: [full], current: full });
      wx.downloadFile({
        url: full,
        success: (r) => void wx.openDocument({ filePath: r.tempFilePath, fileType: 'pdf' }),
        fail: (err) => this.setData({ error: err.errMsg }),
      });
    },
  },
});
