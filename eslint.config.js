// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Layer boundaries (DESIGN.md "Imports point inward"): pure folders may not import the
// folders that touch the world.
const impure = ['ingest', 'store', 'agent', 'server', 'monitor', 'cli'];
const pureRestriction = {
  'no-restricted-imports': [
    'error',
    {
      patterns: impure.map((dir) => ({
        group: [`**/${dir}/*`, `../${dir}`, `../../${dir}`],
        message: `pure modules must not import src/${dir}: it touches the world`,
      })),
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/testdata/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/prefer-for-of': 'off',
      '@typescript-eslint/no-unnecessary-condition': 'off',
      'no-console': 'error',
    },
  },
  {
    files: [
      'src/domain/**',
      'src/policy/**',
      'src/analyze/**',
      'src/recommend/**',
      'src/compile/**',
      'src/map/**',
      'src/resolve/**',
    ],
    ignores: ['**/*.test.ts'],
    rules: pureRestriction,
  },
  {
    files: ['src/cli/**', 'bench/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.test.ts', 'test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
);
