/** 通知与活动: the console page for notices and public-welfare activities of the selected community. */
import { Tabs } from 'antd';
import { useT } from '../../../../shared/i18n.ts';
import type { Workplaces } from '../../../../shared/types.ts';
import { ActivitiesPanel } from './ActivitiesPanel.tsx';
import { useAudiences } from './audience.ts';
import { NoticesPanel } from './NoticesPanel.tsx';

export function NoticesPage({ communityId, me }: { communityId: string; me: Workplaces }) {
  const { t } = useT();
  const audiences = useAudiences(communityId, me);
  return (
    <Tabs
      items={[
        { key: 'notices', label: t('通知公告'), children: <NoticesPanel audiences={audiences} /> },
        {
          key: 'activities',
          label: t('公益活动'),
          children: <ActivitiesPanel audiences={audiences} />,
        },
      ]}
    />
  );
}
