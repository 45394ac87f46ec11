/**
 * A file's name says its role (docs/architecture.md, "File roles"): every source file under
 * src/ either has a plain name (a pure helper) or ends in one of the listed roles.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROLES = [
  'table',
  'schemas',
  'repository',
  'service',
  'routes',
  'presenter',
  'policy',
  'scope',
  'events',
  'hooks',
  'effects',
  'runtime',
  'test',
  'port',
  'adapter',
  'local',
  'types',
  'plugin',
  'cli',
  'testkit',
  'property.actions',
  'property.invariants',
  'd',
];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/**
 * The role a file name claims: its last dot-separated part before `.ts` (`property.actions`
 * and `property.invariants` count as one), or '' for a plain name.
 */
export function roleOf(name: string): string {
  const parts = name.replace(/\.tsx?$/, '').split('.');
  if (parts.length === 1) return '';
  const last = parts.at(-1)!;
  return parts.at(-2) === 'property' && last !== 'test' ? `property.${last}` : last;
}

describe('file roles', () => {
  it('reads the role from a name', () => {
    expect(roleOf('pickup-code.ts')).toBe('');
    expect(roleOf('order.service.ts')).toBe('service');
    expect(roleOf('parcels.property.actions.ts')).toBe('property.actions');
    expect(roleOf('hall.sweep.ts')).toBe('sweep');
    expect(roleOf('dispatcher.runtime.cluster.test.ts')).toBe('test');
  });

  it('every file under src/ has a plain name or a listed role', () => {
    const stray = files('src')
      .map((f) => ({ f, role: roleOf(f.split('/').pop()!) }))
      .filter(
        ({ role }) =>
          role !== '' &&
          !ROLES.includes(role.replace(/^[a-z0-9-]+\./, '')) &&
          !ROLES.includes(role),
      )
      .map(({ f }) => f);
    expect(stray).toEqual([]);
  });
});
