/** In-app notifications (parcel arrivals, reminders), newest first; community notices join later. */
import { Empty, List, NavBar } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { when } from '../../../shared/format.ts';
import { useT } from '../../../shared/i18n.ts';
import { api } from '../api.ts';

export function Notices() {
  const { t } = useT();
  const [items, setItems] = useState<{ id: string; body: string; createdAt: string }[] | null>(
    null,
  );
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .get<{ id: string; body: string; createdAt: string }[]>('/me/notifications')
      .then(setItems)
      .catch((e: Error) => setError(e.message));
  }, []);
  return (
    <>
      <NavBar back={null}>{t('通知')}</NavBar>
      {error && (
        <div role="alert" style={{ color: '#cf1322', padding: 16 }}>
          {error}
        </div>
      )}
      {items && items.length === 0 && <Empty description={t('暂无通知')} />}
      <List>
        {items?.map((n) => (
          <List.Item key={n.id} description={when(n.createdAt)}>
            {n.body}
          </List.Item>
        ))}
      </List>
    </>
  );
}
