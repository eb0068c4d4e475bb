// Lint rules: typescript-eslint's recommended set; formatting is prettier's job.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', 'coverage/**', 'bench/results/**', '.stryker-tmp/**', 'reports/**', 'console/dist/**', 'dist/**', 'console/src/graphql-env.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { process: 'readonly', module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  // The layout src/README.md describes, held by the linter: functions short enough to see whole
  // and files short enough to read whole (a longer one says why in an eslint-disable comment).
  {
    files: ['src/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 70, skipBlankLines: true, skipComments: true }],
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
    },
  },
  // A GraphQL field is a call to a service or a loader: GraphQL files never import a repository.
  {
    files: ['src/modules/**/graphql.ts', 'src/modules/**/graphql/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: 'repository(/|$)',
              message: 'GraphQL calls a service or a loader (loaders.ts), never a repository.',
            },
          ],
        },
      ],
    },
  },
);
