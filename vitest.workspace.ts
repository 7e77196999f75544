import { fileURLToPath } from 'node:url';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

// The one place that lists the test projects. `pnpm test` runs them all:
// vitest run --config vitest.workspace.ts
const packages = ['core', 'lambda', 'consumer', 'testing'] as const;
const source = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

// Tests import each other's packages from source, so a change is tested without a rebuild.
const alias = {
  '@batch-decline/testing/vitest': fileURLToPath(new URL('./packages/testing/src/vitest.ts', import.meta.url)),
  ...Object.fromEntries(packages.map((name) => [`@batch-decline/${name}`, source(name)])),
};

const directory = (name: string) => (name === 'bench' || name === 'docs' ? name : name === 'packing' || name === 'reliability' ? `tests/${name}` : name.startsWith('example-') ? `examples/${name.slice(8)}` : `packages/${name}`);
const project = (name: string): TestProjectInlineConfiguration => ({
  resolve: { alias },
  test: {
    name,
    root: fileURLToPath(new URL(`./${directory(name)}`, import.meta.url)),
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', '*.test.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  test: {
    // One DynamoDB Local and one SQS emulator for the whole run; tests create their own tables and queues.
    globalSetup: [fileURLToPath(new URL('./packages/testing/src/vitestGlobalSetup.ts', import.meta.url))],
    projects: [...packages.map(project), project('example-local'), project('example-sam'), project('example-container'), project('example-cdk'), project('bench'), project('docs'), project('packing'), project('reliability')],
    // CI also writes a machine-readable result, summarised by .ci/run.
    ...(process.env.CI ? { reporters: ['default', 'json'], outputFile: { json: 'test-results.json' } } : {}),
  },
});
