import { defineConfig } from 'vitest/config';
import { createRequire } from 'node:module';

// Loaded with require so the config bundler leaves the build helper (and wabt) alone.
const watBuild = createRequire(import.meta.url)('./scripts/build/wat.js');

export default defineConfig({
  // `.wat` imports assemble to the same WASM bytes the bundles embed.
  plugins: [watBuild.viteWatPlugin()],
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
