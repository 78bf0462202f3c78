// ESLint (typescript-eslint's recommended rules) and the import rules that keep the layers pointing
// one way: `npm run lint`, run by .ci/run. What each folder is for: README.md, "Layout".
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Folders a layer must not import from, with why. */
const forbid = (...groups) => ({
  'no-restricted-imports': ['error', { patterns: groups.map(([group, message]) => ({ group, message })) }],
});
const NOT_UP = [
  [['**/api/**'], 'api/ is the HTTP layer: shared code belongs in core/.'],
  [['**/agent/**'], 'agent/ is the worker: shared code belongs in core/.'],
  [['**/web/**'], 'web/ is the browser bundle.'],
  [['**/test/**', '**/testkit/**', '**/bench/**', '**/eval/**', '**/scripts/**'], 'Product code never imports tests, benchmarks or tools.'],
];
// What tests, benchmarks and tools share (the synthetic candidate, the stack, stats) is in testkit/.
const NOT_TESTS = [['**/test/**'], 'Only tests import test/: what benchmarks and tools share with tests is in testkit/.'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'web/dist/**', '.data/**', '.cache/**', '.artifacts/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        AbortSignal: 'readonly',
        performance: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        Response: 'readonly',
        Request: 'readonly',
        Headers: 'readonly',
        RequestInit: 'readonly',
      },
    },
    rules: {
      // A variable a closure reads before its one assignment (a timer cleared by the callback it
      // starts) stays `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  // The trial's page-side code reads what it planted on `window` (RTCPeerConnections, states).
  { files: ['scripts/trial.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['core/**'], rules: forbid(...NOT_UP) },
  // The layering inside: core/'s pure vocabulary (domain, rubric, demographics) and config are
  // below db/; the rest of core/ (lifecycle, evaluation, question plan) is above it and uses its queries.
  {
    files: ['db/**'],
    rules: forbid(...NOT_UP, [
      ['**/core/**', '!**/core/domain.js', '!**/core/rubric.js', '!**/core/demographics.js', '!**/core/config.js'],
      'db/ takes from core/ only its vocabulary (domain, rubric, demographics) and config.',
    ]),
  },
  {
    files: ['core/domain.ts', 'core/rubric.ts', 'core/demographics.ts', 'core/config.ts', 'core/config/**'],
    rules: forbid(...NOT_UP, [
      ['**/db/**', '**/prompts/**'],
      'The vocabulary and config are the bottom layer: they import nothing of db/ or prompts/.',
    ]),
  },
  {
    files: ['prompts/**'],
    rules: forbid(...NOT_UP, [
      ['**/core/**', '**/db/**'],
      'prompts/ are typed functions of their own inputs: they import nothing of core/ or db/.',
    ]),
  },
  { files: ['api/**'], rules: forbid(NOT_UP[1], NOT_UP[2], NOT_UP[3]) },
  // A route file is one resource's handlers: what two routes share lives in api/services/ (steps on
  // the database) or api/lib/ (pure helpers), never in a sibling route file.
  {
    files: ['api/routes/**'],
    rules: forbid(NOT_UP[1], NOT_UP[2], NOT_UP[3], [
      ['./*', '../routes/*'],
      'Route files never import each other: move what they share to api/services/ or api/lib/.',
    ]),
  },
  { files: ['agent/**'], rules: forbid(NOT_UP[0], NOT_UP[2], NOT_UP[3]) },
  { files: ['testkit/**', 'bench/**', 'eval/**', 'scripts/**'], rules: forbid(NOT_TESTS) },
  {
    files: ['web/**'],
    rules: forbid([
      ['**/api/**', '**/agent/**', '**/core/**', '**/db/**', '**/prompts/**'],
      'web/ is bundled for the browser: it imports only web/.',
    ]),
  },
);
