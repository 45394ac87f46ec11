/** Never a blank page: a render error shows a clear message and a way back. */
import { Component, type ReactNode } from 'react';
import { t } from './i18n.ts';

export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div role="alert" style={{ padding: 32, textAlign: 'center', fontSize: 18 }}>
        <p>{t('页面出错了，请刷新重试')}</p>
        <button
          type="button"
          style={{ fontSize: 18, padding: '8px 24px' }}
          onClick={() => location.reload()}
        >
          {t('刷新')}
        </button>
      </div>
    );
  }
}
