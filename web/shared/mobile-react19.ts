/**
 * antd-mobile 5 renders its imperative parts (Toast, Dialog) with the React 16–18 API;
 * on React 19 it needs this render hook (see antd-mobile's "v5 for React 19" guide).
 * Without it those calls throw and the library logs a compatibility warning.
 */
import { unstableSetRender } from 'antd-mobile';
import { createRoot, type Root } from 'react-dom/client';

unstableSetRender((node, container) => {
  const c = container as Element & { _antnestRoot?: Root };
  c._antnestRoot ??= createRoot(c);
  const root = c._antnestRoot;
  root.render(node);
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    root.unmount();
    delete c._antnestRoot;
  };
});
