// ESLint: typescript-eslint's type-aware rules over src, test, bench and scripts; formatting is Prettier's job
// (eslint-config-prettier turns off every rule that would fight it). `npm run lint` runs in `npm test`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const { printWidth } = JSON.parse(readFileSync(join(import.meta.dirname, '.prettierrc.json'), 'utf8'));

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.cache/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Roster's own habits (STYLE.md).
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
    },
  },
  {
    // In-memory fakes of async interfaces (ClusterClient, LeaseClient, runners) keep `async` with synchronous bodies,
    // so a fake's failure is a rejected promise exactly like the real client's.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    // Plain JavaScript (this file, scripts, the dependency-cruiser config): no type information.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  prettier,
  {
    // Lines no wider than Prettier's printWidth. Prettier wraps code but never a string, template literal, comment or
    // regular expression, so those are what this catches: split them (`'…' +`), do not except them. Only a line
    // holding a URL is exempt. After eslint-config-prettier, which turns max-len off.
    plugins: { '@stylistic': stylistic },
    rules: { '@stylistic/max-len': ['error', { code: printWidth, tabWidth: 2, ignoreUrls: true }] },
  },
);
