/**
 * A screen fetched when first shown, behind its own Suspense (so a sheet loading does not
 * blank the screen behind it); how the mobile apps keep their first load within budget.
 */
import type React from 'react';
import { type ComponentType, lazy, Suspense } from 'react';
import { DotLoading } from 'antd-mobile';

export function deferred<P extends object>(
  load: () => Promise<ComponentType<P>>,
  spinner = true,
): ComponentType<P> {
  const L = lazy(async () => ({ default: await load() }));
  return function Deferred(props: P) {
    return (
      <Suspense
        fallback={
          spinner ? (
            <div style={{ padding: 24, textAlign: 'center' }}>
              <DotLoading />
            </div>
          ) : null
        }
      >
        <L {...(props as P & React.JSX.IntrinsicAttributes)} />
      </Suspense>
    );
  };
}
