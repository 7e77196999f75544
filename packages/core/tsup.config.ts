import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

export default defineConfig({
  ...packageBuild,
  // p-limit and its one dependency are ESM-only; bundling them keeps the CommonJS build loadable everywhere.
  noExternal: ['p-limit', 'yocto-queue'],
});
