import { createRoot } from 'react-dom/client';
import '../../shared/i18n.ts';
import '../../shared/mobile-react19.ts';
import { ErrorBoundary } from '../../shared/ErrorBoundary.tsx';
import { App } from './App.tsx';

createRoot(document.getElementById('root')!).render(
  <ErrorBoundary>
    <App />
  </ErrorBoundary>,
);
