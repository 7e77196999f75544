import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/args.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));

function demo(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, ['src/demo.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('the local demo', () => {
  it.each(['lambda', 'consumer', 'both'])('passes its own end-state check in --mode %s', async (mode) => {
    const { code, output } = await demo(['--applications', '400', '--jobs', '30', '--mode', mode, '--write-mode', mode === 'lambda' ? 'single' : 'batched']);
    expect(output).toContain('Check passed');
    expect(output).toMatch(/declined\s+\d+/);
    expect(output).toMatch(/dead-lettered: InvalidMessageError\s+5/);
    expect(code).toBe(0);
  }, 90_000);

  it('explains itself with --help and rejects unknown options', async () => {
    const help = await demo(['--help']);
    expect(help.code).toBe(0);
    expect(help.output).toContain('--write-mode');
    expect(() => parseArgs(['--mode', 'fast'])).toThrow(/--mode must be both, lambda or consumer/);
    expect(() => parseArgs(['--applications', '-1'])).toThrow(/--applications must be a whole number/);
    expect(() => parseArgs(['--frobnicate'])).toThrow(/unknown option/);
  }, 30_000);
});
