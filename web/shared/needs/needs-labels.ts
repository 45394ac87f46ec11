/** The needs screens' labels and types, with nothing of the browser: the mini-program shares them. */
import type { NeedView, ServiceView, StaffNeedView } from '../../../src/web-types.ts';

export type { NeedView, ServiceView, StaffNeedView };
export type NeedStatus = NeedView['status'];

/** Status labels (Chinese source; English in en.needs.ts) and tag colours. */
export const STATUS_LABEL: Record<NeedStatus, { text: string; color: string }> = {
  received: { text: '待派单', color: 'default' },
  dispatched: { text: '已派单', color: 'primary' },
  in_progress: { text: '处理中', color: 'primary' },
  replied: { text: '已答复', color: 'success' },
  closed: { text: '已办结', color: 'success' },
  declined: { text: '不予受理', color: 'danger' },
  reopened: { text: '已重新打开', color: 'warning' },
};

/** History actions in words. */
export const ACTION_LABEL: Record<string, string> = {
  received: '已受理',
  dispatched: '已派单',
  accepted: '承办人已接单',
  forwarded: '已转交',
  returned: '已退回社区',
  replied: '已答复',
  closed: '已办结',
  declined: '不予受理',
  visited: '已回访',
  rated: '已评价',
  reopened: '重新打开',
  escalated: '已提醒社区督办',
};
