// One flat config for the whole repository: typescript-eslint's type-checked rules
// everywhere, the Lit and web-component rules on the element, and the layer rule
// (widget -> common <- server, demo -> server/common) as import restrictions that
// fail `npm run lint`.
import {defineConfig} from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';

/**
 * A relative import specifier that reaches into one of the top-level folders,
 * e.g. `../server/app.js` or `../../common/contract.js`. The folders are
 * distinct names, so matching the path segment is exact enough.
 */
const into = (folder) => `^\\.{1,2}/(?:.*/)?${folder}(?:/|$)`;

const nodeBuiltins = {
  regex: '^node:',
  message:
    'Node built-ins never reach this layer: it runs in the browser (widget) or on both sides (common).',
};

/**
 * The layer rule. Static imports, `export … from` and dynamic `import()` are all
 * checked: no-restricted-imports sees the first two, no-restricted-syntax the last.
 */
function layer(files, forbidden, extraPatterns = []) {
  const message = (folder) =>
    `Layer rule: ${files[0].split('/')[0]}/ must not import ${folder}/ (arrows: widget -> common <- server, demo -> server/common).`;
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbidden.map((folder) => ({regex: into(folder), message: message(folder)})),
            ...extraPatterns,
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        ...forbidden.map((folder) => ({
          selector: `ImportExpression[source.value=/${into(folder).replaceAll('/', '\\/')}/]`,
          message: message(folder),
        })),
        ...extraPatterns.map((pattern) => ({
          selector: `ImportExpression[source.value=/${pattern.regex}/]`,
          message: pattern.message,
        })),
      ],
    },
  };
}

export default defineConfig(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'dist-demo/',
      'dist-server/',
      'test-results/',
      'screenshots/',
      '.tmp/',
      'common/generated/',
      'test/widget/mockServiceWorker.js',
    ],
  },
  {linterOptions: {reportUnusedDisableDirectives: 'error'}},
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {projectService: true, tsconfigRootDir: import.meta.dirname},
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            // node:test runs and awaits what describe/it return; nobody awaits them by hand.
            {
              from: 'package',
              package: 'node:test',
              name: [
                'describe',
                'it',
                'test',
                'suite',
                'before',
                'after',
                'beforeEach',
                'afterEach',
              ],
            },
            // semantic-dom-diff types every chai `.equal` as returning a Promise; it is synchronous.
            {from: 'package', package: '@open-wc/semantic-dom-diff', name: 'Equal'},
          ],
        },
      ],
      // Async methods that implement a Promise-returning interface (the memory store,
      // stand-ins, stubs) have nothing to await; the rule has no option for that.
      '@typescript-eslint/require-await': 'off',
      // An unused name that starts with _ is deliberate (a handler's unused argument).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'},
      ],
    },
  },
  {
    // Plain JavaScript (configs, small scripts) is not in tsconfig.json: lint it without types.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {globals: {...globals.node}},
  },
  {
    files: ['widget/**/*.ts'],
    ...lit.configs['flat/recommended'],
  },
  {
    files: ['widget/**/*.ts'],
    ...wc.configs['flat/recommended'],
    languageOptions: {globals: {...globals.browser}},
  },
  {
    // Lit calls a template's event listeners (`@click=${this.onClick}`) with the host
    // element as `this`, so passing a method unbound there is how Lit is written.
    files: ['widget/**/*.ts', 'demo/stripe-js/**/*.ts'],
    rules: {'@typescript-eslint/unbound-method': 'off'},
  },
  {
    files: ['demo/pages/**/*.js'],
    languageOptions: {globals: {...globals.browser}},
  },
  {
    // Tests read response bodies, fixtures and emulator objects as untyped JSON and
    // assert on them: the assertion is the check there, so the any-tracking rules
    // stay on for the product code only.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['test/widget/**/*.ts'],
    // chai's property assertions (`expect(x).to.be.true`) are expressions by design.
    rules: {'@typescript-eslint/no-unused-expressions': 'off'},
    languageOptions: {globals: {...globals.browser, ...globals.mocha}},
  },
  layer(['widget/**'], ['server', 'demo'], [nodeBuiltins]),
  layer(['server/**'], ['widget', 'demo']),
  layer(['common/**'], ['widget', 'server', 'demo'], [nodeBuiltins]),
  {
    // common/ is free of Node and the DOM: both sides import it.
    files: ['common/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'navigator',
          'customElements',
          'HTMLElement',
          'localStorage',
          'sessionStorage',
          'location',
        ].map((name) => ({
          name,
          message: 'common/ is free of the DOM: the server imports it too.',
        })),
        ...[
          'process',
          'Buffer',
          'require',
          '__dirname',
          '__filename',
          'global',
          'setImmediate',
        ].map((name) => ({
          name,
          message: 'common/ is free of Node: the browser bundle imports it too.',
        })),
      ],
    },
  },
);
