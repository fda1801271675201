// ESLint (flat config) with typescript-eslint. Besides the usual checks it keeps the layers honest: only host
// code may touch `vscode`, and the webview page sees nothing of the host but src/shared/. The token-shape scan,
// which covers every file type and not only code, lives in scripts/scanTokens.mjs.
import js from '@eslint/js';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const noVscode = {
  name: 'vscode',
  message:
    'src/api, src/core, src/store, src/shared, src/actions and src/webview-ui run in plain Node or a browser: no vscode import.',
};
const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

// A string with a word in it, written straight into something the user reads, skips translation: it should be
// `vscode.l10n.t(...)` (host) or `l10n.t(...)` from @vscode/l10n (core and pages). Ids and icons have no spaces
// or are `$(icon)`s, so the selectors look for prose: a word, a space and another word, or one capitalised word.
const PROSE = '/[A-Za-z]{2}[,.…?!:]?\\s+[A-Za-z]|^[A-Z][a-z]+[.…?!]?$/';
const untranslated = (selector, where) => ({
  selector: `${selector} > :matches(Literal[value=${PROSE}], TemplateLiteral:has(> TemplateElement[value.raw=${PROSE}]))`,
  message: `User-facing text in ${where} must go through l10n.t so that it can be translated.`,
});
const userFacingText = [
  untranslated('CallExpression[callee.property.name=/^show(?:Information|Warning|Error)Message$/]', 'a message'),
  untranslated('NewExpression[callee.property.name=/^(?:TreeItem|MarkdownString)$/]', 'a tree item'),
  untranslated(
    // The `{ message, args, comment }` form of l10n.t itself is the translated call, not a bypass.
    'Property:not(CallExpression[callee.property.name="t"] > ObjectExpression > Property)[key.name=/^(?:title|label|description|detail|placeHolder|placeholder|prompt|tooltip|message|text|ariaLabel)$/]',
    'a title, label or prompt',
  ),
  untranslated(
    'AssignmentExpression[left.property.name=/^(?:title|label|description|detail|placeholder|prompt|tooltip|message|text|textContent|ariaLabel)$/]',
    'a title, label or text',
  ),
];

// Server text (titles, conversations, names, errors) can echo a token: pages and panel titles are written only
// through src/webview/panelHost.ts, which redacts.
const unredactedPanelWrites = [
  ...['postMessage', 'createWebviewPanel'].map((method) => ({
    selector: `CallExpression[callee.property.name="${method}"]`,
    message: `${method} goes through src/webview/panelHost.ts, which redacts what a page or a tab shows.`,
  })),
  {
    selector:
      'AssignmentExpression[left.property.name="title"]:matches([left.object.name=/[Pp]anel$/], [left.object.property.name=/[Pp]anel$/])',
    message: 'A panel title is set through PanelHost.setTitle (src/webview/panelHost.ts), which redacts it.',
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', 'test-results/', '.vscode-test/', 'test/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'no-console': 'error', 'no-restricted-syntax': ['error', ...userFacingText] },
  },
  {
    // The page's own postMessage talks to the host, not to a page.
    files: ['src/**/*.ts'],
    ignores: ['src/webview/panelHost.ts', 'src/webview-ui/**'],
    rules: { 'no-restricted-syntax': ['error', ...userFacingText, ...unredactedPanelWrites] },
  },
  {
    files: ['src/api/**', 'src/core/**', 'src/store/**', 'src/shared/**', 'src/actions/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode],
          // The flows and what they stand on are driven from commands, panels, tests and (next) chat tools alike:
          // nothing here may reach up into the rooms that drive them.
          patterns: [
            {
              regex: '^\\.\\./(?:commands|ui|views|webview|auth)/',
              message: 'src/api, src/core, src/store, src/shared and src/actions do not import the VS Code rooms.',
            },
          ],
        },
      ],
    },
  },
  {
    // Pickers, panels, views and the account are used by the commands, never the other way round.
    files: ['src/ui/**', 'src/views/**', 'src/webview/**', 'src/auth/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./commands/',
              message: 'Only src/extension.ts imports src/commands/: move what is shared to src/ui/ or src/actions/.',
            },
          ],
        },
      ],
    },
  },
  {
    // The page runs in a browser and shares only the typed protocol with the host.
    files: ['src/webview-ui/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode, ...nodeBuiltins.map((name) => ({ name, message: 'The webview page runs in a browser.' }))],
          patterns: [
            {
              regex: '^\\.\\./(?!shared/)',
              message: 'The webview page may import only from src/webview-ui/ and src/shared/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['scripts/**/*.mjs', 'eslint.config.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
      },
    },
  },
);
