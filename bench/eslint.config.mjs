// The ESLint configuration the benchmark compares against: typescript-eslint's parser and three
// syntactic rules comparable to a slice of Failpath (empty catch, console, fetch/axios calls).
import tseslint from 'typescript-eslint';

export default [
  {
    files: ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaVersion: 'latest', sourceType: 'module', ecmaFeatures: { jsx: true } } },
    rules: {
      'no-empty': 'error',
      'no-console': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='fetch']", message: 'fetch without a deadline' },
        { selector: "CallExpression[callee.object.name='axios']", message: 'axios call' },
      ],
    },
  },
];
