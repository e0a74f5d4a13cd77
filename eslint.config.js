// Lint rules for the gateway: typescript-eslint's recommended set, type-aware where it catches
// real bugs (floating promises, misused promises), and the house rules from design.md (named
// exports only, no barrels). Formatting is Prettier's (.prettierrc.json), not the linter's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'src/client/sdk.ts', 'test/bench/results/', 'coverage/', '.data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  // The GraphiQL page's browser script is type-checked by tsc (tsconfig.browser.json), which
  // knows the browser's globals; no-undef would only repeat it without them.
  { files: ['src/**/*.browser.js'], rules: { 'no-undef': 'off' } },
  // Tests read JSON answers they then assert on, and vitest's module mocks take `import()` types.
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { disallowTypeAnnotations: false }],
    },
  },
  // codegen's and the linter's own configs are the two default exports the tools require.
  { files: ['codegen.ts', 'eslint.config.js', 'vitest.config.ts'], rules: { 'no-restricted-syntax': 'off' } },
);
