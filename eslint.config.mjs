import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** no-restricted-imports of the import paths matching `regex`: deep imports into a folder of src/. */
function noDeepImports(regex) {
  const message = 'Deep import: import the folder of src/ (its index.ts), not a file inside it.';
  return { 'no-restricted-imports': ['error', { patterns: [{ regex, message }] }] };
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.cassandra/', '.python-peer/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Folder boundaries: code outside a folder of src/ enters it only through its index.ts, so each
    // folder's index says what the folder offers (e.g. src/entities/index.ts, src/mapping/index.ts,
    // src/langchain/index.ts) and files behind it can move or change freely.
    // - Inside src/: a relative import that leaves the file's folder (`../`) or goes down from it
    //   (`./x/`) may name a folder but not a file in it: `../mapping` yes, `../mapping/driver-errors`
    //   no; `./models` yes, `./models/chat-message` no. Imports of the file's own folder (`./x`) and
    //   of files higher up (`../errors`) are free.
    // - Outside src/ (bench, check, examples): `src/<folder>` yes, `src/<folder>/<file>` no.
    // test/ is exempt: unit tests test internals one module at a time (the fast path against
    // class-validator, the driver-error translation, the migration runner's parts), which the
    // indexes deliberately do not offer; exporting them only for tests would blur the boundaries.
    files: ['src/**/*.ts'],
    rules: noDeepImports('^\\.\\.?/(\\.\\./)*[^./][^/]*/.'),
  },
  { files: ['bench/**/*.ts', 'check/**/*.ts', 'examples/**/*.ts'], rules: noDeepImports('(^|/)src/[^/]+/.') },
  {
    // Plain CommonJS helpers that run before anything is compiled (scripts/cassandra/probe.js).
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
