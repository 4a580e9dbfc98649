// ESLint flat config. typescript-eslint `recommended` only (not the type-checked sets): lint stays
// fast and needs no program. The project rules below are DESIGN "Examples to follow" 3 and 13.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** One clock (SPEC G3, DESIGN 3): only src/clock.ts reads the time. */
const CLOCK_MESSAGE = 'Read time only through the injected clock (src/clock.ts), SPEC G3';
const noClockReads = [
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: CLOCK_MESSAGE },
  // `Date()` called without `new` also returns the current time (as a string).
  { selector: "CallExpression[callee.name='Date']", message: CLOCK_MESSAGE },
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: CLOCK_MESSAGE },
  { selector: "MemberExpression[object.name='Temporal'][property.name='Now']", message: CLOCK_MESSAGE },
  { selector: "MemberExpression[object.name='Temporal'][property.value='Now']", message: CLOCK_MESSAGE },
  {
    selector: "VariableDeclarator[init.name='Temporal'] > ObjectPattern > Property[key.name='Now']",
    message: CLOCK_MESSAGE,
  },
];

/** Small files named after their one export, no default exports (DESIGN 13). */
const NO_DEFAULT_MESSAGE = 'Use a named export: no default exports in src/ (DESIGN 13)';
const noDefaultExports = [
  { selector: 'ExportDefaultDeclaration', message: NO_DEFAULT_MESSAGE },
  { selector: "ExportSpecifier[exported.name='default']", message: NO_DEFAULT_MESSAGE },
];

// The few globals our plain JS files use (the `globals` package is not a direct dependency).
const nodeGlobals = {
  process: 'readonly',
  console: 'readonly',
  URL: 'readonly',
  Buffer: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
};

export default tseslint.config(
  {
    ignores: ['node_modules/', 'data/', '.tmp/', 'dist/', 'test-results/', 'web/dist/', 'bench/results/', 'build/', 'build.*/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: nodeGlobals },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { ...nodeGlobals, module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Tests handle JSON bodies of every shape; `any` there is a convenience, not a money risk.
  {
    files: ['test/**/*.{ts,tsx,mts,cts}'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  // no-restricted-syntax is replaced, not merged, by a later block: each block lists all its
  // selectors.
  {
    files: ['src/**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
    ignores: ['src/clock.ts'],
    rules: { 'no-restricted-syntax': ['error', ...noClockReads, ...noDefaultExports] },
  },
  {
    files: ['src/clock.ts'],
    rules: { 'no-restricted-syntax': ['error', ...noDefaultExports] },
  },
);
