import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const ROOT = import.meta.dirname;

/** Folders that form the editor-free core: they must never import `vscode`. */
const CORE = ['src/crc/**', 'src/storage/**', 'src/transfer/**', 'src/integrity/**', 'src/cli/**', 'src/util/**', 'src/record/**', 'src/inventory/**', 'emulator/**', 'bench/**'];

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
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'The core stays editor-free: wire it in src/ui instead.' }] }],
    },
  },
  {
    // Import boundaries between the core and the VS Code layer, and between UI features.
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: join(ROOT, 'tsconfig.json') })] },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: ROOT, zones: BOUNDARY_ZONES }],
    },
  },
);
