/**
 * The staff console (desktop, antd). The shell is small: sign-in and the console load on
 * demand, and each screen (overview, alerts, lockers, parcels, shelf, partner) is its own
 * chunk, so the first load stays inside the staff budget (docs/web.md).
 */
import { App as AntApp, ConfigProvider, type ConfigProviderProps } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useT } from '../../shared/i18n.ts';
import { useSession } from '../../shared/session.ts';
import { sessions } from './api.ts';
import { Loading } from './Loading.tsx';

const Console = lazy(() => import('./Console.tsx').then((m) => ({ default: m.Console })));
const Login = lazy(() => import('./features/Login.tsx').then((m) => ({ default: m.Login })));

type Locale = NonNullable<ConfigProviderProps['locale']>;

/** antd's own texts (pagination, empty tables, modals): Chinese built in, English loaded when chosen. */
function useAntLocale(lang: 'zh-CN' | 'en'): Locale {
  const [en, setEn] = useState<Locale | null>(null);
  useEffect(() => {
    if (lang === 'en' && !en) void import('antd/locale/en_US').then((m) => setEn(m.default));
  }, [lang, en]);
  return lang === 'en' && en ? en : zhCN;
}

/** The staff app: sign-in or the console, in antd's locale of the chosen language. */
export function App() {
  const session = useSession(sessions);
  const { lang } = useT();
  const locale = useAntLocale(lang);
  return (
    <ConfigProvider locale={locale} theme={{ token: { colorPrimary: '#0a7a5a' } }}>
      <AntApp>
        <Suspense fallback={<Loading />}>{session ? <Console /> : <Login />}</Suspense>
      </AntApp>
    </ConfigProvider>
  );
}
