import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const ROOT = import.meta.dirname;

/** Folders that form the editor-free core: they must never import `vscode`. */
const CORE = [
  'src/crc/**',
  'src/storage/**',
  'src/transfer/**',
  'src/integrity/**',
  'src/cli/**',
  'src/util/**',
  'src/record/**',
  'src/inventory/**',
  'emulator/**',
  'bench/**',
];

/** Core folders under src/: they must never import the VS Code layer (src/ui). */
const CORE_FOLDERS = ['crc', 'storage', 'transfer', 'integrity', 'util', 'record', 'inventory', 'cli'].map((f) => `src/${f}`);

/**
 * Feature folders of the VS Code layer: every folder of src/ui but `shared`. A feature may import
 * src/ui/shared, the top-level files of src/ui and the core, never another feature.
 */
const UI_FEATURES = readdirSync(join(ROOT, 'src/ui'), { withFileTypes: true })
  .filter((e) => e.isDirectory() && e.name !== 'shared')
  .map((e) => e.name);

const BOUNDARY_ZONES = [
  {
    target: CORE_FOLDERS,
    from: 'src/ui',
    message: 'The core never imports the VS Code layer: move what both need into the core.',
  },
  {
    // Transfers are checked by the integrity layer, never the other way round: what both need (the
    // streamed remote CRC, local hashing) lives in src/transfer/read and src/crc.
    target: 'src/transfer',
    from: 'src/integrity',
    message: 'src/transfer never imports src/integrity: move what both need into src/transfer/read or src/crc.',
  },
  {
    target: 'src/ui/shared',
    from: UI_FEATURES.map((f) => `src/ui/${f}`),
    message: 'src/ui/shared serves the features and imports none of them.',
  },
  ...UI_FEATURES.map((feature) => ({
    target: `src/ui/${feature}`,
    from: UI_FEATURES.filter((other) => other !== feature).map((other) => `src/ui/${other}`),
    message: 'UI features never import each other: share through src/ui/shared (or a small interface there).',
  })),
  {
    target: 'emulator',
    from: 'src/crc',
    message: "The emulator is an outside witness: its CRC-64 is its own (emulator/crc64.ts), never the product's src/crc.",
  },
];

const PROVIDER_BRANCH_MESSAGE =
  "Never branch on a cloud's name outside src/storage: ask the store (isAppendable(store), src/storage/capabilities.ts) or the cloud's traits (providerTraits(kind), src/storage/traits.ts).";
/** A comparison with a cloud's name ('cos' or 'oss') on either side, or a `case` on one. */
const NO_CLOUD_NAMES = [
  { selector: 'BinaryExpression[operator=/^[!=]==?$/] > Literal[value=/^(cos|oss)$/]', message: PROVIDER_BRANCH_MESSAGE },
  { selector: 'SwitchCase > Literal.test[value=/^(cos|oss)$/]', message: PROVIDER_BRANCH_MESSAGE },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'out/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: CORE,
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'The core stays editor-free: wire it in src/ui instead.' }] },
      ],
    },
  },
  {
    // Clouds differ only inside src/storage: elsewhere code asks a store's capabilities or a cloud's traits.
    files: ['src/**/*.ts'],
    ignores: ['src/storage/**'],
    rules: {
      'no-restricted-syntax': ['error', ...NO_CLOUD_NAMES],
    },
  },
  {
    // Settings are read through one typed module (names, defaults and ranges from package.json).
    files: ['src/ui/**/*.ts'],
    ignores: ['src/ui/shared/settings.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...NO_CLOUD_NAMES,
        {
          selector:
            "CallExpression[callee.object.property.name='commands'][callee.property.name=/^(registerCommand|executeCommand)$/] > Literal.arguments:first-child[value=/^bucketIntegrity\\./]",
          message:
            "The extension's own commands are registered with registerCommand() and run with runCommand() (src/ui/commands.ts), whose ids are typed (commandIds.ts).",
        },
        {
          selector: "CallExpression[callee.property.name='getConfiguration']",
          message: 'Read settings through src/ui/shared/settings.ts (typed names, defaults from package.json), never getConfiguration().',
        },
      ],
    },
  },
  {
    // Import boundaries between the core and the VS Code layer, between UI features, and around the emulator.
    files: ['src/**/*.ts', 'emulator/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: join(ROOT, 'tsconfig.json') })],
      // no-cycle reads the modules an import leads to: they are TypeScript.
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: ROOT, zones: BOUNDARY_ZONES }],
      // Modules that import each other load half-initialised: shared shapes go to a module of their own
      // (a folder's types.ts). Type-only cycles are kept out by test/unit/lint/cycles.test.ts.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
);
