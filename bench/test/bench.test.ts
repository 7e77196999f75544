import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));

describe('pnpm bench --quick (smoke test: the benchmark works; how fast is not asserted)', () => {
  it('runs every scenario, prints the tables and writes the JSON results', async () => {
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(tsx, ['--expose-gc', 'src/bench.ts', '--quick'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.once('exit', (exitCode) => resolve({ code: exitCode, output: text }));
    });
    expect(code, output).toBe(0);
    for (const title of ['Container throughput', 'Ceiling', 'Lambda invocation latency', 'Engine overhead', 'Memory', 'Ratios']) expect(output).toContain(title);
    const results = JSON.parse(readFileSync(fileURLToPath(new URL('../results/quick.json', import.meta.url)), 'utf8'));
    expect(results.quick).toBe(true);
    for (const value of Object.values(results.throughput as Record<string, number>)) expect(value).toBeGreaterThan(0);
    for (const value of Object.values(results.ratios as Record<string, number>)) expect(Number.isFinite(value)).toBe(true);
    expect(Object.keys(results.latencyMs)).toEqual(['5', '10', '100']);
  }, 180_000);
});
