// The linter guards the walls (STYLE.md habit 13, ADR 0020): no import cycles, no reaching into another
// module's internals, plus typescript-eslint's recommended checks. Prettier owns the layout.
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import reactHooks from 'eslint-plugin-react-hooks';
import boundaries from 'eslint-plugin-boundaries';

/**
 * The module map (docs/architecture.md): which modules each module may depend on, through
 * their index.ts. A module not listed here (a new one) may use any other until it is added.
 */
/**
 * A module's files other modules may not import: all but its index.ts and its *.schemas.ts
 * (the HTTP shapes are public: other modules' schemas and the web's types compose them, and
 * a schema file imports only typebox, the contract and other schema files).
 */
const PRIVATE = '!(index.ts|*.schemas.ts|**/*.schemas.ts)';

const MODULE_MAP = {
  places: [],
  identity: ['places'],
  lockers: ['places', 'identity'],
  parcels: ['lockers', 'ledger', 'places', 'identity'],
  notices: ['hall', 'places', 'identity'],
  needs: ['places', 'identity'],
  ledger: ['places', 'identity'],
  fund: ['ledger', 'places', 'identity'],
  hall: ['ledger', 'lockers', 'parcels', 'places', 'identity'],
  analytics: [
    'parcels',
    'lockers',
    'needs',
    'hall',
    'fund',
    'ledger',
    'notices',
    'places',
    'identity',
  ],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.cache/',
      'web/dist/',
      'miniprogram/dist/',
      'dist/',
      'bench/results/',
      'coverage/',
    ],
  },
  ...tseslint.configs.recommended,
  importX.flatConfigs.typescript,
  {
    files: ['**/*.{ts,tsx}'],
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['tsconfig.json', 'web/tsconfig.json', 'miniprogram/tsconfig.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Module walls (ADR 0020): code outside a module reaches it only through
    // src/modules/<name>/index.ts. A module imports its own files freely. Every folder under
    // src/modules/ is a module, so new ones (hall, notices, needs, ledger, analytics) are
    // walled without touching this file. The composition roots wire internals on purpose
    // (routes, runtimes, table types), and tests outside src/modules may poke at internals.
    files: ['src/**/*.ts'],
    ignores: [
      'src/app.ts',
      'src/server.ts',
      'src/main.ts',
      'src/db/schema.ts',
      'src/demo/**',
      'src/platform/**/*.test.ts',
    ],
    plugins: { boundaries },
    settings: {
      'import/resolver': { node: { extensions: ['.ts'] } },
      'boundaries/elements': [{ type: 'module', pattern: 'src/modules/*', capture: ['name'] }],
      'boundaries/include': ['src/**/*.ts'],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'allow',
          policies: [
            {
              disallow: { to: { element: { type: 'module', fileInternalPath: PRIVATE } } },
              message:
                "Another module's files are private: import from its index.ts (src/modules/<name>/index.ts) and add the export there if it is missing (ADR 0020).",
            },
            ...Object.entries(MODULE_MAP).map(([name, deps]) => ({
              from: { element: { type: 'module', captured: { name } } },
              disallow: {
                to: {
                  element: {
                    type: 'module',
                    captured: { name: `!(${[name, ...deps].join('|')})` },
                  },
                },
              },
              message: `The module map (docs/architecture.md) does not let ${name} depend on this module; allowed: ${deps.join(', ') || 'none'}.`,
            })),
          ],
        },
      ],
    },
  },
  {
    // A test may use another module (through its index.ts) to set the scene, whatever the map
    // says: a lockers test may deposit a parcel. Tests are never imported, so no cycle follows.
    files: ['src/modules/**/*.test.ts', 'src/modules/**/*.property.*.ts'],
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'allow',
          policies: [
            {
              disallow: { to: { element: { type: 'module', fileInternalPath: PRIVATE } } },
              message: "Another module's files are private: import from its index.ts (ADR 0020).",
            },
          ],
        },
      ],
    },
  },
  {
    // Tests, benchmarks and fault drivers poke at private shapes on purpose.
    files: ['test/**', 'bench/**', '**/*.test.ts', '**/*.test.tsx', 'src/device/testing/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Migrations take `Kysely<any>` on purpose: they must not depend on today's schema types.
    files: ['src/db/migrations/**', 'src/db/migrate.ts', 'src/db/dialect.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['web/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    // The device agent and the contract stand alone (ADR 0021): they import the shared kernel,
    // the contract and their own files, never the cloud's platform, database or modules.
    // src/device/standalone.test.ts checks the same at run time.
    files: ['src/device/**', 'src/contract/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['kysely', 'pg'].map((name) => ({
            name,
            message: 'The device agent and the contract load no database driver (ADR 0021).',
          })),
          patterns: [
            {
              regex:
                '^(\\.\\./)+(platform|db|modules|demo)/|^(\\.\\./)+(app|server|config|main)\\.ts$',
              message:
                'The device agent and the contract import only src/kernel, src/contract and their own files (ADR 0021).',
            },
          ],
        },
      ],
    },
  },
  {
    // The contract is the wire both ends share: it knows nothing of the device agent either.
    files: ['src/contract/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['kysely', 'pg'].map((name) => ({
            name,
            message: 'The contract loads no database driver (ADR 0021).',
          })),
          patterns: [
            {
              regex:
                '^(\\.\\./)+(platform|db|modules|demo|device)/|^(\\.\\./)+(app|server|config|main)\\.ts$',
              message: 'The contract imports only src/kernel and its own files (ADR 0021).',
            },
          ],
        },
      ],
    },
  },
  {
    // The kernel is the floor everything stands on: Node built-ins and its own files only.
    files: ['src/kernel/**'],
    ignores: ['src/kernel/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!node:|\\./)',
              message: 'The kernel imports only Node built-ins and its own files (ADR 0021).',
            },
          ],
        },
      ],
    },
  },
  {
    // The web apps take from src/ only what the browser can carry: the kernel's phone rule,
    // the screen wire, and the server's response types (erased at build time).
    files: ['web/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^(\\.\\./)+src/(?!kernel/phone\\.ts$|contract/screen-wire\\.ts$|web-types\\.ts$)',
              message:
                'The web apps import from src/ only kernel/phone.ts, contract/screen-wire.ts and web-types.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // The mini-program (ADR 0034) runs in WeChat: no Node built-ins, no browser or React code.
    // From outside its folder it takes only the shared pieces that run anywhere: the API
    // client core, error texts, format and phone rules, strings, labels and the server's types.
    files: ['miniprogram/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^node:',
              message: 'WeChat has no Node built-ins.',
            },
            {
              regex:
                '^(\\.\\./)+(?!web/shared/(api-core|api-client|error-text|format|types|hall|notices)\\.ts$|web/shared/needs/needs-labels\\.ts$|web/shared/locales/|src/kernel/phone\\.ts$|src/web-types\\.ts$)(web|src)/',
              message:
                'The mini-program shares only web/shared/{api-core,api-client,error-text,format,types,hall,notices}.ts, needs/needs-labels.ts, locales/, src/kernel/phone.ts and src/web-types.ts.',
            },
            {
              regex: '^(react|react-dom|antd|antd-mobile|i18next|react-i18next)(/|$)',
              message: 'WeChat pages are WXML; the web apps keep React and i18next.',
            },
          ],
        },
      ],
    },
  },
);
