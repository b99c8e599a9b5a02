import tseslint from 'typescript-eslint';

/**
 * Layering, enforced: the engine never imports electron, React or UI code;
 * the renderer never imports the engine, only the API contract.
 */
export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'test-results/**', 'playwright-report/**', 'bench/data/**', 'sample-logs/AWSLogs/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['analyzers/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'analyzers/ is Node-only: no electron.' },
          { group: ['react', 'react-dom', 'react/*', 'zustand', 'ag-grid-*'], message: 'analyzers/ must not import UI libraries.' },
          { group: ['**/renderer/**', '**/electron/**', '**/cli/**'], message: 'analyzers/ must not import the front doors.' },
        ],
      }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/analyzers/**', '!**/analyzers/api/contract'], message: 'renderer/ talks only to the API: import the contract, nothing else from analyzers/.' },
          { group: ['electron', 'node:*', 'fs', 'path', 'child_process', '@duckdb/*'], message: 'renderer/ runs in a sandboxed page.' },
        ],
      }],
    },
  },
);
