import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/vitestGlobalSetup.ts', 'src/vitest.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  shims: true,
  // p-limit and its one dependency are ESM-only; bundling them keeps the CommonJS build loadable everywhere.
  noExternal: ['p-limit', 'yocto-queue'],
});
