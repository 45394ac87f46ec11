/** 中文 / English switch (plain buttons so every app, mobile or desktop, can use it). */
import { setLang, useT } from './i18n.ts';

export function LangSwitch({ dark = false }: { dark?: boolean }) {
  const { lang } = useT();
  const style = (on: boolean) => ({
    border: 0,
    background: 'transparent',
    padding: '4px 6px',
    cursor: 'pointer',
    fontWeight: on ? 700 : 400,
    color: dark ? '#fff' : on ? '#0a7a5a' : '#666',
    textDecoration: on ? 'underline' : 'none',
  });
  return (
    <span aria-label="language / 语言">
      <button type="button" style={style(lang === 'zh-CN')} onClick={() => setLang('zh-CN')}>
        中文
      </button>
      <button type="button" style={style(lang === 'en')} onClick={() => setLang('en')}>
        EN
      </button>
    </span>
  );
}
